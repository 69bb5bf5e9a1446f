"use client";
// The New Virtual Machine wizard, as in the vSphere Client: steps on the left, one step's fields
// on the right, Next only once the step's fields are valid, a review, then Finish. A choice the
// server refuses (a name taken, a host gone) comes back beside its field, on its step. Given a
// source VM it is the Clone to Virtual Machine wizard: name and namespace, storage, review; the
// class, size, image and adapters come from the source.
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useEffect, useState, type ComponentType } from "react";
import { useForm, useWatch, type UseFormReturn } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { ClassStep, CustomizeStep, ImageStep, NameStep, NetworkStep, ReviewStep, StorageStep } from "@/components/vms/new-vm-steps";
import { NO_CUSTOMIZATION } from "@/lib/actions/vms/guest-customization";
import { z } from "zod";
import { cloneVm } from "@/lib/actions/vms/clone-vm";
import { createVirtualMachine } from "@/lib/actions/vms/create-virtual-machine";
import { newVmFieldsSchema, newVmSchema, type NewVmValues } from "@/lib/actions/vms/new-vm-schema";
import type { NewVmChoices } from "@/lib/inventory/new-vm-choices";
import { cn } from "@/lib/utils";
import { newVmChoicesQuery } from "@/lib/queries/new-vm-queries";

interface Step {
  title: string;
  fields: (keyof NewVmValues)[];
  Fields: ComponentType<{ form: UseFormReturn<NewVmValues>; choices: NewVmChoices | undefined; source?: CloneSource }>;
}

/** The VM Clone to Virtual Machine copies. */
export interface CloneSource {
  namespace: string;
  name: string;
  className: string;
  imageName: string;
  /** The custom size Edit Settings gave the source, which the clone keeps. */
  hardware?: { cpus: number; memoryMiB: number };
  /** The network of each adapter. */
  networks: string[];
}

const STEPS: Step[] = [
  { title: "Select a name and namespace", fields: ["name", "namespace", "host"], Fields: NameStep },
  { title: "Select a VM class", fields: ["className"], Fields: ClassStep },
  { title: "Select an image", fields: ["imageName"], Fields: ImageStep },
  { title: "Select storage", fields: ["storageClass"], Fields: StorageStep },
  { title: "Select networks", fields: ["network"], Fields: NetworkStep },
  { title: "Customize guest OS", fields: ["userData", "sshAuthorizedKey", "hostName", "sysprepFullName", "sysprepOrgName", "sysprepPasswordSecret"], Fields: CustomizeStep },
  { title: "Ready to complete", fields: ["powerOn"], Fields: ReviewStep },
];

const CLONE_STEPS = [STEPS[0]!, STEPS[3]!, STEPS[6]!];
// A clone's adapters are the source's, so the wizard's one network is not asked for.
const cloneSchema = newVmFieldsSchema.extend({ network: z.string() });

export interface NewVmStart {
  namespace?: string;
  /** On a cluster's page: the wizard starts in the cluster's first namespace. */
  cluster?: string;
  /** A template's New VM from This Template: the template is the image. */
  imageName?: string;
}

export function NewVmWizard({ open, onOpenChange, start, source }: { open: boolean; onOpenChange: (open: boolean) => void; start: NewVmStart; source?: CloneSource }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="gap-0 p-0 sm:max-w-3xl">{open && <WizardBody start={start} source={source} onDone={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

function WizardBody({ start, source, onDone }: { start: NewVmStart; source?: CloneSource; onDone: () => void }) {
  const router = useRouter();
  const steps = source ? CLONE_STEPS : STEPS;
  const stepOf = (field: string) => steps.findIndex((step) => (step.fields as string[]).includes(field));
  const form = useForm<NewVmValues>({
    resolver: zodResolver(source ? cloneSchema : newVmSchema),
    defaultValues: source
      ? { ...NO_CUSTOMIZATION, name: `${source.name}-clone`, namespace: source.namespace, host: "", className: source.className, imageName: source.imageName, storageClass: "", network: "", powerOn: false }
      : { ...NO_CUSTOMIZATION, name: "", namespace: start.namespace ?? "", host: "", className: "", imageName: start.imageName ?? "", storageClass: "", network: "", powerOn: true },
  });
  const [step, setStep] = useState(0);
  const [formError, setFormError] = useState<string | null>(null);
  const namespace = useWatch({ control: form.control, name: "namespace" });
  const { data: choices, error } = useQuery(newVmChoicesQuery(namespace, start.cluster));
  const create = useAction(createVirtualMachine);
  const clone = useAction(cloneVm);
  const isPending = create.isPending || clone.isPending;

  const firstNamespaceOfCluster = start.cluster && !namespace ? choices?.namespaces.find((candidate) => candidate.cluster === start.cluster)?.name : undefined;
  useEffect(() => {
    if (firstNamespaceOfCluster) form.setValue("namespace", firstNamespaceOfCluster);
  }, [firstNamespaceOfCluster, form]);

  // A namespace in another cluster offers other hosts, datastores and networks: keep what still
  // applies and otherwise start from the cluster's first datastore and its "VM Network".
  const placement = choices?.placement;
  useEffect(() => {
    if (!placement) return;
    const { host, storageClass, network, className } = form.getValues();
    // A clone keeps its source's class; a new VM's class must be one this namespace offers and can hold.
    if (!source && className && !choices?.classes.some((candidate) => candidate.name === className && candidate.shortfall === null)) form.setValue("className", "");
    if (host && !placement.hosts.some((candidate) => candidate.name === host)) form.setValue("host", "");
    if (!placement.datastores.some((candidate) => candidate.name === storageClass)) form.setValue("storageClass", placement.datastores[0]?.name ?? "");
    if (!placement.networks.some((candidate) => candidate.name === network)) {
      form.setValue("network", (placement.networks.find((candidate) => candidate.portGroup === "VM Network") ?? placement.networks[0])?.name ?? "");
    }
  }, [placement, choices?.classes, source, form]);

  // A Windows image is customized by Sysprep, any other by cloud-init.
  const imageName = useWatch({ control: form.control, name: "imageName" });
  const windows = choices?.images.find((image) => image.name === imageName)?.windows ?? false;
  useEffect(() => form.setValue("guestCustomization", windows ? "sysprep" : "cloudInit"), [windows, form]);

  // Errors appear on Next; once a field shows one, each change checks it again, so a fixed
  // value loses its error at once.
  useEffect(
    () =>
      form.subscribe({
        formState: { values: true },
        callback: ({ name }) => {
          const field = name as keyof NewVmValues | undefined;
          if (field && form.getFieldState(field).invalid) void form.trigger(field);
        },
      }),
    [form],
  );

  const next = async () => {
    if (await form.trigger(steps[step]!.fields)) setStep(step + 1);
  };
  const finish = form.handleSubmit(async (values) => {
    setFormError(null);
    const { name, namespace, host, storageClass, powerOn } = values;
    const result = source
      ? await clone.executeAsync({ source: { namespace: source.namespace, name: source.name }, name, namespace, host, storageClass, powerOn })
      : await create.executeAsync(values);
    if (result?.data) {
      toast.success(source ? `Cloning ${source.name} to ${values.name}` : `Creating virtual machine ${values.name}`);
      onDone();
      router.push(`/objects/${result.data.uid}`);
      return;
    }
    const refusal = result?.serverError;
    const field = refusal?.field?.split(".").pop();
    if (refusal && field && stepOf(field) >= 0) {
      form.setError(field as keyof NewVmValues, { message: refusal.message });
      setStep(stepOf(field));
    } else if (result?.validationErrors) {
      const fieldErrors: Record<string, string[] | undefined> = result.validationErrors.fieldErrors;
      const [invalid, messages] = Object.entries(fieldErrors).find(([, messages]) => messages?.length) ?? [];
      if (invalid && stepOf(invalid) >= 0) {
        form.setError(invalid as keyof NewVmValues, { message: messages!.join(", ") });
        setStep(stepOf(invalid));
      } else setFormError(result.validationErrors.formErrors?.join("; ") || "The virtual machine was refused.");
    } else setFormError(refusal?.message ?? "The virtual machine could not be created. Try again.");
  });

  const { title, Fields } = steps[step]!;
  const last = step === steps.length - 1;
  const heading = source ? `Clone ${source.name} to Virtual Machine` : "New Virtual Machine";
  return (
    <form noValidate aria-label={heading} onSubmit={(event) => (last ? void finish(event) : (event.preventDefault(), void next()))} className="grid min-h-[33rem] sm:grid-cols-[13rem_1fr]">
      <nav aria-label="Steps" className="border-b border-border bg-muted/40 p-5 sm:border-r sm:border-b-0">
        <p className="mb-3 text-sm font-semibold">{heading}</p>
        <ol className="space-y-1 text-sm">
          {steps.map((candidate, index) => (
            <li
              key={candidate.title}
              aria-current={index === step ? "step" : undefined}
              className={cn("flex gap-2 rounded-md px-2 py-1.5", index === step ? "bg-accent font-medium text-accent-foreground" : index < step ? "text-foreground" : "text-muted-foreground")}
            >
              <span className="w-4 shrink-0 tabular-nums">{index + 1}</span>
              {candidate.title}
            </li>
          ))}
        </ol>
      </nav>
      <div className="flex min-w-0 flex-col p-5">
        <DialogHeader className="mb-4 pr-8">
          <DialogTitle>
            {step + 1}. {title}
          </DialogTitle>
          <DialogDescription>{last ? `Check every choice, then Finish to create the ${source ? "clone" : "virtual machine"}.` : `Step ${step + 1} of ${steps.length}.`}</DialogDescription>
        </DialogHeader>
        <div className="flex-1 space-y-4">
          {error && (
            <Alert variant="destructive">
              <AlertDescription>The choices could not be loaded: {error.message}</AlertDescription>
            </Alert>
          )}
          {formError && (
            <Alert variant="destructive">
              <AlertDescription>{formError}</AlertDescription>
            </Alert>
          )}
          <Fields form={form} choices={choices} source={source} />
        </div>
        <DialogFooter className="mt-6 border-t border-border pt-4">
          <Button type="button" variant="outline" onClick={onDone}>
            Cancel
          </Button>
          <Button type="button" variant="outline" disabled={step === 0} onClick={() => setStep(step - 1)}>
            Back
          </Button>
          <Button type="submit" disabled={isPending}>
            {last ? (isPending ? "Creating…" : "Finish") : "Next"}
          </Button>
        </DialogFooter>
      </div>
    </form>
  );
}
