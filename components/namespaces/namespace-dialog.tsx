"use client";
// New Namespace and Edit Namespace for administrators: cluster (fixed once created), limits, and
// the VM classes, images and storage classes its VMs may use. Edit sends the resourceVersion it
// opened with; a namespace changed meanwhile comes back as "changed by someone else".
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Controller, useForm, useWatch, type Path } from "react-hook-form";
import { toast } from "sonner";
import { AllowancePicker } from "@/components/namespaces/allowance-picker";
import { LimitFields } from "@/components/namespaces/limit-fields";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { createNamespace } from "@/lib/actions/namespaces/create-namespace";
import { namespaceFormSchema, type NamespaceFormValues } from "@/lib/actions/namespaces/namespace-form-schema";
import { updateNamespace } from "@/lib/actions/namespaces/update-namespace";
import type { NamespaceFormChoices } from "@/lib/inventory/namespace-reads";
import { objectKeys } from "@/lib/queries/object-queries";
import { formatMiB } from "@/components/objects/summary/summary-parts";
import { ChoiceSelect, choicesOf } from "@/components/ui/choice-select";

export interface EditedNamespace {
  uid: string;
  values: NamespaceFormValues;
  resourceVersion: string;
}

export function NamespaceDialog({
  open,
  onOpenChange,
  choices,
  editing,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  choices: NamespaceFormChoices;
  /** Absent: New Namespace. */
  editing?: EditedNamespace;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-2xl">{open && <NamespaceForm choices={choices} editing={editing} onDone={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

const EMPTY: NamespaceFormValues = { name: "", cluster: "", cpu: "", memoryGiB: "", storageGiB: "", vmClasses: null, images: null, storageClasses: null };

function NamespaceForm({ choices, editing, onDone }: { choices: NamespaceFormChoices; editing?: EditedNamespace; onDone: () => void }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<NamespaceFormValues>({ resolver: zodResolver(namespaceFormSchema), defaultValues: editing?.values ?? { ...EMPTY, cluster: choices.clusters[0] ?? "" } });
  const create = useAction(createNamespace);
  const update = useAction(updateNamespace);
  const [formError, setFormError] = useState<string | null>(null);
  const cluster = useWatch({ control: form.control, name: "cluster" });
  const errors = form.formState.errors;
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = editing
      ? await update.executeAsync({ ...values, name: editing.values.name, expectedResourceVersion: editing.resourceVersion })
      : await create.executeAsync(values);
    const data = result?.data;
    if (data && "status" in data && data.status === "conflict") {
      setFormError(data.message);
      return;
    }
    if (result?.serverError) {
      const { message, field } = result.serverError;
      const name = field?.split(".").pop();
      if (name && name in values) form.setError(name as Path<NamespaceFormValues>, { message });
      else setFormError(message);
      return;
    }
    if (!data) return;
    toast.success(editing ? `Namespace ${values.name} saved` : `Namespace ${values.name} created`);
    if (editing) await queryClient.invalidateQueries({ queryKey: objectKeys.view(editing.uid) });
    router.refresh();
    onDone();
  });

  return (
    <>
      <DialogHeader>
        <DialogTitle>{editing ? `Edit Namespace ${editing.values.name}` : "New Namespace"}</DialogTitle>
        <DialogDescription>Limits hold for every VM in the namespace; an empty limit means none. Permissions are set on the namespace&apos;s Permissions tab.</DialogDescription>
      </DialogHeader>
      <form id="namespace-form" noValidate className="space-y-4" onSubmit={submit}>
        {formError && (
          <Alert variant="destructive">
            <AlertDescription>{formError}</AlertDescription>
          </Alert>
        )}
        <div className="grid grid-cols-2 gap-3">
          <FormField label="Name" htmlFor="namespace-name" error={errors.name?.message}>
            <Input id="namespace-name" autoComplete="off" disabled={!!editing} {...form.register("name")} />
          </FormField>
          <FormField label="Cluster" htmlFor="namespace-cluster" error={errors.cluster?.message}>
            <Controller
              control={form.control}
              name="cluster"
              render={({ field }) => (
                <ChoiceSelect id="namespace-cluster" value={field.value} onValueChange={(value) => { field.onChange(value); form.setValue("storageClasses", null); }} choices={choicesOf(choices.clusters)} className="w-full" placeholder="Choose a cluster" disabled={!!editing} />
              )}
            />
          </FormField>
        </div>
        <LimitFields idPrefix="namespace" prefix="" register={form.register} errors={errors} />
        <Controller
          control={form.control}
          name="vmClasses"
          render={({ field }) => (
            <AllowancePicker
              id="namespace-classes"
              label="VM classes"
              allLabel="All VM classes"
              options={choices.classes.map((vmClass) => ({ value: vmClass.name, label: `${vmClass.name} (${vmClass.cpus} vCPU, ${formatMiB(vmClass.memoryMiB)})` }))}
              value={field.value}
              onChange={field.onChange}
              error={errors.vmClasses?.message}
            />
          )}
        />
        <Controller
          control={form.control}
          name="images"
          render={({ field }) => (
            <AllowancePicker id="namespace-images" label="Images (content library)" allLabel="All images" options={choices.images.map((value) => ({ value }))} value={field.value} onChange={field.onChange} error={errors.images?.message} />
          )}
        />
        <Controller
          control={form.control}
          name="storageClasses"
          render={({ field }) => (
            <AllowancePicker
              id="namespace-storage"
              label="Storage classes (datastores)"
              allLabel={`All datastores of ${cluster || "the cluster"}`}
              options={(choices.datastoresByCluster[cluster] ?? []).map((value) => ({ value }))}
              value={field.value}
              onChange={field.onChange}
              error={errors.storageClasses?.message}
            />
          )}
        />
      </form>
      <DialogFooter>
        <Button variant="outline" type="button" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" form="namespace-form" disabled={pending}>
          {pending ? "Saving…" : editing ? "Save" : "Create Namespace"}
        </Button>
      </DialogFooter>
    </>
  );
}
