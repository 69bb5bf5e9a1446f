"use client";
// A template's Actions, as in the vSphere Client's VMs and Templates view: New VM from This
// Template (the wizard with the template chosen as the image) and Delete from Disk (confirmed).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { DropdownMenuItem, DropdownMenuSeparator } from "@/components/ui/dropdown-menu";
import { NewVmWizard } from "@/components/vms/new-vm-wizard";
import { deleteVmTemplate } from "@/lib/actions/templates/delete-vm-template";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";

export function TemplateActionsMenu({ uid }: { uid: string }) {
  const { data: template } = useQuery(objectViewQuery(uid, "VirtualMachineImage"));
  const queryClient = useQueryClient();
  const router = useRouter();
  const [deploying, setDeploying] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const removal = useAction(deleteVmTemplate);
  if (!template) return null;
  const ready = (template.status.conditions as { type: string; status: string }[] | undefined)?.some((condition) => condition.type === "Ready" && condition.status === "True");
  const namespace = template.labels["skylight.io/namespace"];

  const remove = async () => {
    const result = await removal.executeAsync({ name: template.name, expectedResourceVersion: template.resourceVersion });
    if (result?.data?.status === "saved") {
      toast.success(`Deleting template ${template.name} from disk`);
      router.push("/vms");
    } else if (result?.data?.status === "conflict") {
      const message = result.data.message;
      toast.error(message, { action: { label: "Reload", onClick: () => void queryClient.invalidateQueries({ queryKey: objectKeys.view(uid) }) } });
    } else toast.error(result?.serverError?.message ?? "Delete from Disk failed. Try again.");
  };

  return (
    <>
      <ActionsMenu disabled={removal.isPending || template.deletionTimestamp !== null} className="w-64">
        <DropdownMenuItem disabled={!ready} onSelect={() => setDeploying(true)}>
          <Plus aria-hidden /> New VM from This Template…
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem variant="destructive" onSelect={() => setConfirming(true)}>
          <Trash2 aria-hidden /> Delete from Disk…
        </DropdownMenuItem>
      </ActionsMenu>
      <NewVmWizard open={deploying} onOpenChange={setDeploying} start={{ namespace, imageName: template.name }} />
      <AlertDialog open={confirming} onOpenChange={setConfirming}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete template {template.name} from disk?</AlertDialogTitle>
            <AlertDialogDescription>
              Its disk is removed from the content library and New Virtual Machine no longer offers it. VMs already deployed from it keep their own disks. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction variant="destructive" onClick={() => void remove()}>
              Delete from Disk
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
