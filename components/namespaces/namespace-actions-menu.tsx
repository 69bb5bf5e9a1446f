"use client";
// A namespace's Actions: New Virtual Machine (its editors and owners), Edit Namespace and Delete
// Namespace (administrators). Deleting deletes its VMs first, each a task in Recent Tasks.
import { useQuery } from "@tanstack/react-query";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { NamespaceDialog, type EditedNamespace } from "@/components/namespaces/namespace-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { DropdownMenuItem, DropdownMenuSeparator } from "@/components/ui/dropdown-menu";
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

export function NamespaceActionsMenu({ uid, namespace, canDeploy, manage }: { uid: string; namespace: string; canDeploy: boolean; manage: NamespaceFormChoices | null }) {
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
        {manage && (
          <>
            {canDeploy && <DropdownMenuSeparator />}
            <DropdownMenuItem
              disabled={deleting || !object}
              onSelect={() => {
                if (object) setEditing(edited(object));
                setDialog("edit");
              }}
            >
              <Pencil aria-hidden /> Edit Namespace…
            </DropdownMenuItem>
            <DropdownMenuItem variant="destructive" disabled={deleting} onSelect={() => setDialog("delete")}>
              <Trash2 aria-hidden /> Delete Namespace…
            </DropdownMenuItem>
          </>
        )}
      </ActionsMenu>
      {canDeploy && <NewVmWizard open={dialog === "deploy"} onOpenChange={(open) => setDialog(open ? "deploy" : null)} start={{ namespace }} />}
      {manage && editing && <NamespaceDialog open={dialog === "edit"} onOpenChange={(open) => setDialog(open ? "edit" : null)} choices={manage} editing={editing} />}
      {manage && (
        <VmConfirmDialog
          confirmation={
            dialog === "delete"
              ? {
                  title: `Delete namespace ${namespace}?`,
                  description: `Every virtual machine in ${namespace} (${object?.stats.vms ?? 0}) is powered off and deleted from disk, each as its own task; the namespace goes once its last VM is gone.`,
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
