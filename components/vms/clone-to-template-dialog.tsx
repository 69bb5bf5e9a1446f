"use client";
// VM › Actions › Clone › Clone to Template: a name for the template. The VM's disk is copied to the
// content library, where the template shows once the copy is done and New Virtual Machine can
// deploy it; the VM itself keeps running.
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { cloneVmToTemplate } from "@/lib/actions/vms/clone-vm-to-template";
import type { ObjectView } from "@/lib/inventory/object-view";

export function CloneToTemplateDialog({ vm, open, onClose }: { vm: ObjectView; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      <DialogContent className="sm:max-w-md">{open && <CloneToTemplateForm vm={vm} onClose={onClose} />}</DialogContent>
    </Dialog>
  );
}

function CloneToTemplateForm({ vm, onClose }: { vm: ObjectView; onClose: () => void }) {
  const clone = useAction(cloneVmToTemplate);
  const [templateName, setTemplateName] = useState(`${vm.name}-template`);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    const result = await clone.executeAsync({ namespace: vm.namespace, name: vm.name, templateName: templateName.trim() });
    if (result?.data) {
      toast.success(`Cloning ${vm.name} to template ${templateName.trim()}`);
      onClose();
    } else setError(result?.serverError?.message ?? "The template was refused. Try again.");
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Clone {vm.name} to Template</DialogTitle>
        <DialogDescription>
          {vm.name}&apos;s disk is copied to the content library ({String(vm.spec.storageClass ?? "its datastore")} stays as it is). The template shows under VMs and Templates and as an image in New
          Virtual Machine once the copy is done.
        </DialogDescription>
      </DialogHeader>
      <FormField label="Template name" htmlFor="template-name" error={error ?? undefined} description="Lowercase letters, digits, '-' and '.'; unique in the content library.">
        <Input id="template-name" autoFocus autoComplete="off" value={templateName} onChange={(event) => setTemplateName(event.target.value)} />
      </FormField>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={clone.isPending}>
          OK
        </Button>
      </DialogFooter>
    </form>
  );
}
