"use client";
// Administration › Tags & Custom Attributes › New or Edit Tag: its category, name and description.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { CatalogFormDialog, settleCatalogSave } from "@/components/tags/catalog-form-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { saveTag } from "@/lib/actions/tags/save-tag";
import { tagSchema } from "@/lib/actions/tags/tag-schemas";
import type { TagCategoryView, TagView } from "@/lib/inventory/tag-reads";
import { ChoiceSelect } from "@/components/ui/choice-select";

const formSchema = tagSchema.extend({ categoryId: z.string().min(1, "is required: create a category first") });
type TagForm = z.infer<typeof formSchema>;

export function TagDialog({ categories, categoryId, tag, trigger }: { categories: TagCategoryView[]; categoryId?: string; tag?: TagView; trigger: ReactNode }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const initial: TagForm = { categoryId: categoryId ?? categories[0]?.id ?? "", name: tag?.name ?? "", description: tag?.description ?? "" };
  const form = useForm<TagForm>({ resolver: zodResolver(formSchema), defaultValues: initial });
  const { executeAsync, isPending, result, reset } = useAction(saveTag);
  const errors = form.formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      form.reset(initial);
      reset();
      setConflict(null);
    }
  };

  return (
    <CatalogFormDialog
      title={tag ? `Edit Tag ${tag.name}` : "New Tag"}
      description="Operators assign tags from an object's Summary or from the VM list's selection."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      formId="tag-form"
      conflict={conflict}
      error={result.serverError && !result.serverError.field ? result.serverError.message : undefined}
      isPending={isPending}
      onSubmit={form.handleSubmit(async ({ categoryId: chosen, ...values }) => {
        const outcome = await executeAsync({ id: tag?.id, categoryId: chosen, expectedVersion: tag?.version, ...values });
        settleCatalogSave(outcome, {
          fieldError: (field, message) => field in initial && (form.setError(field as keyof TagForm, { message }), true),
          conflict: setConflict,
          saved: () => {
            toast.success(`Tag ${values.name} saved`);
            onOpenChange(false);
            router.refresh();
          },
        });
      })}
    >
      <FormField label="Category" htmlFor="tag-category" error={errors.categoryId?.message}>
        <Controller
          control={form.control}
          name="categoryId"
          render={({ field }) => (
            <ChoiceSelect id="tag-category" value={field.value} onValueChange={field.onChange} choices={categories.map((category) => ({ value: category.id, label: category.name }))} className="w-full" placeholder="Choose a category" disabled={!!tag} />
          )}
        />
      </FormField>
      <FormField label="Name" htmlFor="tag-name" error={errors.name?.message}>
        <Input id="tag-name" autoComplete="off" aria-invalid={!!errors.name} {...form.register("name")} />
      </FormField>
      <FormField label="Description" htmlFor="tag-description" error={errors.description?.message}>
        <Input id="tag-description" autoComplete="off" {...form.register("description")} />
      </FormField>
    </CatalogFormDialog>
  );
}
