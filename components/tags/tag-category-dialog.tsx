"use client";
// Administration › Tags & Custom Attributes › New or Edit Category: its name, description, how
// many of its tags one object may carry, and which object types it applies to.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Controller, useForm } from "react-hook-form";
import { toast } from "sonner";
import { KIND_LABELS } from "@/components/objects/kind-icon";
import { CatalogFormDialog, settleCatalogSave } from "@/components/tags/catalog-form-dialog";
import { CheckboxList } from "@/components/ui/checkbox-list";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { saveTagCategory } from "@/lib/actions/tags/save-tag-category";
import { CARDINALITY_LABELS, tagCategorySchema, TAGGABLE_KINDS, type TagCategoryInput } from "@/lib/actions/tags/tag-schemas";
import type { TagCategoryView } from "@/lib/inventory/tag-reads";

const BLANK: TagCategoryInput = { name: "", description: "", cardinality: "single", objectKinds: [] };
const toInput = (category: TagCategoryView): TagCategoryInput => ({ name: category.name, description: category.description, cardinality: category.cardinality, objectKinds: category.objectKinds });
const KIND_OPTIONS = TAGGABLE_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] ?? kind }));

export function TagCategoryDialog({ category, trigger }: { category?: TagCategoryView; trigger: ReactNode }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const form = useForm<TagCategoryInput>({ resolver: zodResolver(tagCategorySchema), defaultValues: category ? toInput(category) : BLANK });
  const { executeAsync, isPending, result, reset } = useAction(saveTagCategory);
  const errors = form.formState.errors;

  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) {
      form.reset(category ? toInput(category) : BLANK);
      reset();
      setConflict(null);
    }
  };

  return (
    <CatalogFormDialog
      title={category ? `Edit Category ${category.name}` : "New Category"}
      description="A category groups tags: Environment (prod, test) or Owner (team names). One tag per object replaces an object's tag of the category when another is assigned."
      trigger={trigger}
      open={open}
      onOpenChange={onOpenChange}
      formId="tag-category-form"
      conflict={conflict}
      error={result.serverError && !result.serverError.field ? result.serverError.message : undefined}
      isPending={isPending}
      onSubmit={form.handleSubmit(async (values) => {
        const outcome = await executeAsync({ id: category?.id, expectedVersion: category?.version, ...values });
        settleCatalogSave(outcome, {
          fieldError: (field, message) => field in values && (form.setError(field as keyof TagCategoryInput, { message }), true),
          conflict: setConflict,
          saved: () => {
            toast.success(`Category ${values.name} saved`);
            onOpenChange(false);
            router.refresh();
          },
        });
      })}
    >
      <FormField label="Name" htmlFor="category-name" error={errors.name?.message}>
        <Input id="category-name" autoComplete="off" aria-invalid={!!errors.name} {...form.register("name")} />
      </FormField>
      <FormField label="Description" htmlFor="category-description" error={errors.description?.message}>
        <Input id="category-description" autoComplete="off" {...form.register("description")} />
      </FormField>
      <FormField label="Tags per object" htmlFor="category-cardinality" error={errors.cardinality?.message}>
        <Controller
          control={form.control}
          name="cardinality"
          render={({ field }) => (
            <Select value={field.value} onValueChange={field.onChange}>
              <SelectTrigger id="category-cardinality" className="w-48">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="single">{CARDINALITY_LABELS.single}</SelectItem>
                <SelectItem value="multiple">{CARDINALITY_LABELS.multiple}</SelectItem>
              </SelectContent>
            </Select>
          )}
        />
      </FormField>
      <div className="grid gap-1.5">
        <span className="text-sm font-medium">Applies to</span>
        <Controller
          control={form.control}
          name="objectKinds"
          render={({ field }) => <CheckboxList label="Object types" className="grid-cols-2" options={KIND_OPTIONS} value={field.value} onChange={(kinds) => field.onChange(kinds as TagCategoryInput["objectKinds"])} />}
        />
        <p className={errors.objectKinds ? "text-sm text-destructive" : "text-xs text-muted-foreground"}>{errors.objectKinds?.message ?? "None checked: every object type."}</p>
      </div>
    </CatalogFormDialog>
  );
}
