// The Configure sections that only show settings here: a VM's hardware, a host's hardware,
// networking and maintenance mode, a namespace's limits and cluster, a datastore's or network's
// general facts.
import { HostStateBadge, hostState } from "@/components/objects/state-badges";
import { FactList, formatCount, formatGiB, formatMhz, formatMiB, ObjectLinkText, type Fact } from "@/components/objects/summary/summary-parts";
import type { ObjectView } from "@/lib/inventory/object-view";

type Json = Record<string, unknown>;
const record = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const num = (value: unknown) => (typeof value === "number" ? value : Number(value ?? 0) || 0);
const noLimit = <span className="text-muted-foreground">No limit</span>;

function ReadOnlySection({ title, summary, facts, note }: { title: string; summary: string; facts: Fact[]; note?: string }) {
  return (
    <section aria-labelledby="configure-heading" className="max-w-3xl space-y-3">
      <h2 id="configure-heading" className="flex min-h-8 items-center text-base font-semibold">
        {title}
      </h2>
      <FactList title={summary} facts={facts} />
      {note && <p className="text-sm text-muted-foreground">{note}</p>}
    </section>
  );
}

export function VmHardwareSection({ object }: { object: ObjectView }) {
  const hardware = record(object.status.hardware);
  return (
    <ReadOnlySection
      title="VM Hardware"
      summary="Virtual hardware"
      facts={[
        ["CPU", hardware.cpus ? `${String(hardware.cpus)} vCPU` : "Not created yet"],
        ["Memory", hardware.memoryMiB ? formatMiB(num(hardware.memoryMiB)) : "Not created yet"],
        ["Hard disk 1", hardware.diskGiB ? formatGiB(num(hardware.diskGiB)) : "Not created yet"],
        ["VM class", <ObjectLinkText key="class" link={object.related.class} fallback={String(object.spec.className ?? "")} />],
        ["Guest OS image", <ObjectLinkText key="image" link={object.related.image} fallback={String(object.spec.imageName ?? "")} />],
        ["Storage", <ObjectLinkText key="ds" link={object.related.datastore} fallback={String(object.spec.storageClass ?? "")} />],
      ]}
      note="CPU and memory come from the VM class; change it under VM Class."
    />
  );
}

export function HostHardwareSection({ object }: { object: ObjectView }) {
  const hardware = record(object.status.hardware);
  const cores = num(hardware.sockets) * num(hardware.coresPerSocket);
  return (
    <ReadOnlySection
      title="Hardware"
      summary="Overview"
      facts={[
        ["Hypervisor", object.status.version ? `VMware ESXi ${String(object.status.version)} (simulated)` : "Not reported yet"],
        ["Processor sockets", hardware.sockets ? formatCount(num(hardware.sockets)) : "—"],
        ["Cores per socket", hardware.coresPerSocket ? formatCount(num(hardware.coresPerSocket)) : "—"],
        ["Logical processors", cores ? `${formatCount(cores)} at ${formatMhz(num(hardware.cpuMhz))}` : "—"],
        ["Memory", hardware.memoryMiB ? formatMiB(num(hardware.memoryMiB)) : "—"],
      ]}
    />
  );
}

export function HostNetworkingSection({ object }: { object: ObjectView }) {
  return (
    <ReadOnlySection
      title="Networking"
      summary="TCP/IP configuration"
      facts={[
        ["Management IP address", String(object.status.managementIP ?? "Not assigned")],
        ["Host name", object.name],
      ]}
    />
  );
}

export function HostMaintenanceSection({ object }: { object: ObjectView }) {
  const maintenance = record(object.status.maintenance);
  const requested = object.spec.maintenanceMode === true;
  const facts: Fact[] = [
    ["State", <HostStateBadge key="state" state={hostState(object.status)} />],
    ["Maintenance mode requested", requested ? "Yes" : "No"],
  ];
  if (maintenance.message) facts.push(["Progress", String(maintenance.message)]);
  return <ReadOnlySection title="Maintenance Mode" summary={object.status.inMaintenanceMode ? "The host is in maintenance mode" : "The host is not in maintenance mode"} facts={facts} />;
}

export function NamespaceLimitsSection({ object }: { object: ObjectView }) {
  const limits = record(object.spec.limits);
  return (
    <ReadOnlySection
      title="Limits"
      summary="Resource limits"
      facts={[
        ["CPU", limits.cpu === undefined ? noLimit : `${formatCount(num(limits.cpu))} vCPU`],
        ["Memory", limits.memoryMiB === undefined ? noLimit : formatMiB(num(limits.memoryMiB))],
        ["Storage", limits.storageGiB === undefined ? noLimit : formatGiB(num(limits.storageGiB))],
      ]}
    />
  );
}

export function NamespaceClusterSection({ object }: { object: ObjectView }) {
  return (
    <ReadOnlySection
      title="Cluster"
      summary="Supervisor cluster"
      facts={[
        ["Cluster", <ObjectLinkText key="cluster" link={object.related.cluster} fallback={String(object.spec.cluster ?? "")} />],
        ["Datacenter", <ObjectLinkText key="dc" link={object.related.datacenter} />],
      ]}
    />
  );
}

export function GeneralSection({ object }: { object: ObjectView }) {
  const facts: Fact[] =
    object.kind === "Datastore"
      ? [
          ["Name", object.name],
          ["Type", String(object.spec.type ?? "—").toUpperCase()],
          ["Capacity", formatGiB(num(object.spec.capacityGiB))],
          ["Free", formatGiB(num(object.status.freeGiB))],
          ["Datacenter", <ObjectLinkText key="dc" link={object.related.datacenter} />],
          ["Cluster", <ObjectLinkText key="cluster" link={object.related.cluster} />],
        ]
      : [
          ["Name", object.name],
          ["Port group", String(object.spec.portGroup ?? "—")],
          ["VLAN ID", object.spec.vlanId === 0 ? "None (0)" : String(object.spec.vlanId ?? "—")],
          ["Datacenter", <ObjectLinkText key="dc" link={object.related.datacenter} />],
        ];
  return <ReadOnlySection title="General" summary="Properties" facts={facts} />;
}
