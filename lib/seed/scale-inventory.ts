// An inventory at vCenter 8's configuration maximums (2,500 hosts, 45,000 VMs), written in bulk
// and already converged: every object carries the status its controller would write, the
// simulator's tables hold the matching hosts and VMs, and each host's placement bookings add up,
// so an engine started on it finds nothing to do. Sizes are parameters; tests use a tiny one.
import type pg from "pg";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import type { ClusterStatus } from "@/lib/engine/controllers/cluster-controller";
import type { HostStatus } from "@/lib/engine/controllers/host-controller";
import type { NamespaceStatus } from "@/lib/engine/controllers/namespace-controller";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { simulatedNode } from "@/lib/engine/controllers/host-node";
import { allocationFor, diskGiBFor, type ClassSpec, type ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import type { StoredObject } from "@/lib/engine/object-store";
import type { NamespaceUsage } from "@/lib/engine/namespace-quota";
import { INSERT_MISSING_DEFAULT_SERVICE_ACCOUNTS } from "@/lib/engine/operations/service-account-operations";
import type { VmAllocation } from "@/lib/engine/placement";
import { virtualMachineSpecSchema, type ClusterSpec } from "@/lib/engine/schemas";
import { API_ONLY_KIND_API_VERSIONS, KIND_API_VERSIONS, type Kind, type StoredKind } from "@/lib/inventory/kinds";
import { demoInventory } from "@/lib/seed/demo-inventory";
import { hash } from "@/lib/simulator/timing";
import { CLUSTER_LABEL, VM_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";

export interface ScaleSize {
  datacenters: number;
  clusters: number;
  hosts: number;
  vms: number;
  namespaces: number;
  events: number;
  tasks: number;
}

/** vCenter 8's maximums for hosts and registered VMs, with a month of activity. */
export const VCENTER_MAXIMUMS: ScaleSize = { datacenters: 4, clusters: 40, hosts: 2_500, vms: 45_000, namespaces: 300, events: 200_000, tasks: 3_000 };

/** vSphere's limit of hosts in one cluster, as the seed uses it. */
export const MAX_HOSTS_PER_CLUSTER = 64;

export interface ScaleCounts {
  datacenters: number;
  clusters: number;
  hosts: number;
  datastores: number;
  networks: number;
  namespaces: number;
  vms: number;
  events: number;
  tasks: number;
}

const GIB = 1024;
const DAY_MS = 86_400_000;
const CHUNK = 4_000;

const DATACENTERS = [
  ["dc-boston", "bos"],
  ["dc-seattle", "sea"],
  ["dc-frankfurt", "fra"],
  ["dc-singapore", "sin"],
  ["dc-sao-paulo", "gru"],
  ["dc-sydney", "syd"],
] as const;

const CLUSTER_PURPOSES = ["prod", "prod", "prod", "stage", "dev", "edge", "db", "vdi"] as const;

/** Host models by cluster generation: cores, MHz, memory (GiB), ESXi build. */
const HOST_MODELS = [
  { cores: 32, mhz: 2600, memoryGiB: 512, version: "8.0.2" },
  { cores: 48, mhz: 2800, memoryGiB: 768, version: "8.0.3" },
  { cores: 64, mhz: 3000, memoryGiB: 1024, version: "8.0.3" },
] as const;

const TEAMS = [
  "checkout", "payments", "catalog", "search", "identity", "billing", "ledger", "fraud", "recommend", "analytics",
  "logging", "metrics", "tracing", "gateway", "mobile-api", "web-store", "inventory", "shipping", "pricing", "promotions",
  "reviews", "messaging", "notify", "media", "cdn-origin", "data-lake", "etl", "ml-platform", "feature-store", "reporting",
  "crm", "erp", "hr-portal", "intranet", "wiki", "ci", "artifacts", "sso", "vault", "dns",
  "backup", "monitoring", "support", "chat", "video", "maps", "geo", "loyalty", "partners", "audit",
] as const;
const ENVIRONMENTS = ["prod", "staging", "dev", "qa", "perf", "sandbox"] as const;

/** VM roles with their tier and how common they are. */
const ROLES = [
  ["web", "frontend", 14], ["api", "backend", 14], ["worker", "backend", 10], ["app", "backend", 8], ["db", "data", 6],
  ["cache", "data", 5], ["proxy", "frontend", 4], ["queue", "backend", 3], ["kafka", "data", 3], ["redis", "data", 3],
  ["batch", "backend", 3], ["etl", "backend", 3], ["search", "data", 2], ["postgres", "data", 2], ["auth", "backend", 2],
  ["ml", "backend", 2], ["build", "tooling", 2], ["mongo", "data", 1], ["etcd", "platform", 1], ["grafana", "tooling", 1],
  ["jenkins", "tooling", 1], ["bastion", "platform", 1],
] as const;

const CLASSES = [
  ["best-effort-xsmall", 14], ["best-effort-small", 26], ["best-effort-medium", 24], ["best-effort-large", 12], ["best-effort-xlarge", 3],
  ["guaranteed-small", 6], ["guaranteed-medium", 9], ["guaranteed-large", 5], ["guaranteed-xlarge", 1],
] as const;

const IMAGES = [["ubuntu-24.04-server", 38], ["ubuntu-22.04-server", 24], ["rhel-9", 16], ["photon-5", 10], ["windows-server-2022", 12]] as const;

/** Picks from a weighted list with a draw in [0, 1). */
function weighted<T extends readonly [string, ...unknown[]]>(list: readonly T[], weightOf: (item: T) => number, draw: number): T {
  const total = list.reduce((sum, item) => sum + weightOf(item), 0);
  let left = draw * total;
  for (const item of list) {
    left -= weightOf(item);
    if (left < 0) return item;
  }
  return list[list.length - 1]!;
}

const draw = (...parts: (string | number)[]) => hash(...parts) / 4294967296;
const pad = (value: number, width: number) => String(value).padStart(width, "0");

/** Host counts per cluster: half the clusters full (64 hosts) where the average allows, the rest share what is left. */
export function clusterSizes(clusters: number, hosts: number): number[] {
  if (clusters < 1 || hosts < clusters) throw new Error(`Cannot spread ${hosts} hosts over ${clusters} clusters: every cluster needs a host.`);
  if (hosts > clusters * MAX_HOSTS_PER_CLUSTER) throw new Error(`${hosts} hosts do not fit in ${clusters} clusters of at most ${MAX_HOSTS_PER_CLUSTER}.`);
  const full = clusters === 1 ? 0 : Math.floor(clusters / 2);
  const big = Math.min(MAX_HOSTS_PER_CLUSTER, Math.ceil(hosts / clusters) + 2);
  const rest = clusters - full;
  const left = hosts - full * big;
  if (full === 0 || left < rest) return spread(hosts, clusters);
  return [...Array<number>(full).fill(big), ...spread(left, rest)];
}

function spread(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));
}

interface Row {
  api_version: string;
  kind: StoredKind;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  finalizers: string[];
  creation_timestamp: string;
  spec: unknown;
  status: unknown;
}

interface HostPlan {
  name: string;
  cluster: string;
  cores: number;
  mhz: number;
  memoryMiB: number;
  version: string;
  datastores: string[];
  maintenance: boolean;
  vcpus: number;
  memoryAllocated: number;
  memoryReserved: number;
  cpuReserved: number;
}

export interface ScaleInventory {
  resources: Row[];
  simHosts: { name: string; cluster: string; cpu_cores: number; cpu_mhz: number; memory_mib: number; datastores: string[]; version: string; created_at: string }[];
  simVms: { id: string; owner_key: string; host: string; datastore: string; power_state: string; cpus: number; memory_mib: number; disk_gib: number; ip_address: string; created_at: string }[];
  simDatastores: { name: string; capacity_gib: number; other_used_gib: number }[];
  allocations: { host: string; cluster: string; schedulable: boolean; cpu_cores: number; memory_mib: number; vcpus: number; memory_allocated_mib: number; memory_reserved_mib: number; cpu_reserved_mhz: number; cpu_mhz_per_core: number }[];
  counts: Omit<ScaleCounts, "events" | "tasks">;
}

/** The whole inventory as rows, deterministic for a size and a clock. */
export function planScaleInventory(size: ScaleSize, now = new Date()): ScaleInventory {
  if (size.datacenters < 1 || size.datacenters > DATACENTERS.length) throw new Error(`datacenters must be 1 to ${DATACENTERS.length}.`);
  if (size.namespaces < size.clusters) throw new Error(`namespaces (${size.namespaces}) must be at least clusters (${size.clusters}): every cluster gets one.`);
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS).toISOString();
  const ready = (since: string) => [condition("Ready", "True", "Ready", since), condition("Synced", "True", "ReconcileSuccess", since)];
  const resources: Row[] = [];
  const add = (kind: Kind, name: string, fields: Partial<Row> & { spec: unknown; status: unknown }) =>
    resources.push({ api_version: KIND_API_VERSIONS[kind], kind, namespace: "", name, labels: {}, finalizers: [], creation_timestamp: at(400), ...fields });

  // The catalog the demo uses: vm-operator's classes and a small content library.
  const catalog = demoInventory(now).filter((object) => object.kind === "VirtualMachineClass" || object.kind === "VirtualMachineImage");
  for (const object of catalog) add(object.kind, object.name, { spec: object.spec, status: { observedGeneration: 1, ...object.status } });
  const classes = new Map(catalog.filter((object) => object.kind === "VirtualMachineClass").map((object) => [object.name, allocationFor(asStored<ClassSpec>(object.spec))]));
  const disks = new Map(catalog.filter((object) => object.kind === "VirtualMachineImage").map((object) => [object.name, diskGiBFor(asStored<unknown, ImageStatus>({}, object.status as ImageStatus))]));

  const datacenters = DATACENTERS.slice(0, size.datacenters);
  const nfsByDatacenter = new Map<string, string[]>();
  for (const [datacenter, short] of datacenters) {
    add("Datacenter", datacenter, { labels: { "skylight.io/location": datacenter.slice(3) }, spec: {}, status: { observedGeneration: 1, conditions: ready(at(400)) } });
    for (const [portGroup, vlanId] of [["VM Network", 0], ["dvPG-Web-110", 110], ["dvPG-App-120", 120], ["dvPG-DB-130", 130], ["dvPG-Mgmt-10", 10]] as const) {
      const name = vlanId === 0 ? `${datacenter}-vm-network` : `${datacenter}-vlan-${vlanId}`;
      add("Network", name, { spec: { datacenter, portGroup, vlanId }, status: { observedGeneration: 1, conditions: ready(at(400)) } });
    }
    nfsByDatacenter.set(datacenter, [`${short}-nfs-templates`, `${short}-nfs-backup`]);
  }

  // Clusters, spread over the datacenters in turn, each with its hosts and vSAN datastore.
  const sizes = clusterSizes(size.clusters, size.hosts);
  const vmsPerCluster = proportional(size.vms, sizes);
  const clusterNames: string[] = [];
  const hostsByCluster = new Map<string, HostPlan[]>();
  const datacenterOf = new Map<string, string>();
  const perDatacenterPurpose = new Map<string, number>();
  let hostNumber = 0;
  sizes.forEach((hostCount, index) => {
    const [datacenter, short] = datacenters[index % datacenters.length]!;
    const purpose = CLUSTER_PURPOSES[Math.floor(index / datacenters.length) % CLUSTER_PURPOSES.length]!;
    const ordinal = (perDatacenterPurpose.get(`${short}-${purpose}`) ?? 0) + 1;
    perDatacenterPurpose.set(`${short}-${purpose}`, ordinal);
    const cluster = `${short}-${purpose}-${pad(ordinal, 2)}`;
    clusterNames.push(cluster);
    datacenterOf.set(cluster, datacenter);
    const model = HOST_MODELS[index % HOST_MODELS.length]!;
    const vsan = `${cluster}-vsan`;
    const hosts: HostPlan[] = [];
    for (let slot = 0; slot < hostCount; slot++) {
      hostNumber++;
      hosts.push({
        name: `esx-${pad(hostNumber, 4)}.${short}.lab`,
        cluster,
        cores: model.cores,
        mhz: model.mhz,
        memoryMiB: model.memoryGiB * GIB,
        version: model.version,
        datastores: [vsan, ...nfsByDatacenter.get(datacenter)!],
        // One host in every fifth cluster is parked in maintenance mode (its last one, emptied).
        maintenance: index % 5 === 4 && hostCount > 2 && slot === hostCount - 1,
        vcpus: 0,
        memoryAllocated: 0,
        memoryReserved: 0,
        cpuReserved: 0,
      });
    }
    hostsByCluster.set(cluster, hosts);
  });

  // Namespaces: teams × environments, each on a cluster (every cluster gets at least one).
  const namespaces = Array.from({ length: size.namespaces }, (_, index) => {
    const team = TEAMS[index % TEAMS.length]!;
    const environment = ENVIRONMENTS[Math.floor(index / TEAMS.length) % ENVIRONMENTS.length]!;
    const round = Math.floor(index / (TEAMS.length * ENVIRONMENTS.length));
    return { name: `${team}-${environment}${round ? `-${round + 1}` : ""}`, team, environment, cluster: clusterNames[index % clusterNames.length]! };
  });
  const namespacesByCluster = new Map(clusterNames.map((cluster) => [cluster, namespaces.filter((namespace) => namespace.cluster === cluster)]));

  // VMs: placed the way placement does it (the fitting host with the most free memory), so each
  // host's bookings and the cluster's load are what the engine itself would have produced.
  const simVms: ScaleInventory["simVms"] = [];
  const roleCounters = new Map<string, number>();
  const numberWidth = Math.max(4, String(Math.ceil(size.vms / 10)).length);
  const usage = new Map<string, NamespaceUsage>(namespaces.map((namespace) => [namespace.name, { vms: 0, pods: 0, cpu: 0, memoryMiB: 0, storageGiB: 0 }]));
  const clusterVms = new Map<string, { total: number; poweredOn: number }>();
  let vmIndex = 0;
  clusterNames.forEach((cluster, clusterIndex) => {
    const hosts = hostsByCluster.get(cluster)!;
    const overcommit = CLUSTER_OVERCOMMIT;
    const datacenterIndex = clusterIndex % datacenters.length;
    const ipBase = datacenterIndex * 16 + 16;
    const counts = { total: 0, poweredOn: 0 };
    for (let slot = 0; slot < vmsPerCluster[clusterIndex]!; slot++, vmIndex++) {
      const namespace = namespacesByCluster.get(cluster)![slot % namespacesByCluster.get(cluster)!.length]!;
      const [role, tier] = weighted(ROLES, (item) => item[2], draw("role", vmIndex));
      const number = (roleCounters.get(role) ?? 0) + 1;
      roleCounters.set(role, number);
      const name = `${role}-${pad(number, numberWidth)}`;
      const [className] = weighted(CLASSES, (item) => item[1], draw("class", vmIndex));
      const [imageName] = weighted(IMAGES, (item) => item[1], draw("image", vmIndex));
      const allocation = classes.get(className)!;
      const diskGiB = disks.get(imageName)!;
      const host = place(hosts, allocation, overcommit);
      if (!host) throw new Error(`Cluster ${cluster} has no room left for VM ${vmIndex + 1}: raise hosts or lower vms.`);
      const powerDraw = draw("power", vmIndex);
      const powerState = powerDraw < 0.8 ? "PoweredOn" : powerDraw < 0.95 ? "PoweredOff" : "Suspended";
      const storageClass = draw("nfs", vmIndex) < 0.1 ? nfsByDatacenter.get(datacenterOf.get(cluster)!)![0]! : `${cluster}-vsan`;
      const id = `vm-${(Math.imul(vmIndex + 1, 0x9e3779b1) >>> 0).toString(16).padStart(8, "0")}`;
      const localIndex = vmIndex;
      const ipAddress = `10.${ipBase + Math.floor(localIndex / 65_024)}.${Math.floor(localIndex / 254) % 256}.${(localIndex % 254) + 1}`;
      const created = at(1 + draw("created", vmIndex) * 364);
      const status: VirtualMachineStatus = {
        powerState,
        host: host.name,
        uniqueID: id,
        network: { primaryIP4: ipAddress },
        allocation,
        hardware: { cpus: allocation.cpus, memoryMiB: allocation.memoryMiB, diskGiB },
        conditions: vmConditions(host.name, created),
        observedGeneration: 1,
      };
      resources.push({
        api_version: KIND_API_VERSIONS.VirtualMachine,
        kind: "VirtualMachine",
        namespace: namespace.name,
        name,
        labels: { app: namespace.team, tier, env: namespace.environment, role, [CLUSTER_LABEL]: cluster },
        finalizers: [VM_FINALIZER],
        creation_timestamp: created,
        spec: virtualMachineSpecSchema.parse({ className, imageName, storageClass, powerState }),
        status,
      });
      simVms.push({
        id,
        owner_key: `${namespace.name}/${name}`,
        host: host.name,
        datastore: storageClass,
        power_state: powerState,
        cpus: allocation.cpus,
        memory_mib: allocation.memoryMiB,
        disk_gib: diskGiB,
        ip_address: ipAddress,
        created_at: created,
      });
      const used = usage.get(namespace.name)!;
      used.vms++;
      // As the engine counts a namespace's usage: CPU and memory of the VMs that should run.
      if (powerState === "PoweredOn") {
        used.cpu += allocation.cpus;
        used.memoryMiB += allocation.memoryMiB;
      }
      used.storageGiB += diskGiB;
      counts.total++;
      if (powerState === "PoweredOn") counts.poweredOn++;
    }
    clusterVms.set(cluster, counts);
  });

  const simHosts: ScaleInventory["simHosts"] = [];
  const allocations: ScaleInventory["allocations"] = [];
  // Each datastore's free space is a seeded share of its capacity; what the VMs' disks do not take
  // of the rest is other files, so the simulator observes exactly the free space seeded here.
  const simDatastores: ScaleInventory["simDatastores"] = [];
  const vmUsedGiB = new Map<string, number>();
  for (const vm of simVms) vmUsedGiB.set(vm.datastore, (vmUsedGiB.get(vm.datastore) ?? 0) + vm.disk_gib);
  const datastoreUsage = (name: string, capacityGiB: number, freeShare: number) => {
    const vms = vmUsedGiB.get(name) ?? 0;
    const otherUsedGiB = Math.max(0, Math.round(capacityGiB * (1 - freeShare)) - vms);
    simDatastores.push({ name, capacity_gib: capacityGiB, other_used_gib: otherUsedGiB });
    return Math.max(0, capacityGiB - otherUsedGiB - vms);
  };
  let datastores = 0;
  clusterNames.forEach((cluster, index) => {
    const datacenter = datacenterOf.get(cluster)!;
    const hosts = hostsByCluster.get(cluster)!;
    const since = at(400 - index);
    const automationLevel = index % 7 === 3 ? "partiallyAutomated" : index % 11 === 5 ? "manual" : "fullyAutomated";
    const spec: ClusterSpec = {
      datacenter,
      drs: { enabled: true, automationLevel, migrationThreshold: 3 },
      ha: { enabled: true, hostFailuresToTolerate: hosts.length > 32 ? 2 : 1 },
      overcommit: CLUSTER_OVERCOMMIT,
    };
    const vms = clusterVms.get(cluster)!;
    const sum = (pick: (host: HostPlan) => number) => hosts.reduce((total, host) => total + pick(host), 0);
    const clusterStatus: ClusterStatus = {
      hosts: { total: hosts.length, connected: hosts.length, notResponding: 0, inMaintenance: hosts.filter((host) => host.maintenance).length },
      virtualMachines: { total: vms.total, poweredOn: vms.poweredOn },
      capacity: { cpuMhz: sum((host) => host.cores * host.mhz), memoryMiB: sum((host) => host.memoryMiB), vcpus: sum((host) => host.cores) },
      usage: { vcpus: sum((host) => host.vcpus), memoryMiB: sum((host) => host.memoryAllocated), memoryReservedMiB: sum((host) => host.memoryReserved) },
      health: "green",
      drs: { recommendations: [] },
      conditions: ready(since),
      observedGeneration: 1,
    };
    add("Cluster", cluster, { creation_timestamp: since, spec, status: clusterStatus });

    const vsanCapacity = hosts.length * 16 * GIB;
    add("Datastore", `${cluster}-vsan`, {
      labels: { [CLUSTER_LABEL]: cluster },
      creation_timestamp: since,
      spec: { datacenter, type: "vsan", capacityGiB: vsanCapacity },
      status: {
        observedGeneration: 1,
        freeGiB: datastoreUsage(`${cluster}-vsan`, vsanCapacity, 0.35 + 0.4 * draw("free", cluster)),
        hosts: hosts.map((host) => host.name),
        conditions: ready(since),
      },
    });
    datastores++;

    hosts.forEach((host, slot) => {
      const hostStatus: HostStatus & { managementIP: string } = {
        managementIP: `10.${200 + (index % datacenters.length)}.${Math.floor(index / datacenters.length)}.${slot + 10}`,
        connectionState: "connected",
        powerState: "poweredOn",
        hardware: { sockets: 2, coresPerSocket: Math.max(1, Math.round(host.cores / 2)), cpuMhz: host.mhz, memoryMiB: host.memoryMiB },
        version: host.version,
        lastHeartbeat: now.toISOString(),
        ...(host.maintenance ? { inMaintenanceMode: true, maintenance: null } : {}),
        conditions: [condition("Ready", "True", "Connected", since), condition("Synced", "True", "ReconcileSuccess", since)],
        observedGeneration: 1,
      };
      add("Host", host.name, {
        labels: { [CLUSTER_LABEL]: cluster },
        creation_timestamp: since,
        spec: { cluster, maintenanceMode: host.maintenance },
        status: hostStatus,
      });
      // Its Node as the Host controller keeps it, so the seed starts converged.
      const node = simulatedNode({ name: host.name, cluster, cpuCores: host.cores, memoryMiB: host.memoryMiB, version: host.version, managementIP: hostStatus.managementIP, ready: true, schedulable: !host.maintenance, now: new Date(since) });
      resources.push({ api_version: API_ONLY_KIND_API_VERSIONS.Node, kind: "Node", namespace: "", name: host.name, finalizers: [], creation_timestamp: since, ...node });
      simHosts.push({ name: host.name, cluster, cpu_cores: host.cores, cpu_mhz: host.mhz, memory_mib: host.memoryMiB, datastores: host.datastores, version: host.version, created_at: since });
      allocations.push({
        host: host.name,
        cluster,
        schedulable: !host.maintenance,
        cpu_cores: host.cores,
        memory_mib: host.memoryMiB,
        vcpus: host.vcpus,
        memory_allocated_mib: host.memoryAllocated,
        memory_reserved_mib: host.memoryReserved,
        cpu_reserved_mhz: host.cpuReserved,
        cpu_mhz_per_core: host.mhz,
      });
    });
  });

  for (const [datacenter] of datacenters) {
    const hosts = simHosts.filter((host) => datacenterOf.get(host.cluster) === datacenter).map((host) => host.name);
    for (const name of nfsByDatacenter.get(datacenter)!) {
      const capacityGiB = 64 * GIB;
      add("Datastore", name, {
        spec: { datacenter, type: "nfs", capacityGiB },
        status: { observedGeneration: 1, freeGiB: datastoreUsage(name, capacityGiB, 0.2 + 0.5 * draw("free", name)), hosts, conditions: ready(at(400)) },
      });
      datastores++;
    }
  }

  for (const namespace of namespaces) {
    const used = usage.get(namespace.name)!;
    // Non-production namespaces carry quotas, set comfortably above what they use.
    const limits = namespace.environment === "prod" ? {} : { cpu: roundUp(used.cpu * 1.5 + 8, 8), memoryMiB: roundUp(used.memoryMiB * 1.5 + 16 * GIB, 16 * GIB), storageGiB: roundUp(used.storageGiB * 2 + 100, 100) };
    const since = at(300);
    let conditions = setCondition([], "Ready", "True", "Ready", "", new Date(since));
    conditions = setCondition(conditions, "WithinLimits", "True", "WithinLimits", "", new Date(since));
    conditions = setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", new Date(since));
    const status: NamespaceStatus = { phase: "Active", usage: used, conditions, observedGeneration: 1 };
    resources.push({
      api_version: KIND_API_VERSIONS.Namespace,
      kind: "Namespace",
      namespace: "",
      name: namespace.name,
      labels: { [CLUSTER_LABEL]: namespace.cluster, team: namespace.team, env: namespace.environment },
      finalizers: [],
      creation_timestamp: since,
      spec: { cluster: namespace.cluster, limits },
      status,
    });
  }

  return {
    resources,
    simHosts,
    simVms,
    simDatastores,
    allocations,
    counts: {
      datacenters: datacenters.length,
      clusters: clusterNames.length,
      hosts: simHosts.length,
      datastores,
      networks: datacenters.length * 5,
      namespaces: namespaces.length,
      vms: simVms.length,
    },
  };
}

const CLUSTER_OVERCOMMIT = { cpu: 4, memory: 1.25 };

function place(hosts: HostPlan[], allocation: VmAllocation, overcommit: { cpu: number; memory: number }): HostPlan | null {
  let best: HostPlan | null = null;
  let bestFree = -Infinity;
  for (const host of hosts) {
    if (host.maintenance) continue;
    const fits =
      host.vcpus + allocation.cpus <= host.cores * overcommit.cpu &&
      host.memoryAllocated + allocation.memoryMiB <= host.memoryMiB * overcommit.memory &&
      host.memoryReserved + allocation.reservedMemoryMiB <= host.memoryMiB &&
      host.cpuReserved + allocation.reservedCpuMhz <= host.cores * host.mhz;
    const free = host.memoryMiB * overcommit.memory - host.memoryAllocated;
    if (fits && free > bestFree) {
      best = host;
      bestFree = free;
    }
  }
  if (best) {
    best.vcpus += allocation.cpus;
    best.memoryAllocated += allocation.memoryMiB;
    best.memoryReserved += allocation.reservedMemoryMiB;
    best.cpuReserved += allocation.reservedCpuMhz;
  }
  return best;
}

/** The conditions a VM ends with after placement, creation and power-on converged. */
function vmConditions(host: string, since: string): Condition[] {
  const at = new Date(since);
  let conditions = setCondition([], "PlacementReady", "True", "Placed", `Placed on ${host}.`, at);
  conditions = setCondition(conditions, "VirtualMachineCreated", "True", "Created", "", at);
  conditions = setCondition(conditions, "Ready", "True", "Ready", "", at);
  return setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", at);
}

function condition(type: string, status: Condition["status"], reason: string, since: string): Condition {
  return { type, status, reason, message: "", lastTransitionTime: since };
}

function proportional(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / sum));
  let left = total - shares.reduce((a, b) => a + b, 0);
  for (let index = 0; left > 0; index = (index + 1) % shares.length, left--) shares[index]!++;
  return shares;
}

const roundUp = (value: number, step: number) => Math.ceil(value / step) * step;

function asStored<Spec, Status = unknown>(spec: unknown, status?: Status): StoredObject<Spec, Status> {
  return { spec, status } as StoredObject<Spec, Status>;
}

/**
 * The tables the seed fills in bulk, with resource_changes (written by the triggers on resources).
 * Vacuumed and analyzed once the seed commits: a table loaded in bulk has no visibility map (every
 * index-only scan, such as the VM list's count, visits the heap for each of its 45,000 rows), no
 * hint bits (the first reads of each row write its page) and, for resource_changes, no statistics;
 * left alone, autovacuum does this work a minute later, while the first users or a benchmark read.
 */
export const BULK_LOADED_TABLES = ["resources", "resource_changes", "events", "tasks", "sim_hosts", "sim_vms", "sim_datastores", "host_allocations"];

/**
 * Writes the inventory, a month of events and finished tasks in one transaction, in bulk
 * (a few statements per table), then vacuums and analyzes what it wrote.
 */
export async function seedScaleInventory(pool: pg.Pool, size: ScaleSize, now = new Date()): Promise<ScaleCounts> {
  const plan = planScaleInventory(size, now);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await insertJson(
      client,
      plan.resources,
      `INSERT INTO resources (api_version, kind, namespace, name, labels, finalizers, creation_timestamp, spec, status)
       SELECT api_version, kind, namespace, name, labels, finalizers, creation_timestamp, spec, status
         FROM jsonb_to_recordset($1::jsonb) AS r(api_version text, kind text, namespace text, name text, labels jsonb, finalizers text[],
                                                 creation_timestamp timestamptz, spec jsonb, status jsonb)
       ON CONFLICT (kind, namespace, name) DO NOTHING`,
    );
    await client.query(INSERT_MISSING_DEFAULT_SERVICE_ACCOUNTS);
    await insertJson(
      client,
      plan.simHosts,
      `INSERT INTO sim_hosts (name, cluster, cpu_cores, cpu_mhz, memory_mib, datastores, version, created_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(name text, cluster text, cpu_cores int, cpu_mhz int, memory_mib int, datastores text[],
                                                         version text, created_at timestamptz)`,
    );
    await insertJson(
      client,
      plan.allocations,
      `INSERT INTO host_allocations (host, cluster, schedulable, cpu_cores, memory_mib, vcpus, memory_allocated_mib, memory_reserved_mib,
                                     cpu_reserved_mhz, cpu_mhz_per_core)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(host text, cluster text, schedulable boolean, cpu_cores int, memory_mib int, vcpus int,
                                                         memory_allocated_mib int, memory_reserved_mib int, cpu_reserved_mhz int, cpu_mhz_per_core int)`,
    );
    await insertJson(
      client,
      plan.simVms,
      `INSERT INTO sim_vms (id, owner_key, host, datastore, power_state, cpus, memory_mib, disk_gib, ip_address, created_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, owner_key text, host text, datastore text, power_state text, cpus int,
                                                         memory_mib int, disk_gib int, ip_address text, created_at timestamptz)`,
    );
    await insertJson(
      client,
      plan.simDatastores,
      `INSERT INTO sim_datastores (name, capacity_gib, other_used_gib)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(name text, capacity_gib int, other_used_gib int)`,
    );
    const tasks = await insertTasks(client, size, now);
    const events = tasks + (await insertEvents(client, Math.max(0, size.events - tasks), now));
    await client.query("COMMIT");
    await client.query(`VACUUM (ANALYZE) ${BULK_LOADED_TABLES.join(", ")}`);
    return { ...plan.counts, events, tasks };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function insertJson(client: pg.PoolClient, rows: unknown[], sql: string): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    await client.query(sql, [JSON.stringify(rows.slice(start, start + CHUNK))]);
  }
}

// $1 rows spread evenly over the 30 days before $2, each with a pseudo-random roll (0–999) and
// VMs and hosts picked by arithmetic on the row number (numbered objects, not random()).
const PICKED_ROWS = `WITH vms AS (
       SELECT (row_number() OVER (ORDER BY namespace, name) - 1)::int AS n, uid, namespace, name, status->>'host' AS host
         FROM resources WHERE kind = 'VirtualMachine'),
     hosts AS (SELECT (row_number() OVER (ORDER BY name) - 1)::int AS n, uid, name, spec->>'cluster' AS cluster FROM resources WHERE kind = 'Host'),
     total AS (SELECT (SELECT count(*) FROM vms)::int AS vms, (SELECT count(*) FROM hosts)::int AS hosts),
     picked AS (
       SELECT g, (g::bigint * 2654435761) % 1000 AS roll, $2::timestamptz - interval '30 days' + (g::float8 / $1) * interval '30 days' AS time,
              (g::bigint * 40503) % total.vms AS vm, (g::bigint * 7919) % total.hosts AS host, (g::bigint * 104729) % total.hosts AS other
         FROM generate_series(1, $1) AS g, total)`;

/** Finished tasks on VMs and hosts over the last 30 days, each with its audit event. */
async function insertTasks(client: pg.PoolClient, size: ScaleSize, now: Date): Promise<number> {
  if (size.tasks === 0) return 0;
  const { rowCount } = await client.query(
    `${PICKED_ROWS},
     initiated AS (
       SELECT *, (ARRAY['admin', 'vSphere DRS', 'olivia', 'marco', 'priya', 'admin', 'vSphere DRS', 'svc-terraform'])[1 + (g % 8)] AS initiator
         FROM picked),
     planned AS (
       SELECT p.time AS queued_at, p.roll,
              CASE WHEN p.roll < 880 THEN 'VirtualMachine' ELSE 'Host' END AS kind,
              CASE WHEN p.roll < 880 THEN v.uid ELSE h.uid END AS uid,
              CASE WHEN p.roll < 880 THEN v.namespace ELSE '' END AS namespace,
              CASE WHEN p.roll < 880 THEN v.name ELSE h.name END AS name,
              CASE WHEN p.roll < 880 AND p.initiator = 'vSphere DRS' THEN 'VirtualMachine.migrate'
                   WHEN p.roll < 300 THEN 'VirtualMachine.powerOn'
                   WHEN p.roll < 520 THEN 'VirtualMachine.powerOff'
                   WHEN p.roll < 600 THEN 'VirtualMachine.suspend'
                   WHEN p.roll < 760 THEN 'VirtualMachine.create'
                   WHEN p.roll < 880 THEN 'VirtualMachine.reconfigure'
                   WHEN p.roll < 940 THEN 'Host.enterMaintenanceMode'
                   ELSE 'Host.exitMaintenanceMode' END AS operation,
              CASE WHEN p.roll < 880 THEN v.host ELSE h.cluster END AS place,
              CASE WHEN p.initiator = 'vSphere DRS' AND p.roll >= 880 THEN 'admin' ELSE p.initiator END AS initiator,
              p.g % 23 = 0 AS failed, 2 + (p.g % 57) AS seconds
         FROM initiated p
         JOIN vms v ON v.n = p.vm
         JOIN hosts h ON h.n = p.host),
     described AS (
       SELECT *, CASE operation
                   WHEN 'VirtualMachine.migrate' THEN 'Migrate virtual machine ' || name || ' to ' || place
                   WHEN 'VirtualMachine.powerOn' THEN 'Power on virtual machine ' || name
                   WHEN 'VirtualMachine.powerOff' THEN 'Power off virtual machine ' || name
                   WHEN 'VirtualMachine.suspend' THEN 'Suspend virtual machine ' || name
                   WHEN 'VirtualMachine.create' THEN 'Create virtual machine ' || name
                   WHEN 'VirtualMachine.reconfigure' THEN 'Change class of virtual machine ' || name || ' to best-effort-medium'
                   WHEN 'Host.enterMaintenanceMode' THEN 'Enter maintenance mode on ' || name
                   ELSE 'Exit maintenance mode on ' || name END AS description,
              CASE WHEN NOT failed THEN NULL
                   WHEN operation = 'VirtualMachine.migrate' THEN 'Migration failed: copying memory to the target host timed out'
                   WHEN operation = 'VirtualMachine.powerOn' THEN 'Power on failed: the host reported an internal error'
                   WHEN operation = 'VirtualMachine.create' THEN 'Clone failed: could not copy the image''s disk to the datastore'
                   WHEN operation = 'Host.enterMaintenanceMode' THEN 'Cannot enter maintenance mode: the other hosts in ' || place || ' lack room for its powered-on VMs'
                   ELSE 'The operation timed out waiting for the host to respond' END AS error
         FROM planned),
     inserted AS (
       INSERT INTO tasks (operation, description, target_kind, target_namespace, target_name, target_uid, target_generation, initiator,
                          state, progress, error, queued_at, started_at, completed_at)
       SELECT operation, description, kind, namespace, name, uid, 1, initiator,
              CASE WHEN failed THEN 'error' ELSE 'success' END, CASE WHEN failed THEN 40 ELSE 100 END, error,
              queued_at, queued_at + interval '150 milliseconds', queued_at + seconds * interval '1 second'
         FROM described
       RETURNING id, operation, description, target_kind, target_namespace, target_name, target_uid, initiator, queued_at)
     INSERT INTO events (time, severity, reason, message, object_kind, object_namespace, object_name, object_uid, actor, task_id)
     SELECT queued_at, 'info', operation, initiator || ': ' || description, target_kind, target_namespace, target_name, target_uid, initiator, id
       FROM inserted`,
    [size.tasks, now],
  );
  return rowCount ?? 0;
}

/** What controllers record as they work: power changes, migrations, maintenance, HA. */
async function insertEvents(client: pg.PoolClient, count: number, now: Date): Promise<number> {
  if (count === 0) return 0;
  const { rowCount } = await client.query(
    `${PICKED_ROWS}
     INSERT INTO events (time, severity, reason, message, object_kind, object_namespace, object_name, object_uid)
     SELECT p.time,
            CASE WHEN p.roll >= 985 THEN 'error' WHEN p.roll >= 930 THEN 'warning' ELSE 'info' END,
            CASE WHEN p.roll < 450 THEN 'VirtualMachine.PoweredOn'
                 WHEN p.roll < 720 THEN 'VirtualMachine.PoweredOff'
                 WHEN p.roll < 760 THEN 'VirtualMachine.Suspended'
                 WHEN p.roll < 900 THEN 'VirtualMachine.migrated'
                 WHEN p.roll < 915 THEN 'Host.enteredMaintenanceMode'
                 WHEN p.roll < 930 THEN 'Host.exitedMaintenanceMode'
                 WHEN p.roll < 960 THEN 'VirtualMachine.driftRepaired'
                 WHEN p.roll < 985 THEN 'HA.restartedVirtualMachine'
                 WHEN p.roll < 993 THEN 'Host.notResponding'
                 ELSE 'Host.connected' END,
            CASE WHEN p.roll < 450 THEN v.name || ' is powered on on ' || v.host
                 WHEN p.roll < 720 THEN v.name || ' is powered off on ' || v.host
                 WHEN p.roll < 760 THEN v.name || ' is suspended on ' || v.host
                 WHEN p.roll < 900 THEN 'Migrated ' || v.name || ' from ' || o.name || ' to ' || v.host
                 WHEN p.roll < 915 THEN 'Host ' || h.name || ' entered maintenance mode'
                 WHEN p.roll < 930 THEN 'Host ' || h.name || ' exited maintenance mode'
                 WHEN p.roll < 960 THEN v.name || ' was powered off outside Skylight; powering it on again as its desired state says'
                 WHEN p.roll < 985 THEN 'vSphere HA restarted ' || v.namespace || '/' || v.name || ' on ' || v.host || ' after host ' || o.name || ' stopped responding'
                 WHEN p.roll < 993 THEN 'Host ' || h.name || ' is not responding'
                 ELSE 'Host ' || h.name || ' is responding again' END,
            CASE WHEN p.roll >= 900 AND p.roll < 930 OR p.roll >= 985 THEN 'Host' ELSE 'VirtualMachine' END,
            CASE WHEN p.roll >= 900 AND p.roll < 930 OR p.roll >= 985 THEN '' ELSE v.namespace END,
            CASE WHEN p.roll >= 900 AND p.roll < 930 OR p.roll >= 985 THEN h.name ELSE v.name END,
            CASE WHEN p.roll >= 900 AND p.roll < 930 OR p.roll >= 985 THEN h.uid ELSE v.uid END
       FROM picked p
       JOIN vms v ON v.n = p.vm
       JOIN hosts h ON h.n = p.host
       JOIN hosts o ON o.n = p.other`,
    [count, now],
  );
  return rowCount ?? 0;
}
