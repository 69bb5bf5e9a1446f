"use client";
// One cluster's self-service template: default and maximum limits per namespace, what all of one
// developer's namespaces from it may total, the VM classes, images and datastores its namespaces
// may use, the groups whose members may create them, and whether their creators may delete
// them (kubectl delete namespace, or the namespace's Actions). Remove stops the cluster offering
// self-service; namespaces already created keep their settings.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Controller, useForm, type Path } from "react-hook-form";
import { toast } from "sonner";
import { AllowancePicker } from "@/components/namespaces/allowance-picker";
import { LimitFields } from "@/components/namespaces/limit-fields";
import { formatMiB } from "@/components/objects/summary/summary-parts";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CheckboxList } from "@/components/ui/checkbox-list";
import { deleteTemplate } from "@/lib/actions/namespaces/delete-template";
import { limitsToForm, templateFormSchema } from "@/lib/actions/namespaces/namespace-form-schema";
import { saveTemplate } from "@/lib/actions/namespaces/save-template";
import type { NamespaceLimits } from "@/lib/engine/schemas";
import type { SelfServiceTemplate } from "@/lib/engine/self-service-template";
import type { NamespaceFormChoices } from "@/lib/inventory/namespace-reads";
import type { z } from "zod";

type Values = z.infer<typeof templateFormSchema>;

const orNull = (list: string[]) => (list.length ? list : null);

const limitsText = (limits: NamespaceLimits, none: string) =>
  [limits.cpu && `${limits.cpu} vCPU`, limits.memoryMiB && `${formatMiB(limits.memoryMiB)} memory`, limits.storageGiB && `${limits.storageGiB} GiB storage`].filter(Boolean).join(", ") || none;

export function TemplateEditor({ cluster, template, choices, groups }: { cluster: string; template: SelfServiceTemplate | null; choices: NamespaceFormChoices; groups: string[] }) {
  const [editing, setEditing] = useState(false);
  const defaults: Values = {
    cluster,
    defaults: limitsToForm(template?.defaults ?? {}),
    max: limitsToForm(template?.max ?? {}),
    perUser: limitsToForm(template?.perUser ?? {}),
    vmClasses: template?.vmClasses ?? [],
    images: template?.images ?? [],
    storageClasses: template?.storageClasses ?? [],
    groups: template?.groups ?? [],
    ownersMayDelete: template?.ownersMayDelete ?? true,
  };
  const form = useForm<Values>({ resolver: zodResolver(templateFormSchema), defaultValues: defaults });
  const save = useAction(saveTemplate);
  const remove = useAction(deleteTemplate);
  const [formError, setFormError] = useState<string | null>(null);
  const errors = form.formState.errors;
  const id = `template-${cluster}`;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await save.executeAsync(values);
    if (result?.serverError) {
      const { message, field } = result.serverError;
      const path = field?.replace("memoryMiB", "memoryGiB");
      if (path && path !== "cluster") form.setError(path as Path<Values>, { message });
      else setFormError(message);
      return;
    }
    toast.success(`Self-service template of ${cluster} saved`);
    setEditing(false);
  });

  return (
    <Card role="region" aria-labelledby={`${id}-title`}>
      <CardHeader className="flex flex-row items-center justify-between gap-3">
        <CardTitle id={`${id}-title`} className="flex items-center gap-2 text-sm">
          {cluster}
          <Badge variant={template ? "default" : "secondary"}>{template ? "Offers self-service" : "No self-service"}</Badge>
        </CardTitle>
        {!editing && (
          <div className="flex gap-2">
            {template && (
              <Button
                variant="outline"
                size="sm"
                disabled={remove.isPending}
                onClick={async () => {
                  const result = await remove.executeAsync({ cluster });
                  if (result?.serverError) toast.error(result.serverError.message);
                  else toast.success(`${cluster} no longer offers self-service namespaces`);
                }}
              >
                Remove
              </Button>
            )}
            <Button size="sm" onClick={() => setEditing(true)}>
              {template ? "Edit" : "Offer Self-Service…"}
            </Button>
          </div>
        )}
      </CardHeader>
      <CardContent>
        {!editing && template && (
          <p className="text-sm text-muted-foreground">
            For {template.groups.length ? template.groups.map((group) => `group ${group}`).join(", ") : "no group yet"}. Each namespace: {limitsText(template.defaults, "no limits")} by
            default, at most {limitsText(template.max, "unlimited")}. All of one user&apos;s namespaces: {limitsText(template.perUser, "no total")}
            {Object.keys(template.perUser).length > 0 && " in total"}. {template.ownersMayDelete ? "Owners may delete their namespaces." : "Only administrators delete its namespaces."}
          </p>
        )}
        {editing && (
          <form noValidate className="space-y-4" onSubmit={submit} aria-label={`Self-service template of ${cluster}`}>
            {formError && (
              <Alert variant="destructive">
                <AlertDescription>{formError}</AlertDescription>
              </Alert>
            )}
            <div className="space-y-1">
              <h3 className="text-sm font-medium">Default limits</h3>
              <LimitFields idPrefix={`${id}-default`} prefix="defaults." register={form.register} errors={errors.defaults} />
            </div>
            <div className="space-y-1">
              <h3 className="text-sm font-medium">Maximum limits</h3>
              <LimitFields idPrefix={`${id}-max`} prefix="max." register={form.register} errors={errors.max} placeholder="Unlimited" />
            </div>
            <div className="space-y-1" role="group" aria-labelledby={`${id}-per-user-title`}>
              <h3 id={`${id}-per-user-title`} className="text-sm font-medium">
                Total per user
              </h3>
              <p className="text-sm text-muted-foreground">What all the namespaces one developer creates on {cluster} may add up to. Leave empty for no total.</p>
              <LimitFields idPrefix={`${id}-per-user`} prefix="perUser." register={form.register} errors={errors.perUser} placeholder="No total" what="total" />
            </div>
            <Controller
              control={form.control}
              name="groups"
              render={({ field }) => (
                <fieldset className="grid gap-2">
                  <legend className="mb-1 text-sm font-medium">Groups that may create namespaces</legend>
                  {groups.length === 0 ? (
                    <p className="text-sm text-muted-foreground">There are no groups yet; create them under Groups.</p>
                  ) : (
                    <CheckboxList label="Groups that may create namespaces" options={groups.map((value) => ({ value }))} value={field.value} onChange={field.onChange} className="grid-cols-3" />
                  )}
                  {errors.groups && <p className="text-sm text-destructive">{errors.groups.message}</p>}
                </fieldset>
              )}
            />
            <div className="space-y-1">
              <label className="flex items-center gap-2 text-sm font-medium">
                <input type="checkbox" className="size-4 accent-primary" {...form.register("ownersMayDelete")} />
                Owners may delete namespaces
              </label>
              <p className="pl-6 text-sm text-muted-foreground">
                The developer who created a namespace from this template may delete it, with everything in it, from its Actions or with kubectl delete namespace.
              </p>
            </div>
            {(
              [
                ["vmClasses", "VM classes", "All VM classes", choices.classes.map((vmClass) => vmClass.name)],
                ["images", "Images (content library)", "All images", choices.images],
                ["storageClasses", "Storage classes (datastores)", `All datastores of ${cluster}`, choices.datastoresByCluster[cluster] ?? []],
              ] as const
            ).map(([name, label, allLabel, options]) => (
              <Controller
                key={name}
                control={form.control}
                name={name}
                render={({ field }) => (
                  <AllowancePicker
                    id={`${id}-${name}`}
                    label={label}
                    allLabel={allLabel}
                    options={options.map((value) => ({ value }))}
                    value={orNull(field.value)}
                    onChange={(value) => field.onChange(value ?? [])}
                    error={errors[name]?.message}
                  />
                )}
              />
            ))}
            <div className="flex justify-end gap-2">
              <Button
                type="button"
                variant="outline"
                onClick={() => {
                  form.reset(defaults);
                  setEditing(false);
                }}
              >
                Cancel
              </Button>
              <Button type="submit" disabled={save.isPending}>
                {save.isPending ? "Saving…" : "Save Template"}
              </Button>
            </div>
          </form>
        )}
      </CardContent>
    </Card>
  );
}
