"use client";
// New Namespace (self-service): a name, a cluster whose template the user may use, and limits up
// to the template's maximums (empty: the template's default). Where the template sets a total per
// user, the form says how much of it the user's namespaces there already hold; the engine refuses a
// namespace beyond it, beside its field. The creator becomes its owner.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Controller, useForm, useWatch, type Path } from "react-hook-form";
import { toast } from "sonner";
import { LimitFields } from "@/components/namespaces/limit-fields";
import { FactList, formatGiB, formatMiB } from "@/components/objects/summary/summary-parts";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { selfServiceFormSchema, type SelfServiceFormValues } from "@/lib/actions/namespaces/namespace-form-schema";
import { selfServiceNamespace } from "@/lib/actions/namespaces/self-service-namespace";
import type { SelfServiceTemplate } from "@/lib/engine/self-service-template";
import type { SelfServiceUsage } from "@/lib/engine/self-service-totals";
import type { NamespaceLimits } from "@/lib/engine/schemas";
import { ChoiceSelect } from "@/components/ui/choice-select";

type LimitKey = keyof NamespaceLimits;

const amount = (key: LimitKey, value: number) => (key === "cpu" ? `${value} vCPU` : key === "memoryMiB" ? formatMiB(value) : formatGiB(value));

function limitText(limits: NamespaceLimits, key: LimitKey) {
  const value = limits[key];
  return value === undefined ? "no limit" : amount(key, value);
}

const TOTALS: [LimitKey, string][] = [
  ["cpu", "CPU"],
  ["memoryMiB", "Memory"],
  ["storageGiB", "Storage"],
];

/** "you have used 8 of your 64 vCPU", or why nothing is left. */
function usedOfTotal(key: LimitKey, used: number | null, total: number) {
  if (used === null) return `one of your namespaces has no limit, so none of your ${amount(key, total)} is left`;
  return key === "cpu" ? `you have used ${used} of your ${total} vCPU` : `you have used ${amount(key, used)} of your ${amount(key, total)}`;
}

/** The template's per-user totals and what the user's namespaces on its cluster hold of them. */
function YourTotals({ template, used }: { template: SelfServiceTemplate; used: SelfServiceUsage | undefined }) {
  const totals = TOTALS.filter(([key]) => template.perUser[key] !== undefined);
  if (totals.length === 0) return null;
  const id = "self-service-your-total";
  return (
    <div role="group" aria-labelledby={id} className="rounded-md border border-border bg-surface px-3 py-2 text-sm">
      <p id={id} className="font-medium">
        Your total on {template.cluster}
      </p>
      <p className="text-muted-foreground">All the namespaces you create here may add up to these limits together.</p>
      <ul className="mt-1 space-y-0.5">
        {totals.map(([key, noun]) => (
          <li key={key}>
            <span className="font-medium">{noun}:</span> {usedOfTotal(key, used ? used[key] : 0, template.perUser[key]!)}
          </li>
        ))}
      </ul>
    </div>
  );
}

const everything = (list: string[], noun: string) => (list.length ? list.join(", ") : `All ${noun}`);

export function SelfServiceForm({ templates, usage }: { templates: SelfServiceTemplate[]; usage: Record<string, SelfServiceUsage> }) {
  const router = useRouter();
  const form = useForm<SelfServiceFormValues>({
    resolver: zodResolver(selfServiceFormSchema),
    defaultValues: { name: "", cluster: templates[0]!.cluster, cpu: "", memoryGiB: "", storageGiB: "" },
  });
  const { executeAsync, isPending } = useAction(selfServiceNamespace);
  const [formError, setFormError] = useState<string | null>(null);
  const cluster = useWatch({ control: form.control, name: "cluster" });
  const template = templates.find((candidate) => candidate.cluster === cluster) ?? templates[0]!;
  const errors = form.formState.errors;
  const limitErrors = { cpu: errors.cpu, memoryGiB: errors.memoryGiB, storageGiB: errors.storageGiB };

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await executeAsync(values);
    if (result?.serverError) {
      const { message, field } = result.serverError;
      const name = { "limits.cpu": "cpu", "limits.memoryMiB": "memoryGiB", "limits.storageGiB": "storageGiB", name: "name", cluster: "cluster" }[field ?? ""];
      if (name) form.setError(name as Path<SelfServiceFormValues>, { message });
      else setFormError(message);
      return;
    }
    if (!result?.data) return;
    toast.success(`Namespace ${values.name} created; you are its owner`);
    router.push(`/objects/${result.data.uid}`);
  });

  return (
    <div className="grid max-w-5xl gap-6 lg:grid-cols-[1fr_22rem]">
      <Card>
        <CardContent>
          <form noValidate className="space-y-4" onSubmit={submit} aria-label="New Namespace">
            {formError && (
              <Alert variant="destructive">
                <AlertDescription>{formError}</AlertDescription>
              </Alert>
            )}
            <div className="grid grid-cols-2 gap-3">
              <FormField label="Name" htmlFor="self-service-name" error={errors.name?.message} description="Lowercase letters, digits and '-'.">
                <Input id="self-service-name" autoComplete="off" {...form.register("name")} />
              </FormField>
              <FormField label="Cluster" htmlFor="self-service-cluster" error={errors.cluster?.message}>
                <Controller
                  control={form.control}
                  name="cluster"
                  render={({ field }) => (
                    <ChoiceSelect id="self-service-cluster" value={field.value} onValueChange={field.onChange} choices={templates.map((candidate) => ({ value: candidate.cluster, label: candidate.cluster }))} className="w-full" />
                  )}
                />
              </FormField>
            </div>
            <LimitFields idPrefix="self-service" prefix="" register={form.register} errors={limitErrors} placeholder="Template default" />
            <YourTotals template={template} used={usage[template.cluster]} />
            <p className="text-sm text-muted-foreground">Leave a limit empty for the template&apos;s default. You become the namespace&apos;s owner and can add others on its Permissions tab.</p>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="outline" onClick={() => router.back()}>
                Cancel
              </Button>
              <Button type="submit" disabled={isPending}>
                {isPending ? "Creating…" : "Create Namespace"}
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
      <FactList
        title={`Template of ${template.cluster}`}
        facts={[
          ["CPU", `${limitText(template.defaults, "cpu")} by default, at most ${limitText(template.max, "cpu")}`],
          ["Memory", `${limitText(template.defaults, "memoryMiB")} by default, at most ${limitText(template.max, "memoryMiB")}`],
          ["Storage", `${limitText(template.defaults, "storageGiB")} by default, at most ${limitText(template.max, "storageGiB")}`],
          ["Total per user", TOTALS.filter(([key]) => template.perUser[key] !== undefined).map(([key]) => limitText(template.perUser, key)).join(", ") || "no total"],
          ["VM classes", everything(template.vmClasses, "VM classes")],
          ["Images", everything(template.images, "images")],
          ["Storage classes", everything(template.storageClasses, `datastores of ${template.cluster}`)],
        ]}
      />
    </div>
  );
}
