"use client";
// VM › Actions › Rename: a new name, lowercase RFC 1123 and unique in the VM's namespace. The VM
// keeps its identity (uid), tasks and history; its page address does not change. The dialog sends
// the resourceVersion it opened with: a VM changed meanwhile is "changed by someone else".
import { useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConflictAlert } from "@/components/vms/conflict-alert";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { renameVm } from "@/lib/actions/vms/rename-vm";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectViewQuery } from "@/lib/queries/object-queries";

export function VmRenameDialog({ vm, open, onClose }: { vm: ObjectView; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      <DialogContent className="sm:max-w-md">{open && <RenameForm vm={vm} onClose={onClose} />}</DialogContent>
    </Dialog>
  );
}

function RenameForm({ vm, onClose }: { vm: ObjectView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const rename = useAction(renameVm);
  const [openedAt, setOpenedAt] = useState(vm.resourceVersion);
  const [newName, setNewName] = useState(vm.name);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);

  const reload = async () => {
    const current = await queryClient.fetchQuery({ ...objectViewQuery(vm.uid), staleTime: 0 });
    setOpenedAt(current.resourceVersion);
    setConflict(null);
  };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await rename.executeAsync({ namespace: vm.namespace, name: vm.name, newName: newName.trim(), expectedResourceVersion: openedAt });
    if (result?.data?.status === "saved") {
      toast.success(`Renamed ${vm.name} to ${newName.trim()}`);
      onClose();
    } else if (result?.data?.status === "conflict") setConflict(result.data.message);
    else setError(result?.serverError?.message ?? "The new name was not accepted. Try again.");
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Rename {vm.name}</DialogTitle>
        <DialogDescription>The VM keeps running, and keeps its tasks, events and page. Names are unique in namespace {vm.namespace}.</DialogDescription>
      </DialogHeader>
      <ConflictAlert message={conflict} onReload={() => void reload()} />
      <FormField label="New name" htmlFor="vm-new-name" error={error ?? undefined} description="Lowercase letters, digits and '-', starting and ending with a letter or digit; at most 63 characters.">
        <Input id="vm-new-name" autoFocus autoComplete="off" value={newName} onChange={(event) => setNewName(event.target.value)} />
      </FormField>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={rename.isPending || conflict !== null}>
          OK
        </Button>
      </DialogFooter>
    </form>
  );
}
