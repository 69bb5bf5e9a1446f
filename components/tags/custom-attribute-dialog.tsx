"use client";
// Administration › Tags & Custom Attributes › New Attribute: a name, for one object type or every type.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { KIND_LABELS } from "@/components/objects/kind-icon";
import { CatalogFormDialog, settleCatalogSave } from "@/components/tags/catalog-form-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { saveCustomAttribute } from "@/lib/actions/tags/save-custom-attribute";
import { customAttributeSchema, TAGGABLE_KINDS, type CustomAttributeInput } from "@/lib/actions/tags/tag-schemas";

const BLANK: CustomAttributeInput = { name: "", objectKind: null };
const EVERY_TYPE = "every-type";

export function CustomAttributeDialog({ trigger }: { trigger: ReactNode }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const form = useForm<CustomAttributeInput>({ resolver: zodResolver(customAttributeSchema), defaultValues: BLANK });
  const { executeAsync, isPending, result, reset } = useAction(saveCustomAttribute);
  const errors = form.formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      form.reset(BLANK);
      reset();
    }
  };

  return (
    <CatalogFormDialog
      title="New Custom Attribute"
      description="A field every object of the type may carry a value for, edited on the object's Summary."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      formId="custom-attribute-form"
      conflict={null}
      error={result.serverError && !result.serverError.field ? result.serverError.message : undefined}
      isPending={isPending}
      onSubmit={form.handleSubmit(async (values) => {
        const outcome = await executeAsync(values);
        settleCatalogSave(outcome, {
          fieldError: (field, message) => field in values && (form.setError(field as keyof CustomAttributeInput, { message }), true),
          // Attributes are created, never edited: there is no stale version to conflict with.
          conflict: () => {},
          saved: () => {
            toast.success(`Custom attribute ${values.name} created`);
            onOpenChange(false);
            router.refresh();
          },
        });
      })}
    >
      <FormField label="Name" htmlFor="attribute-name" error={errors.name?.message}>
        <Input id="attribute-name" autoComplete="off" aria-invalid={!!errors.name} {...form.register("name")} />
      </FormField>
      <FormField label="Object type" htmlFor="attribute-kind" error={errors.objectKind?.message}>
        <Controller
          control={form.control}
          name="objectKind"
          render={({ field }) => (
            <Select value={field.value ?? EVERY_TYPE} onValueChange={(value) => field.onChange(value === EVERY_TYPE ? null : value)}>
              <SelectTrigger id="attribute-kind" className="w-56">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={EVERY_TYPE}>Every object type (global)</SelectItem>
                {TAGGABLE_KINDS.map((kind) => (
                  <SelectItem key={kind} value={kind}>
                    {KIND_LABELS[kind] ?? kind}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          )}
        />
      </FormField>
    </CatalogFormDialog>
  );
}
