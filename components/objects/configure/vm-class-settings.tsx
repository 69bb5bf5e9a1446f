"use client";
// VirtualMachine › Configure › VM Class: the class that sizes the VM, and a form to change it.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { SettingsSection, useSettingsEdit } from "@/components/objects/configure/settings-edit";
import { formatMiB } from "@/components/objects/summary/summary-parts";
import { FormField } from "@/components/ui/form-field";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { changeVmClass } from "@/lib/actions/vms/change-vm-class";
import { quantityToMiB } from "@/lib/engine/schemas";
import type { ObjectView } from "@/lib/inventory/object-view";
import type { VmClassOption } from "@/lib/inventory/vm-classes";

const formSchema = z.object({ className: z.string().min(1, "is required: choose a class") });
type FormValues = z.infer<typeof formSchema>;

const classOf = (object: ObjectView): FormValues => ({ className: String(object.spec.className ?? "") });
const sizeOf = (option: VmClassOption) => `${option.cpus} vCPU, ${formatMiB(option.memoryMiB)} memory${option.reserved ? ", reserved" : ""}`;

export function VmClassSettingsSection({ object, classes, canEdit }: { object: ObjectView; classes: VmClassOption[]; canEdit: boolean }) {
  const form = useForm<FormValues>({ resolver: zodResolver(formSchema), defaultValues: classOf(object) });
  const edit = useSettingsEdit(object.uid, form, classOf);
  const { executeAsync, isPending } = useAction(changeVmClass);
  const current = classes.find((option) => option.name === object.spec.className);
  // Edit Settings' custom CPUs and memory size the VM instead of its class (spec.hardware).
  const custom = object.spec.hardware as { cpus: number; memory: string } | undefined;
  const poweredOn = object.status.powerState === "PoweredOn";
  const applies = poweredOn
    ? "This VM is powered on: it keeps its current size and takes the new class at its next power cycle (when it is next powered off)."
    : "This VM is not powered on: the new class applies right away.";

  return (
    <SettingsSection
      title="VM Class"
      summary={String(object.spec.className ?? "No class")}
      facts={[
        ["Size", custom ? `Custom in Edit Settings: ${custom.cpus} vCPU, ${formatMiB(quantityToMiB(custom.memory))} memory` : current ? sizeOf(current) : "This class no longer exists."],
        ["Resources", current ? (current.reserved ? "Guaranteed: CPU and memory are reserved" : "Best effort: nothing is reserved") : "—"],
      ]}
      canEdit={canEdit}
      edit={edit}
      onEdit={() => edit.open(object)}
      formLabel="Edit VM Class"
      pending={isPending}
      onSubmit={form.handleSubmit(async ({ className }) =>
        edit.settle(
          await executeAsync({ namespace: object.namespace, name: object.name, className, expectedGeneration: edit.openedGeneration! }),
          `Class of ${object.name} changed to ${className}`,
        ),
      )}
    >
      <FormField label="VM class" htmlFor="vm-class" error={form.formState.errors.className?.message} description={applies}>
        <Controller
          control={form.control}
          name="className"
          render={({ field }) => (
            <Select value={field.value} onValueChange={field.onChange}>
              <SelectTrigger id="vm-class" className="w-96">
                <SelectValue placeholder="Choose a class" />
              </SelectTrigger>
              <SelectContent>
                {classes.map((option) => (
                  <SelectItem key={option.name} value={option.name}>
                    {option.name} <span className="text-muted-foreground">— {sizeOf(option)}</span>
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        />
      </FormField>
    </SettingsSection>
  );
}
