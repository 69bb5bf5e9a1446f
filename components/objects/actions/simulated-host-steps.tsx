"use client";
// Add Host › "Simulated ESXi host": the vSphere Client's steps (name, hardware, datastores, ready
// to complete). Each step validates before Next; Finish asks the engine to add the host, which
// then appears in the navigator by itself.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm, useWatch, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { fieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { WizardForm } from "@/components/ui/wizard-form";
import { addHost } from "@/lib/actions/hosts/add-host";
import { addHostFormSchema, type AddHostForm } from "@/lib/actions/hosts/add-host-schema";

const STEPS: { title: string; fields: FieldPath<AddHostForm>[] }[] = [
  { title: "Name and location", fields: ["name"] },
  { title: "Host hardware", fields: ["cpuCores", "cpuMhz", "memoryGiB"] },
  { title: "Datastores", fields: ["datastores"] },
  { title: "Ready to complete", fields: [] },
];

export const SIMULATED_HOST_STEPS = STEPS.map((step) => step.title);

const DEFAULTS: AddHostForm = { name: "", cpuCores: 32, cpuMhz: 2600, memoryGiB: 512, datastores: [] };

/** The steps after "Host type" (`firstStep` names it, so the list numbers on). */
export function SimulatedHostSteps({ cluster, datastores, firstStep, onBack, onDone }: { cluster: string; datastores: string[]; firstStep: string; onBack: () => void; onDone: () => void }) {
  const form = useForm<AddHostForm>({ resolver: zodResolver(addHostFormSchema), defaultValues: { ...DEFAULTS, datastores }, mode: "onTouched" });
  const [step, setStep] = useState(0);
  const [serverError, setServerError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(addHost);
  const errors = form.formState.errors;
  const values = useWatch({ control: form.control });

  const next = async () => {
    if (await form.trigger(STEPS[step]!.fields)) setStep(step + 1);
  };
  const finish = form.handleSubmit(async (host) => {
    setServerError(null);
    const result = await executeAsync({ ...host, cluster });
    if (result?.data) {
      toast.success(`Adding ${host.name} to ${cluster}`);
      onDone();
    } else if (result?.serverError?.field === "name") {
      form.setError("name", { type: "server", message: result.serverError.message });
      setStep(0);
    } else {
      setServerError(result?.serverError?.message ?? "The host could not be added. Try again.");
    }
  });
  const last = step === STEPS.length - 1;

  return (
    <WizardForm
      label="Add Host"
      steps={[firstStep, ...SIMULATED_HOST_STEPS]}
      current={step + 1}
      onSubmit={(event) => {
        if (last) return void finish(event);
        // Enter in a field means Next until the last step.
        event.preventDefault();
        void next();
      }}
      footer={
        <>
          <Button type="button" variant="outline" onClick={onDone}>
            Cancel
          </Button>
          <Button type="button" variant="outline" onClick={() => (step === 0 ? onBack() : setStep(step - 1))}>
            Back
          </Button>
          {last ? (
            <Button type="submit" disabled={isPending}>
              {isPending ? "Adding…" : "Finish"}
            </Button>
          ) : (
            <Button type="submit">Next</Button>
          )}
        </>
      }
    >
      {step === 0 && (
        <>
          <p className="text-sm">
            <span className="text-muted-foreground">Location:</span> {cluster}
          </p>
          <FormField label="Host name" htmlFor="add-host-name" error={fieldError("Host name", errors.name)} description="The host's fully qualified domain name, such as esx-13.seattle.lab.">
            <Input id="add-host-name" autoFocus autoComplete="off" spellCheck={false} {...form.register("name")} />
          </FormField>
        </>
      )}
      {step === 1 && (
        <div className="grid gap-4 sm:grid-cols-3">
          <FormField label="CPU cores" htmlFor="add-host-cores" error={errors.cpuCores && `CPU cores ${errors.cpuCores.message}`}>
            <Input id="add-host-cores" type="number" inputMode="numeric" {...form.register("cpuCores", { valueAsNumber: true })} />
          </FormField>
          <FormField label="CPU speed (MHz)" htmlFor="add-host-mhz" error={errors.cpuMhz && `CPU speed ${errors.cpuMhz.message}`}>
            <Input id="add-host-mhz" type="number" inputMode="numeric" {...form.register("cpuMhz", { valueAsNumber: true })} />
          </FormField>
          <FormField label="Memory (GiB)" htmlFor="add-host-memory" error={errors.memoryGiB && `Memory ${errors.memoryGiB.message}`}>
            <Input id="add-host-memory" type="number" inputMode="numeric" {...form.register("memoryGiB", { valueAsNumber: true })} />
          </FormField>
        </div>
      )}
      {step === 2 && (
        <fieldset className="space-y-2" aria-describedby={errors.datastores ? "add-host-datastores-error" : undefined}>
          <legend className="mb-2 text-sm text-muted-foreground">The datastores of {cluster} the host mounts.</legend>
          {datastores.length === 0 && <p className="text-sm text-muted-foreground">{cluster} has no datastores.</p>}
          {datastores.map((datastore) => (
            <label key={datastore} className="flex items-center gap-2 text-sm">
              <input type="checkbox" value={datastore} className="size-4 accent-primary" {...form.register("datastores")} />
              {datastore}
            </label>
          ))}
          {errors.datastores && (
            <p id="add-host-datastores-error" role="alert" className="text-xs text-destructive">
              Datastores: {errors.datastores.message}
            </p>
          )}
        </fieldset>
      )}
      {step === 3 && (
        <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 text-sm">
          {[
            ["Host name", values.name],
            ["Cluster", cluster],
            ["CPU", `${values.cpuCores} cores × ${values.cpuMhz} MHz`],
            ["Memory", `${values.memoryGiB} GiB`],
            ["Datastores", values.datastores?.join(", ")],
          ].map(([term, detail]) => (
            <div key={term} className="contents">
              <dt className="text-muted-foreground">{term}</dt>
              <dd>{detail}</dd>
            </div>
          ))}
        </dl>
      )}
      {serverError && (
        <Alert variant="destructive">
          <AlertDescription>{serverError}</AlertDescription>
        </Alert>
      )}
    </WizardForm>
  );
}
