"use client";
// Cluster › Actions › Add Host (and Datacenter › Actions › Add Host, which first asks which of its
// clusters the host joins): first the kind of host — a simulated ESXi host (the embedded
// simulator's) or a machine running the Skylight agent, which runs real VMs on QEMU — then that
// kind's steps. A cluster holds one kind only; the engine refuses a mix and the wizard says why.
import { useState } from "react";
import { AGENT_HOST_STEPS, AgentHostSteps } from "@/components/objects/actions/agent-host-steps";
import { SIMULATED_HOST_STEPS, SimulatedHostSteps } from "@/components/objects/actions/simulated-host-steps";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { WizardForm } from "@/components/ui/wizard-form";
import { cn } from "@/lib/utils";
import { ChoiceSelect } from "@/components/ui/choice-select";

type HostKind = "simulated" | "agent";

const HOST_TYPE = "Host type";
const KINDS: { kind: HostKind; label: string; description: string; steps: string[] }[] = [
  {
    kind: "simulated",
    label: "Simulated ESXi host",
    description: "A host of Skylight's embedded simulator, with the CPUs, memory and datastores you choose. Nothing to install.",
    steps: SIMULATED_HOST_STEPS,
  },
  {
    kind: "agent",
    label: "Host running the Skylight agent",
    description: "A real Linux machine that runs VMs on QEMU. You run one command on it to start its agent.",
    steps: AGENT_HOST_STEPS,
  },
];

/** A cluster the host may join, with the datastores its hosts can mount. */
export interface HostLocation {
  cluster: string;
  datastores: string[];
}

/**
 * From a cluster, `locations` is that cluster alone; from a datacenter (whose hosts live in its
 * clusters, as Skylight keeps no standalone hosts) its clusters, chosen on the first step.
 */
export function AddHostWizard({ locations, place, open, onOpenChange }: { locations: HostLocation[]; place: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="gap-0 p-0 sm:max-w-3xl">
        <DialogHeader className="border-b border-border px-5 py-4">
          <DialogTitle>Add Host</DialogTitle>
          <DialogDescription>Add a host to {place}.</DialogDescription>
        </DialogHeader>
        {open && <AddHostSteps locations={locations} onDone={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function AddHostSteps({ locations, onDone }: { locations: HostLocation[]; onDone: () => void }) {
  const [kind, setKind] = useState<HostKind>("simulated");
  const [chosen, setChosen] = useState(false);
  const [location, setLocation] = useState<HostLocation | undefined>(locations[0]);
  if (!location) return <p className="p-5 text-sm">This datacenter has no clusters yet: create one with New Cluster first, then add hosts to it.</p>;
  const { cluster, datastores } = location;
  if (chosen && kind === "simulated") return <SimulatedHostSteps cluster={cluster} datastores={datastores} firstStep={HOST_TYPE} onBack={() => setChosen(false)} onDone={onDone} />;
  if (chosen) return <AgentHostSteps cluster={cluster} firstStep={HOST_TYPE} onBack={() => setChosen(false)} onDone={onDone} />;
  return (
    <WizardForm
      label="Add Host"
      steps={[HOST_TYPE, ...KINDS.find((candidate) => candidate.kind === kind)!.steps]}
      current={0}
      onSubmit={(event) => {
        event.preventDefault();
        setChosen(true);
      }}
      footer={
        <>
          <Button type="button" variant="outline" onClick={onDone}>
            Cancel
          </Button>
          <Button type="button" variant="outline" disabled>
            Back
          </Button>
          <Button type="submit">Next</Button>
        </>
      }
    >
      {locations.length > 1 && (
        <FormField label="Cluster" htmlFor="add-host-cluster" description="The cluster the host joins: its DRS places VMs on it and its HA protects them." className="mb-5">
          <ChoiceSelect id="add-host-cluster" value={cluster} onValueChange={(name) => setLocation(locations.find((candidate) => candidate.cluster === name))} choices={locations.map((candidate) => ({ value: candidate.cluster, label: candidate.cluster }))} className="w-72" />
        </FormField>
      )}
      <fieldset className="space-y-3">
        <legend className="mb-2 text-sm text-muted-foreground">What kind of host is it? A cluster holds one kind of host, so that DRS and HA can move its VMs between any two of them.</legend>
        {KINDS.map((option) => (
          <label
            key={option.kind}
            className={cn("flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm", option.kind === kind ? "border-primary bg-accent/40" : "border-border hover:bg-muted/40")}
          >
            <input type="radio" name="host-kind" value={option.kind} checked={option.kind === kind} onChange={() => setKind(option.kind)} className="mt-0.5 size-4 accent-primary" />
            <span>
              <span className="font-medium">{option.label}</span>
              <span className="mt-0.5 block text-muted-foreground">{option.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
    </WizardForm>
  );
}
