"use client";
// A real host's Summary card: what its Skylight agent registered (version, OS, kernel, QEMU,
// addresses) and its last heartbeat, or, until the agent first registers, that the host waits for
// it and the command that starts it (the token was shown once, when the host was added).
import { useQuery } from "@tanstack/react-query";
import { HostRequirements } from "@/components/objects/actions/agent-host-steps";
import { FactList } from "@/components/objects/summary/summary-parts";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CommandBlock } from "@/components/ui/command-block";
import { RelativeTime } from "@/components/ui/relative-time";
import type { AgentHostView } from "@/lib/inventory/agent-host-reads";
import { agentHostQuery } from "@/lib/queries/object-queries";

/** The agent's card, or nothing for a simulated host. */
export function AgentHostSummary({ uid, name }: { uid: string; name: string }) {
  const { data } = useQuery(agentHostQuery(uid));
  const agent = data?.agent;
  if (!agent) return null;
  return agent.registered ? <RegisteredAgent agent={agent} /> : <WaitingForAgent agent={agent} name={name} />;
}

function RegisteredAgent({ agent }: { agent: AgentHostView }) {
  return (
    <FactList
      title="Skylight Agent"
      facts={[
        ["Agent version", agent.agentVersion],
        ["Hypervisor", agent.hypervisor],
        ["OS image", agent.osImage],
        ["Kernel", [agent.kernelVersion, agent.architecture].filter(Boolean).join(" ") || null],
        ["Addresses", agent.addresses.length ? agent.addresses.map((address) => `${address.address} (${address.type})`).join(", ") : null],
        [agent.datastores.length > 1 ? "Datastores" : "Datastore", agent.datastores.join(", ")],
        ["Last heartbeat", agent.lastHeartbeat ? <RelativeTime key="heartbeat" value={agent.lastHeartbeat} /> : "None yet"],
      ]}
    />
  );
}

function WaitingForAgent({ agent, name }: { agent: AgentHostView; name: string }) {
  return (
    <Card className="xl:col-span-2">
      <CardHeader>
        <CardTitle className="text-sm">Skylight Agent</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3">
        <p className="text-sm font-medium">Waiting for the Skylight agent to start on this host.</p>
        <p className="text-sm text-muted-foreground">
          Start it on {name} with the command shown when the host was added; <code className="font-mono text-xs">&lt;token&gt;</code> stands for that command&apos;s token, which is not kept. Its VMs live on
          datastore {agent.datastores[0]}
          {agent.datastores.length > 1 && <>, and it mounts {agent.datastores.slice(1).join(", ")} too: replace each <code className="font-mono text-xs">&lt;directory&gt;</code> with where that datastore is mounted on the host</>}.
        </p>
        {agent.command && <CommandBlock command={agent.command} label={`Command that starts the Skylight agent on ${name}`} />}
        <HostRequirements name={name} />
      </CardContent>
    </Card>
  );
}
