"use client";
// The Summary tab: the object's key facts, capacity, related objects, conditions and labels,
// chosen by kind, and an inventory object's tags and custom attributes. Live through the object's query.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { ConditionsCard, LabelList, type ObjectCondition } from "@/components/inventory/object-summary";
import { HealthBadge, HostStateBadge, hostState, PowerStateBadge } from "@/components/objects/state-badges";
import { AgentHostSummary } from "@/components/objects/summary/agent-host-summary";
import { CustomResourceSummary } from "@/components/objects/summary/custom-resource-summary";
import { OwnershipCard } from "@/components/objects/summary/ownership-card";
import { PodSummary } from "@/components/objects/summary/pod-summary";
import { vmDeviceFacts } from "@/components/objects/summary/vm-device-facts";
import { WorkloadSummary } from "@/components/objects/summary/workload-summary";
import {
  CapacityCard,
  FactList,
  formatCount,
  formatGiB,
  formatMhz,
  formatMiB,
  ObjectLinkText,
  RelatedObjects,
  type Fact,
} from "@/components/objects/summary/summary-parts";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { RelativeTime } from "@/components/ui/relative-time";
import { CustomAttributesCard } from "@/components/tags/custom-attributes-card";
import { TagsCard } from "@/components/tags/tags-card";
import { WebConsoleCard } from "@/components/web-console/web-console-card";
import { TAGGABLE_KINDS } from "@/lib/actions/tags/tag-schemas";
import { quantityToMiB } from "@/lib/engine/schemas";
import { folderTypeOf } from "@/lib/inventory/folder-rules";
import { isCustomResourceKind } from "@/lib/inventory/kinds";
import type { ObjectView } from "@/lib/inventory/object-view";
import { performanceQuery } from "@/lib/queries/health-queries";
import { agentHostQuery, hostHeartbeatQuery, objectViewQuery } from "@/lib/queries/object-queries";

type Json = Record<string, unknown>;
const DRS_LEVELS: Record<string, string> = { manual: "manual", partiallyAutomated: "partially automated", fullyAutomated: "fully automated" };
const record = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const num = (value: unknown) => (typeof value === "number" ? value : Number(value ?? 0) || 0);

export function ObjectSummaryTab({ uid, kind, canOperate }: { uid: string; kind: string; canOperate: boolean }) {
  const { data: object } = useQuery(objectViewQuery(uid, kind));
  if (!object) return null;
  const conditions = (object.status.conditions as ObjectCondition[] | undefined) ?? [];
  return (
    <div className="space-y-4 p-6">
      <div className="grid gap-4 xl:grid-cols-2">
        <KindSummary object={object} />
        <OwnershipCard object={object} />
      </div>
      <div className="grid items-start gap-4 xl:grid-cols-[1fr_2fr]">
        <RelatedObjects links={Object.values(object.related)} />
        <Card>
          <CardHeader>
            <CardTitle className="text-sm">Labels</CardTitle>
          </CardHeader>
          <CardContent>
            <LabelList labels={object.labels} />
          </CardContent>
        </Card>
      </div>
      {(TAGGABLE_KINDS as readonly string[]).includes(object.kind) && (
        <div className="grid items-start gap-4 xl:grid-cols-2">
          <TagsCard uid={object.uid} kind={object.kind} name={object.name} canOperate={canOperate} />
          <CustomAttributesCard uid={object.uid} name={object.name} canOperate={canOperate} />
        </div>
      )}
      <ConditionsCard conditions={conditions} />
    </div>
  );
}

function KindSummary({ object }: { object: ObjectView }) {
  switch (object.kind) {
    case "VirtualMachine":
      return <VirtualMachineSummary object={object} />;
    case "Host":
      return <HostSummary object={object} />;
    case "Cluster":
      return <ClusterSummary object={object} />;
    case "Datacenter":
      return <DatacenterSummary object={object} />;
    case "Datastore":
      return <DatastoreSummary object={object} />;
    case "Namespace":
      return <NamespaceSummary object={object} />;
    case "Folder":
      return <FolderSummary object={object} />;
    case "Network":
      return (
        <FactList
          title="Network Details"
          facts={[
            ["Port group", String(object.spec.portGroup ?? "—")],
            ["VLAN ID", String(object.spec.vlanId ?? "—")],
            ["Datacenter", <ObjectLinkText key="dc" link={object.related.datacenter} />],
            ["Created", <DateTime key="created" value={object.creationTimestamp} />],
          ]}
        />
      );
    case "VirtualMachineImage":
      return <ImageSummary object={object} />;
    case "VirtualMachineClass":
      return <ClassSummary object={object} />;
    case "Pod":
      return <PodSummary object={object} />;
    case "Deployment":
    case "ReplicaSet":
      return <WorkloadSummary object={object} />;
    default:
      return isCustomResourceKind(object.kind) ? <CustomResourceSummary object={object} /> : null;
  }
}

/** A content library image, or a template made by Clone to Template (with the VM it came from). */
function ImageSummary({ object }: { object: ObjectView }) {
  const osInfo = record(object.status.osInfo);
  const disk = (object.status.disks as { capacity?: string }[] | undefined)?.[0]?.capacity;
  const source = record(object.spec.source);
  const template = object.labels["skylight.io/template"] === "true";
  const ready = ((object.status.conditions as ObjectCondition[] | undefined) ?? []).find((condition) => condition.type === "Ready");
  const facts: Fact[] = [
    ["Type", template ? "Template" : "Content library image"],
    ["State", ready?.status === "True" ? "Ready to deploy" : ready?.reason === "PublishFailed" ? "Publishing failed" : "Publishing…"],
    ["Guest OS", String(osInfo.version ?? "—")],
    ["Firmware", object.status.firmware === "efi" ? "EFI" : object.status.firmware === "bios" ? "BIOS" : "—"],
    ["Disk", disk ? formatGiB(Math.ceil(quantityToMiB(disk) / 1024)) : "Not copied yet"],
    ["Content library", String(object.spec.contentLibrary ?? "—")],
  ];
  if (template) {
    facts.push(
      ["Cloned from", source.uid ? <ObjectLinkText key="source" link={{ uid: String(source.uid), kind: "VirtualMachine", name: `${String(source.namespace)}/${String(source.name)}`, namespace: String(source.namespace) }} /> : "—"],
      ["Namespace", <ObjectLinkText key="ns" link={object.related.namespace} fallback={object.labels["skylight.io/namespace"]} />],
    );
  }
  facts.push(["Created", <DateTime key="created" value={object.creationTimestamp} />]);
  return <FactList title={template ? "Template Details" : "Image Details"} facts={facts} />;
}

/** A VM class: the size it gives and what it reserves (guaranteed classes reserve it in full). */
function ClassSummary({ object }: { object: ObjectView }) {
  const hardware = record(object.spec.hardware);
  const requests = record(record(record(object.spec.policies).resources).requests);
  return (
    <FactList
      title="VM Class Details"
      facts={[
        ["CPU", hardware.cpus ? `${String(hardware.cpus)} vCPU` : "—"],
        ["Memory", typeof hardware.memory === "string" ? formatMiB(quantityToMiB(hardware.memory)) : "—"],
        ["Reservation", requests.cpu || requests.memory ? "Guaranteed: CPU and memory reserved in full" : "Best effort: nothing reserved"],
        ["Created", <DateTime key="created" value={object.creationTimestamp} />],
      ]}
    />
  );
}

/** What vm-operator's spec.bootstrap asks of the guest, in a few words: "cloud-init: host name web-1, 1 SSH key, cloud-config with users, runcmd". */
function guestCustomization(spec: Record<string, unknown>): string {
  const bootstrap = record(spec.bootstrap);
  const hostName = record(spec.network).hostName;
  const cloudInit = record(bootstrap.cloudInit);
  const sysprep = record(bootstrap.sysprep);
  const keys = Array.isArray(cloudInit.sshAuthorizedKeys) ? cloudInit.sshAuthorizedKeys.length : 0;
  const raw = (selector: unknown) => record(selector).name && `from Secret ${String(record(selector).name)}`;
  const [provider, parts] = bootstrap.sysprep
    ? ["Sysprep", [hostName && `computer name ${String(hostName)}`, record(record(sysprep.sysprep).userData).fullName && `owner ${String(record(record(sysprep.sysprep).userData).fullName)}`, raw(sysprep.rawSysprep)]]
    : bootstrap.cloudInit
      ? ["cloud-init", [hostName && `host name ${String(hostName)}`, keys && `${keys} SSH key${keys === 1 ? "" : "s"}`, cloudInit.cloudConfig && `cloud-config with ${Object.keys(record(cloudInit.cloudConfig)).join(", ")}`, raw(cloudInit.rawCloudConfig)]]
      : Object.keys(bootstrap).length
        ? [Object.keys(bootstrap).join(", "), []]
        : [null, [hostName && `host name ${String(hostName)}`]];
  const said = parts.filter(Boolean).join(", ");
  return provider ? `${provider}${said ? `: ${said}` : ""}` : said || "None";
}

function VirtualMachineSummary({ object }: { object: ObjectView }) {
  const hardware = record(object.status.hardware);
  const allocation = record(object.status.allocation);
  const network = record(object.status.network);
  const facts: Fact[] = [
    ["Power state", <PowerStateBadge key="power" state={object.status.powerState as string | undefined} />],
    ["Guest OS image", <ObjectLinkText key="image" link={object.related.image} fallback={String(object.spec.imageName ?? "")} />],
    ["VM class", <ObjectLinkText key="class" link={object.related.class} fallback={String(object.spec.className ?? "")} />],
    ["Guest customization", guestCustomization(object.spec)],
    ["IP address", (network.primaryIP4 as string | undefined) ?? <span className="text-muted-foreground">Not reported (the VM is not running)</span>],
    ["Host", <ObjectLinkText key="host" link={object.related.host} fallback="Not placed yet" />],
    ["Cluster", <ObjectLinkText key="cluster" link={object.related.cluster} />],
    ["Namespace", <ObjectLinkText key="ns" link={object.related.namespace} />],
    ["Created", <DateTime key="created" value={object.creationTimestamp} />],
  ];
  const hardwareFacts: Fact[] = [
    ["CPU", hardware.cpus ? `${String(hardware.cpus)} vCPU` : "—"],
    ["Memory", hardware.memoryMiB ? formatMiB(num(hardware.memoryMiB)) : "—"],
    ["Hard disk 1", hardware.diskGiB ? formatGiB(num(hardware.diskGiB)) : "—"],
    ...vmDeviceFacts(object),
    ["Datastore", <ObjectLinkText key="ds" link={object.related.datastore} fallback={String(object.spec.storageClass ?? "")} />],
    ["CPU reservation", allocation.reservedCpuMhz ? formatMhz(num(allocation.reservedCpuMhz)) : "None"],
    ["Memory reservation", allocation.reservedMemoryMiB ? formatMiB(num(allocation.reservedMemoryMiB)) : "None"],
  ];
  return (
    <>
      <FactList title="Virtual Machine Details" facts={facts} />
      <div className="space-y-4">
        <WebConsoleCard uid={object.uid} />
        <FactList title="VM Hardware" facts={hardwareFacts} />
      </div>
    </>
  );
}

function HostSummary({ object }: { object: ObjectView }) {
  const hardware = record(object.status.hardware);
  const { stats } = object;
  const cores = num(hardware.sockets) * num(hardware.coresPerSocket);
  const agent = useQuery(agentHostQuery(object.uid)).data?.agent;
  const heartbeat = useQuery(hostHeartbeatQuery(object.uid)).data;
  const facts: Fact[] = [
    ["State", <HostStateBadge key="state" state={hostState(object.status)} />],
    ["Hypervisor", agent ? (agent.hypervisor ?? "QEMU, once its Skylight agent registers") : object.status.version ? `VMware ESXi ${String(object.status.version)} (simulated)` : "—"],
    ["Processor", cores ? `${cores} cores (${String(hardware.sockets)} × ${String(hardware.coresPerSocket)}) at ${formatMhz(num(hardware.cpuMhz))}` : "—"],
    ["Memory", hardware.memoryMiB ? formatMiB(num(hardware.memoryMiB)) : "—"],
    ["Management IP", String(object.status.managementIP ?? "—")],
    ["Virtual machines", `${formatCount(num(stats.vms))} (${formatCount(num(stats.vmsPoweredOn))} powered on)`],
    ["Cluster", <ObjectLinkText key="cluster" link={object.related.cluster} />],
    ["Last heartbeat", <RelativeTime key="heartbeat" value={heartbeat?.lastHeartbeat ?? (object.status.lastHeartbeat as string | undefined)} />],
  ];
  // Waiting for its agent is the first thing to know about a real host, and what to do about it.
  const waiting = agent && !agent.registered;
  return (
    <>
      {waiting && <AgentHostSummary uid={object.uid} name={object.name} />}
      <FactList title="Host Details" facts={facts} />
      <CapacityCard
        figures={[
          { label: "CPU", used: num(stats.vcpusAllocated), capacity: num(stats.cpuCores), format: (value) => `${formatCount(value)} vCPU`, usedWord: "allocated" },
          { label: "Memory", used: num(stats.memoryAllocatedMiB), capacity: num(stats.memoryMiB), format: formatMiB, usedWord: "allocated" },
        ]}
        note="Allocation is what the VMs placed here were given; a host may be overcommitted up to its cluster's ratios."
      />
      {agent && !waiting && <AgentHostSummary uid={object.uid} name={object.name} />}
    </>
  );
}

function ClusterSummary({ object }: { object: ObjectView }) {
  const hosts = record(object.status.hosts);
  const vms = record(object.status.virtualMachines);
  const capacity = record(object.status.capacity);
  const usage = record(object.status.usage);
  const drs = record(object.spec.drs);
  const ha = record(object.spec.ha);
  const facts: Fact[] = [
    ["Health", <HealthBadge key="health" health={object.status.health as string | undefined} />],
    ["Datacenter", <ObjectLinkText key="dc" link={object.related.datacenter} />],
    ["Hosts", `${formatCount(num(hosts.total))} (${formatCount(num(hosts.connected))} connected, ${formatCount(num(hosts.notResponding))} not responding, ${formatCount(num(hosts.inMaintenance))} in maintenance)`],
    ["Virtual machines", `${formatCount(num(vms.total))} (${formatCount(num(vms.poweredOn))} powered on)`],
    ["Datastores", formatCount(num(object.stats.datastores))],
    ["Namespaces", formatCount(num(object.stats.namespaces))],
    ["vSphere DRS", drs.enabled ? `On, ${DRS_LEVELS[String(drs.automationLevel)] ?? String(drs.automationLevel)} (migration threshold ${String(drs.migrationThreshold)})` : "Off"],
    ["vSphere HA", ha.enabled ? `On, tolerates ${String(ha.hostFailuresToTolerate)} host failure(s)` : "Off"],
  ];
  return (
    <>
      <FactList title="Cluster Details" facts={facts} />
      <CapacityCard
        title="Allocated"
        figures={[
          { label: "CPU", used: num(usage.vcpus), capacity: num(capacity.vcpus), format: (value) => `${formatCount(value)} vCPU`, usedWord: "allocated" },
          { label: "Memory", used: num(usage.memoryMiB), capacity: num(capacity.memoryMiB), format: formatMiB, usedWord: "allocated" },
        ]}
        note={`What the VMs placed here were given. Total CPU capacity ${formatMhz(num(capacity.cpuMhz))}. Reserved memory ${formatMiB(num(usage.memoryReservedMiB))}.`}
      />
      <ClusterConsumption uid={object.uid} cpuMhz={num(capacity.cpuMhz)} memoryMiB={num(capacity.memoryMiB)} />
    </>
  );
}

/** What the cluster's VMs consume now (the latest performance sample), as Home's capacity table shows it. */
function ClusterConsumption({ uid, cpuMhz, memoryMiB }: { uid: string; cpuMhz: number; memoryMiB: number }) {
  const latest = useQuery(performanceQuery(uid, "realtime")).data?.points.at(-1);
  if (!latest) return <CapacityCard title="Consumed" figures={[]} note="Appears with the first performance sample, within 20 seconds." />;
  return (
    <CapacityCard
      title="Consumed"
      figures={[
        { label: "CPU", used: latest.cpuMhz ?? 0, capacity: cpuMhz, format: formatMhz, usedWord: "consumed" },
        { label: "Memory", used: latest.memConsumedMiB ?? 0, capacity: memoryMiB, format: formatMiB, usedWord: "consumed" },
      ]}
      note="From the latest performance sample: what the VMs use now, as on Home."
    />
  );
}

/** A developer whom a folder permission reaches gets the count of the VMs they see, and no infrastructure counts. */
function DatacenterSummary({ object }: { object: ObjectView }) {
  const { stats } = object;
  const infrastructure = stats.clusters !== undefined;
  const facts: Fact[] = [
    ...(infrastructure ? ([["Clusters", formatCount(num(stats.clusters))], ["Hosts", formatCount(num(stats.hosts))]] satisfies Fact[]) : []),
    ["Virtual machines", `${formatCount(num(stats.vms))} (${formatCount(num(stats.vmsPoweredOn))} powered on)`],
    ...(infrastructure ? ([["Datastores", formatCount(num(stats.datastores))], ["Networks", formatCount(num(stats.networks))]] satisfies Fact[]) : []),
    ["Created", <DateTime key="created" value={object.creationTimestamp} />],
  ];
  return <FactList title="Datacenter Details" facts={facts} />;
}

function DatastoreSummary({ object }: { object: ObjectView }) {
  const capacityGiB = num(object.spec.capacityGiB);
  const freeGiB = num(object.status.freeGiB);
  const hosts = Array.isArray(object.status.hosts) ? object.status.hosts.length : 0;
  return (
    <>
      <FactList
        title="Datastore Details"
        facts={[
          ["Type", ({ vsan: "vSAN", vmfs: "VMFS", nfs: "NFS" } as Record<string, string>)[String(object.spec.type)] ?? String(object.spec.type ?? "—")],
          ["Datacenter", <ObjectLinkText key="dc" link={object.related.datacenter} />],
          ["Hosts", formatCount(hosts)],
          ["Virtual machines", formatCount(num(object.stats.vms))],
          ["Provisioned to VMs", formatGiB(num(object.stats.provisionedGiB))],
        ]}
      />
      <CapacityCard figures={[{ label: "Storage", used: capacityGiB - freeGiB, capacity: capacityGiB, format: formatGiB }]} />
    </>
  );
}

/** A namespace's allowance: the names it lists, or everything of the kind when it lists none. */
const allowed = (list: unknown, everything: string) => (Array.isArray(list) ? (list.length ? list.join(", ") : "None") : everything);

function FolderSummary({ object }: { object: ObjectView }) {
  const members = num(object.stats.members);
  const below = num(object.stats.membersBelow);
  const hostFolder = folderTypeOf(object.spec) === "host";
  return (
    <FactList
      title="Folder Details"
      facts={[
        ["Type", hostFolder ? "Host and Cluster folder" : "VM and Template folder"],
        ["Path", object.folderPath ?? object.name],
        ["Datacenter", <ObjectLinkText key="datacenter" link={object.related.datacenter} />],
        ["Subfolders", formatCount(num(object.stats.folders))],
        [hostFolder ? "Clusters" : "Virtual machines", below > members ? `${formatCount(members)} in this folder, ${formatCount(below)} with its subfolders` : formatCount(members)],
        ["Permissions", hostFolder ? "Host folders carry no permissions: who may see a host or cluster is decided by global role." : <FolderPermissionsFact key="permissions" object={object} />],
      ]}
    />
  );
}

/** How many hold a role defined on the folder, linked to its Permissions tab; absent from the spec for a reader who sees it only as a path. */
function FolderPermissionsFact({ object }: { object: ObjectView }) {
  if (object.permissionsHidden) return <span className="text-muted-foreground">Shown to those who hold a role on it</span>;
  const count = Array.isArray(object.spec.permissions) ? object.spec.permissions.length : 0;
  return (
    <Link href={`/objects/${object.uid}/permissions`} className="text-primary underline underline-offset-2">
      {count === 0 ? "None defined here" : `${count} ${count === 1 ? "user or group" : "users and groups"}, for this folder and everything below it`}
    </Link>
  );
}

function NamespaceSummary({ object }: { object: ObjectView }) {
  const usage = record(object.status.usage);
  const limits = record(object.spec.limits);
  const limitFigure = (label: string, used: number, limit: unknown, format: (value: number) => string) =>
    limit === undefined ? null : { label, used, capacity: num(limit), format };
  const figures = [
    limitFigure("CPU", num(usage.cpu), limits.cpu, (value) => `${formatCount(value)} vCPU`),
    limitFigure("Memory", num(usage.memoryMiB), limits.memoryMiB, formatMiB),
    limitFigure("Storage", num(usage.storageGiB), limits.storageGiB, formatGiB),
  ].filter((figure) => figure !== null);
  return (
    <>
      <FactList
        title="Namespace Details"
        facts={[
          ["Status", String(object.status.phase ?? "Active")],
          ["Cluster", <ObjectLinkText key="cluster" link={object.related.cluster} />],
          ["Virtual machines", `${formatCount(num(object.stats.vms))} (${formatCount(num(object.stats.vmsPoweredOn))} powered on)`],
          ["Pods", `${formatCount(num(object.stats.pods))} (${formatCount(num(object.stats.podsRunning))} running)`],
          ["Deployments", formatCount(num(object.stats.deployments))],
          ["CPU in use", `${formatCount(num(usage.cpu))} vCPU${limits.cpu === undefined ? " (no limit)" : ""}`],
          ["Memory in use", `${formatMiB(num(usage.memoryMiB))}${limits.memoryMiB === undefined ? " (no limit)" : ""}`],
          ["Storage in use", `${formatGiB(num(usage.storageGiB))}${limits.storageGiB === undefined ? " (no limit)" : ""}`],
          ["VM classes", allowed(object.spec.vmClasses, "All VM classes")],
          ["Images", allowed(object.spec.images, "All images")],
          ["Storage classes", allowed(object.spec.storageClasses, "All datastores of its cluster")],
        ]}
      />
      {figures.length > 0 && <CapacityCard title="Usage against Limits" figures={figures} />}
    </>
  );
}
