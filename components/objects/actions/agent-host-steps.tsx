"use client";
// Add Host › "Host running the Skylight agent": the host's name, its default datastore and any
// others it mounts, then the one command to run on that machine. Finish adds the host (disconnected until its agent registers)
// and mints its token, which the last step shows inside the command, this once.
import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CommandBlock } from "@/components/ui/command-block";
import { fieldError, FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { WizardForm } from "@/components/ui/wizard-form";
import { addAgentHost } from "@/lib/actions/hosts/add-agent-host";
import { addAgentHostFormSchema, datastoreNames, type AddAgentHostForm } from "@/lib/actions/hosts/add-host-schema";

export const AGENT_HOST_STEPS = ["Name and datastore", "Start the agent"];

/** The steps after "Host type" (`firstStep` names it, so the list numbers on). */
export function AgentHostSteps({ cluster, firstStep, onBack, onDone }: { cluster: string; firstStep: string; onBack: () => void; onDone: () => void }) {
  const router = useRouter();
  const form = useForm<AddAgentHostForm>({ resolver: zodResolver(addAgentHostFormSchema), defaultValues: { name: "", datastore: `${cluster}-datastore`, otherDatastores: "" }, mode: "onTouched" });
  const [added, setAdded] = useState<{ name: string; command: string; otherDatastores: string[] } | null>(null);
  const [serverError, setServerError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(addAgentHost);
  const errors = form.formState.errors;

  const finish = form.handleSubmit(async (host) => {
    setServerError(null);
    const otherDatastores = datastoreNames(host.otherDatastores);
    const result = await executeAsync({ ...host, otherDatastores, cluster });
    const refusal = result?.serverError;
    if (result?.data) {
      toast.success(`Added ${host.name} to ${cluster}; it connects when its agent starts`);
      setAdded({ name: host.name, command: result.data.command, otherDatastores });
      // The cluster's page lists its datastores, a new one among them.
      router.refresh();
    } else if (refusal?.field === "name" || refusal?.field === "datastore" || refusal?.field === "otherDatastores") {
      form.setError(refusal.field, { type: "server", message: refusal.message });
    } else {
      setServerError(refusal?.message ?? "The host could not be added. Try again.");
    }
  });

  return (
    <WizardForm
      label="Add Host"
      steps={[firstStep, ...AGENT_HOST_STEPS]}
      current={added ? 2 : 1}
      onSubmit={(event) => {
        if (added) {
          event.preventDefault();
          onDone();
        } else void finish(event);
      }}
      footer={
        added ? (
          <Button type="submit">Done</Button>
        ) : (
          <>
            <Button type="button" variant="outline" onClick={onDone}>
              Cancel
            </Button>
            <Button type="button" variant="outline" onClick={onBack}>
              Back
            </Button>
            <Button type="submit" disabled={isPending}>
              {isPending ? "Adding…" : "Finish"}
            </Button>
          </>
        )
      }
    >
      {added ? (
        <StartAgent name={added.name} command={added.command} otherDatastores={added.otherDatastores} />
      ) : (
        <>
          <p className="text-sm">
            <span className="text-muted-foreground">Location:</span> {cluster}
          </p>
          <FormField label="Host name" htmlFor="add-agent-host-name" error={fieldError("Host name", errors.name)} description="The name the host joins as, such as qemu-01.lab. Its agent is started with it.">
            <Input id="add-agent-host-name" autoFocus autoComplete="off" spellCheck={false} {...form.register("name")} />
          </FormField>
          <FormField
            label="Datastore"
            htmlFor="add-agent-host-datastore"
            error={fieldError("Datastore", errors.datastore)}
            description="Where the host keeps its VMs' disks (the agent's --datastore directory). Hosts that name the same datastore must share its directory, over NFS say, so their VMs can move between them."
          >
            <Input id="add-agent-host-datastore" autoComplete="off" spellCheck={false} {...form.register("datastore")} />
          </FormField>
          <FormField
            label="Other datastores"
            htmlFor="add-agent-host-other-datastores"
            error={fieldError("Other datastores", errors.otherDatastores)}
            description="Optional: more datastores the host mounts, separated by commas, such as fast-ssd-01, archive-01. Storage vMotion moves its VMs' disks between its datastores; the agent is told where each is mounted."
          >
            <Input id="add-agent-host-other-datastores" autoComplete="off" spellCheck={false} {...form.register("otherDatastores")} />
          </FormField>
          {serverError && (
            <Alert variant="destructive">
              <AlertDescription>{serverError}</AlertDescription>
            </Alert>
          )}
        </>
      )}
    </WizardForm>
  );
}

function StartAgent({ name, command, otherDatastores }: { name: string; command: string; otherDatastores: string[] }) {
  return (
    <>
      <p className="text-sm">
        Run this command on {name}, in a checkout of Skylight
        {otherDatastores.length > 0 && (
          <>
            , after replacing each <code className="font-mono text-xs">&lt;directory&gt;</code> with the directory where that datastore ({otherDatastores.join(", ")}) is mounted on the host
          </>
        )}
        :
      </p>
      <CommandBlock command={command} label={`Command that starts the Skylight agent on ${name}`} />
      <Alert>
        <AlertDescription>The token in this command is shown only this once. Copy the command now; if it is lost, remove the host from the inventory and add it again.</AlertDescription>
      </Alert>
      <HostRequirements name={name} />
    </>
  );
}

/** What a host needs before its agent can run VMs; the host's Summary repeats it while it waits. */
export function HostRequirements({ name }: { name: string }) {
  return (
    <ul className="list-disc space-y-1 pl-5 text-sm text-muted-foreground">
      <li>
        {name} shows as disconnected until its agent starts and registers; then it connects by itself.
      </li>
      <li>
        The host needs Debian (or a derivative) with QEMU: <code className="font-mono text-xs text-foreground">apt-get install qemu-system-x86 qemu-utils</code>, and Node.js.
      </li>
      <li>VMs run under KVM when /dev/kvm exists on the host, else under QEMU&apos;s emulation (TCG), which is slower.</li>
    </ul>
  );
}
