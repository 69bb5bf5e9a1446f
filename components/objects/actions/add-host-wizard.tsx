"use client";
// Cluster › Actions › Add Host: the vSphere Client's wizard (name, hardware, datastores, ready
// to complete). Each step validates before Next; Finish asks the engine to add the host, which
// then appears in the navigator by itself.
import { zodResolver } from "@hookform/resolvers/zod";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm, useWatch, type FieldPath } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { addHost } from "@/lib/actions/hosts/add-host";
import { addHostFormSchema, type AddHostForm } from "@/lib/actions/hosts/add-host-schema";
import { cn } from "@/lib/utils";

const STEPS: { title: string; fields: FieldPath<AddHostForm>[] }[] = [
  { title: "Name and location", fields: ["name"] },
  { title: "Host hardware", fields: ["cpuCores", "cpuMhz", "memoryGiB"] },
  { title: "Datastores", fields: ["datastores"] },
  { title: "Ready to complete", fields: [] },
];

const DEFAULTS: AddHostForm = { name: "", cpuCores: 32, cpuMhz: 2600, memoryGiB: 512, datastores: [] };

export function AddHostWizard({ cluster, datastores, open, onOpenChange }: { cluster: string; datastores: string[]; open: boolean; onOpenChange: (open: boolean) => void }) {
  const form = useForm<AddHostForm>({ resolver: zodResolver(addHostFormSchema), defaultValues: { ...DEFAULTS, datastores }, mode: "onTouched" });
  const [step, setStep] = useState(0);
  const [serverError, setServerError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(addHost);
  const errors = form.formState.errors;
  const values = useWatch({ control: form.control });

  const close = () => {
    onOpenChange(false);
    form.reset({ ...DEFAULTS, datastores });
    setStep(0);
    setServerError(null);
  };
  const next = async () => {
    if (await form.trigger(STEPS[step]!.fields)) setStep(step + 1);
  };
  const finish = form.handleSubmit(async (host) => {
    setServerError(null);
    const result = await executeAsync({ ...host, cluster });
    if (result?.data) {
      toast.success(`Adding ${host.name} to ${cluster}`);
      close();
    } else if (result?.serverError?.field === "name") {
      form.setError("name", { message: result.serverError.message });
      setStep(0);
    } else {
      setServerError(result?.serverError?.message ?? "The host could not be added. Try again.");
    }
  });

  return (
    <Dialog open={open} onOpenChange={(next) => (next ? onOpenChange(true) : close())}>
      <DialogContent className="gap-0 p-0 sm:max-w-3xl">
        <DialogHeader className="border-b border-border px-5 py-4">
          <DialogTitle>Add Host</DialogTitle>
          <DialogDescription>Add a host to {cluster}.</DialogDescription>
        </DialogHeader>
        <form
          noValidate
          aria-label="Add Host"
          onSubmit={(event) => {
            if (step === STEPS.length - 1) return void finish(event);
            // Enter in a field means Next until the last step.
            event.preventDefault();
            void next();
          }}
          className="grid min-h-80 grid-cols-[13rem_1fr]">
          <ol className="space-y-1 border-r border-border bg-muted/40 p-3 text-sm" aria-label="Steps">
            {STEPS.map((candidate, index) => (
              <li
                key={candidate.title}
                aria-current={index === step ? "step" : undefined}
                className={cn("rounded-sm px-2 py-1.5", index === step ? "bg-accent font-medium text-accent-foreground" : index < step ? "text-foreground" : "text-muted-foreground")}
              >
                {index + 1} {candidate.title}
              </li>
            ))}
          </ol>
          <div className="flex flex-col">
            <div className="flex-1 space-y-4 p-5">
              <h3 className="text-base font-semibold">{STEPS[step]!.title}</h3>
              {step === 0 && (
                <>
                  <p className="text-sm">
                    <span className="text-muted-foreground">Location:</span> {cluster}
                  </p>
                  <FormField label="Host name" htmlFor="add-host-name" error={errors.name && `Host name ${errors.name.message}`} description="The host's fully qualified domain name, such as esx-13.seattle.lab.">
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
            </div>
            <div className="flex justify-end gap-2 border-t border-border px-5 py-3">
              <Button type="button" variant="outline" onClick={close}>
                Cancel
              </Button>
              <Button type="button" variant="outline" disabled={step === 0} onClick={() => setStep(step - 1)}>
                Back
              </Button>
              {step < STEPS.length - 1 ? (
                <Button type="submit">
                  Next
                </Button>
              ) : (
                <Button type="submit" disabled={isPending}>
                  {isPending ? "Adding…" : "Finish"}
                </Button>
              )}
            </div>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
