"use client";
// VM › Actions › Snapshots › Take Snapshot, as in the vSphere Client: a name, a description and,
// while the VM runs, whether to save its memory so that reverting resumes it powered on.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { takeSnapshotSchema, type TakeSnapshotValues } from "@/lib/actions/vms/take-snapshot-schema";
import { takeVmSnapshot } from "@/lib/actions/vms/take-vm-snapshot";
import type { ObjectView } from "@/lib/inventory/object-view";

export function TakeSnapshotDialog({ vm, open, onOpenChange }: { vm: ObjectView; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">{open && <TakeSnapshotForm vm={vm} onDone={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

function TakeSnapshotForm({ vm, onDone }: { vm: ObjectView; onDone: () => void }) {
  const poweredOn = vm.status.powerState === "PoweredOn" && vm.spec.powerState === "PoweredOn";
  const form = useForm<TakeSnapshotValues>({
    resolver: zodResolver(takeSnapshotSchema),
    defaultValues: { name: `VM Snapshot ${new Date().toLocaleString()}`, description: "", memory: poweredOn },
  });
  const { executeAsync, isPending } = useAction(takeVmSnapshot);
  const [formError, setFormError] = useState<string | null>(null);

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await executeAsync({ ...values, namespace: vm.namespace, vm: vm.name });
    if (result?.data) {
      toast.success(`Taking snapshot "${values.name.trim()}" of ${vm.name}`);
      onDone();
      return;
    }
    const refusal = result?.serverError;
    if (refusal?.field === "name" || refusal?.field === "description") form.setError(refusal.field, { message: refusal.message });
    else setFormError(refusal?.message ?? "The snapshot was refused; check the fields and try again.");
  });

  return (
    <form onSubmit={submit} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Take Snapshot</DialogTitle>
        <DialogDescription>
          {vm.name} keeps running; the snapshot records its disks{poweredOn ? " and, if you choose, its memory" : ""} as they are now.
        </DialogDescription>
      </DialogHeader>
      <FormField label="Name" htmlFor="snapshot-name" error={form.formState.errors.name?.message}>
        <Input id="snapshot-name" autoFocus {...form.register("name")} />
      </FormField>
      <FormField label="Description" htmlFor="snapshot-description" error={form.formState.errors.description?.message}>
        <Textarea id="snapshot-description" rows={3} {...form.register("description")} />
      </FormField>
      <div className="grid gap-1">
        <label className="flex items-center gap-2 text-sm font-medium has-disabled:opacity-60">
          <input
            type="checkbox"
            className="size-4 accent-primary"
            disabled={!poweredOn}
            aria-describedby="snapshot-memory-hint"
            // A disabled field is not registered: react-hook-form would read it as undefined.
            {...(poweredOn ? form.register("memory") : { checked: false, readOnly: true })}
          />
          Snapshot the virtual machine&apos;s memory
        </label>
        <p id="snapshot-memory-hint" className="text-xs text-muted-foreground">
          {poweredOn
            ? "Reverting to it resumes the VM powered on, where it was. Without memory the VM reverts powered off."
            : "Only a powered-on VM's memory can be saved; this snapshot reverts the VM powered off."}
        </p>
      </div>
      {formError && (
        <Alert variant="destructive">
          <AlertDescription>{formError}</AlertDescription>
        </Alert>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={isPending}>
          Create
        </Button>
      </DialogFooter>
    </form>
  );
}
