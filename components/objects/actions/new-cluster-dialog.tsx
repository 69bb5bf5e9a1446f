"use client";
// Datacenter › Actions › New Cluster: a name, and vSphere DRS and vSphere HA (on, as in the
// vSphere Client; their details are edited later under the cluster's Configure tab). The new
// cluster opens once created, with Add Host one click away.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { fieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { createCluster } from "@/lib/actions/clusters/create-cluster";
import { newClusterFormSchema, type NewClusterForm } from "@/lib/actions/clusters/new-cluster-schema";

const DEFAULTS: NewClusterForm = { name: "", drs: true, ha: true };

export function NewClusterDialog({ datacenter, open, onOpenChange }: { datacenter: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">{open && <NewClusterFormBody datacenter={datacenter} onDone={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

function NewClusterFormBody({ datacenter, onDone }: { datacenter: string; onDone: () => void }) {
  const router = useRouter();
  const form = useForm<NewClusterForm>({ resolver: zodResolver(newClusterFormSchema), defaultValues: DEFAULTS });
  const { executeAsync, isPending } = useAction(createCluster);
  const [formError, setFormError] = useState<string | null>(null);
  const errors = form.formState.errors;

  const submit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await executeAsync({ ...values, datacenter });
    if (result?.data) {
      toast.success(`Cluster ${values.name} created in ${datacenter}`);
      onDone();
      router.push(`/objects/${result.data.uid}`);
    } else if (result?.serverError?.field === "name") {
      form.setError("name", { type: "server", message: result.serverError.message });
    } else {
      setFormError(result?.serverError?.message ?? "The cluster could not be created. Try again.");
    }
  });

  return (
    <>
      <DialogHeader>
        <DialogTitle>New Cluster</DialogTitle>
        <DialogDescription>An empty cluster in {datacenter}. Add hosts to it afterwards: simulated ESXi hosts, or hosts running the Skylight agent — not both in one cluster.</DialogDescription>
      </DialogHeader>
      <form id="new-cluster-form" aria-label="New Cluster" noValidate className="space-y-4" onSubmit={submit}>
        {formError && (
          <Alert variant="destructive">
            <AlertDescription>{formError}</AlertDescription>
          </Alert>
        )}
        <FormField label="Name" htmlFor="new-cluster-name" error={fieldError("Name", errors.name)} description="Lowercase letters, digits, '-' and '.', such as lab-cluster-01.">
          <Input id="new-cluster-name" autoFocus autoComplete="off" spellCheck={false} {...form.register("name")} />
        </FormField>
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-medium">Services</legend>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4 accent-primary" {...form.register("drs")} />
            <span>
              vSphere DRS <span className="block text-xs text-muted-foreground">Places VMs and balances load across the hosts, fully automated.</span>
            </span>
          </label>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" className="mt-0.5 size-4 accent-primary" {...form.register("ha")} />
            <span>
              vSphere HA <span className="block text-xs text-muted-foreground">Restarts the VMs of a failed host on the others, keeping room for one host failure.</span>
            </span>
          </label>
        </fieldset>
      </form>
      <DialogFooter>
        <Button variant="outline" type="button" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" form="new-cluster-form" disabled={isPending}>
          {isPending ? "Creating…" : "Create Cluster"}
        </Button>
      </DialogFooter>
    </>
  );
}
