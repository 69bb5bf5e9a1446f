"use client";
// A namespace's Actions: New Virtual Machine (its editors and owners), Edit Namespace
// (administrators) and Delete Namespace (administrators, and the creator of a self-served one
// where its template allows; shown disabled with the reason to an owner it is refused). Deleting
// deletes its VMs first, each a task in Recent Tasks, and everything else it holds.
import { useQuery } from "@tanstack/react-query";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { NamespaceDialog, type EditedNamespace } from "@/components/namespaces/namespace-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator } from "@/components/ui/dropdown-menu";
import { VmConfirmDialog } from "@/components/vms/vm-confirm-dialog";
import { NewVmWizard } from "@/components/vms/new-vm-wizard";
import { deleteNamespace } from "@/lib/actions/namespaces/delete-namespace";
import { limitsToForm } from "@/lib/actions/namespaces/namespace-form-schema";
import type { NamespaceLimits } from "@/lib/engine/schemas";
import type { NamespaceFormChoices } from "@/lib/inventory/namespace-reads";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectViewQuery } from "@/lib/queries/object-queries";

const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : null);

function edited(object: ObjectView): EditedNamespace {
  return {
    uid: object.uid,
    resourceVersion: object.resourceVersion,
    values: {
      name: object.name,
      cluster: String(object.spec.cluster ?? ""),
      ...limitsToForm((object.spec.limits ?? {}) as NamespaceLimits),
      vmClasses: list(object.spec.vmClasses),
      images: list(object.spec.images),
      storageClasses: list(object.spec.storageClasses),
    },
  };
}

const counted = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** What a namespace holds, in the words of Delete Namespace's confirmation: "3 VMs, 2 pods and 1 deployment". */
function holdings(stats: Record<string, number> | undefined): string {
  const parts = [counted(stats?.vms ?? 0, "VM"), counted(stats?.pods ?? 0, "pod"), counted(stats?.deployments ?? 0, "deployment")];
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/**
 * `deleteRefusal`: why Delete Namespace is refused to the reader (shown disabled with it), null
 * when they may delete, undefined to leave it out.
 */
export function NamespaceActionsMenu({
  uid,
  namespace,
  canDeploy,
  manage,
  deleteRefusal,
}: {
  uid: string;
  namespace: string;
  canDeploy: boolean;
  manage: NamespaceFormChoices | null;
  deleteRefusal: string | null | undefined;
}) {
  const { data: object } = useQuery(objectViewQuery(uid, "Namespace"));
  const [dialog, setDialog] = useState<"deploy" | "edit" | "delete" | null>(null);
  const [editing, setEditing] = useState<EditedNamespace | undefined>();
  const remove = useAction(deleteNamespace);
  const deleting = !!object?.deletionTimestamp;
  return (
    <>
      <ActionsMenu>
        {canDeploy && (
          <DropdownMenuItem disabled={deleting} onSelect={() => setDialog("deploy")}>
            <Plus aria-hidden /> New Virtual Machine…
          </DropdownMenuItem>
        )}
        {canDeploy && (manage || deleteRefusal !== undefined) && <DropdownMenuSeparator />}
        {manage && (
          <DropdownMenuItem
            disabled={deleting || !object}
            onSelect={() => {
              if (object) setEditing(edited(object));
              setDialog("edit");
            }}
          >
            <Pencil aria-hidden /> Edit Namespace…
          </DropdownMenuItem>
        )}
        {deleteRefusal !== undefined && (
          <>
            <DropdownMenuItem variant="destructive" disabled={deleting || deleteRefusal !== null} onSelect={() => setDialog("delete")}>
              <Trash2 aria-hidden /> Delete Namespace…
              {deleteRefusal && <span className="sr-only">: {deleteRefusal}</span>}
            </DropdownMenuItem>
            {/* The reason in view, not only in the item's name: a disabled item shows no tooltip. */}
            {deleteRefusal && (
              <DropdownMenuLabel aria-hidden className="pt-0 pb-1.5 pl-8 font-normal">
                {deleteRefusal}
              </DropdownMenuLabel>
            )}
          </>
        )}
      </ActionsMenu>
      {canDeploy && <NewVmWizard open={dialog === "deploy"} onOpenChange={(open) => setDialog(open ? "deploy" : null)} start={{ namespace }} />}
      {manage && editing && <NamespaceDialog open={dialog === "edit"} onOpenChange={(open) => setDialog(open ? "edit" : null)} choices={manage} editing={editing} />}
      {deleteRefusal === null && (
        <VmConfirmDialog
          confirmation={
            dialog === "delete"
              ? {
                  title: `Delete namespace ${namespace}?`,
                  description: `${namespace} holds ${holdings(object?.stats)}. All of it is deleted: each VM is powered off and deleted from disk as its own task, and the namespace goes once its last VM is gone. This cannot be undone.`,
                  confirm: "Delete Namespace",
                  run: async () => {
                    const result = await remove.executeAsync({ name: namespace });
                    if (result?.serverError) toast.error(result.serverError.message);
                    else toast.success(`Deleting namespace ${namespace}`);
                  },
                }
              : null
          }
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
