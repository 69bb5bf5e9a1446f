// A namespace's limits and allowances, enforced by the engine before a VM is created, powered on
// or given another class, and before a pod is created, so that every client (console, Kubernetes
// API, scripts) meets them. CPU and memory count the VMs that should be running and the requests
// (else limits) of pods that have not finished; storage counts every VM's disks, added ones too. Usage is read from
// desired state with a limited namespace's row locked, so two requests in one namespace are
// decided one after the other and cannot both squeeze past a limit.
import type { Db } from "@/lib/db/pool";
import { allocationFor, diskGiBFor, type ClassSpec, type ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import { getObject, listObjects, type StoredObject } from "@/lib/engine/object-store";
import { containerWithout, podRequests, type PodRequests, type PodSpec } from "@/lib/engine/pod-spec";
import type { NamespaceSpec, VirtualMachineSpec } from "@/lib/engine/schemas";
import { addedDisksGiB } from "@/lib/engine/vm-device-rules";
import { InvalidInputError, QuotaExceededError } from "@/lib/errors";

export interface NamespaceUsage {
  vms: number;
  pods: number;
  /** vCPUs, in fractions when pods request millicores. */
  cpu: number;
  memoryMiB: number;
  storageGiB: number;
}

interface Demand {
  cpu: number;
  memoryMiB: number;
  storageGiB: number;
}

type VmShape = Pick<VirtualMachineSpec, "className" | "imageName" | "powerState" | "hardware" | "advanced" | "volumes">;

async function readCatalog(db: Db) {
  // In turn: `db` may be a transaction's one connection.
  const classes = await listObjects<ClassSpec, unknown>(db, "VirtualMachineClass", "namespace = ''");
  const images = await listObjects<unknown, ImageStatus>(db, "VirtualMachineImage", "namespace = ''");
  return {
    classes: new Map(classes.map((vmClass) => [vmClass.name, vmClass])),
    images: new Map(images.map((image) => [image.name, image])),
  };
}

type Catalog = Awaited<ReturnType<typeof readCatalog>>;

function demandOf(catalog: Catalog, vm: VmShape): Demand {
  // Edit Settings' custom CPUs and memory, a grown boot disk and added disks count as what the VM is given.
  const vmClass = catalog.classes.get(vm.className);
  const size = vmClass ? allocationFor(vmClass, vm.hardware) : undefined;
  const image = catalog.images.get(vm.imageName);
  const running = vm.powerState === "PoweredOn";
  return {
    cpu: running ? (size?.cpus ?? 0) : 0,
    memoryMiB: running ? (size?.memoryMiB ?? 0) : 0,
    storageGiB: (image ? diskGiBFor(image, vm) : 0) + addedDisksGiB(vm),
  };
}

/** A pod's requests as the namespace counts them: millicores in vCPUs, bytes in whole MiB. */
function podDemand(requests: PodRequests): Demand {
  return { cpu: requests.cpuMillis / 1000, memoryMiB: Math.ceil(requests.memoryBytes / 2 ** 20), storageGiB: 0 };
}

/**
 * What the namespace's VMs and pods ask for, leaving out those being deleted, pods that have
 * finished (as kube's ResourceQuota does) and the object `except` names.
 */
export async function readNamespaceUsage(db: Db, namespace: string, except?: { kind: "VirtualMachine" | "Pod"; name: string }, catalog?: Catalog): Promise<NamespaceUsage> {
  const known = catalog ?? (await readCatalog(db));
  // VMs of one shape counted together: a namespace of thousands of VMs has a handful of shapes.
  const { rows: shapes } = await db.query<VmShape & { vms: number }>(
    `SELECT spec->>'className' AS "className", spec->>'imageName' AS "imageName", spec->>'powerState' AS "powerState",
            spec->'hardware' AS hardware, spec->'advanced' AS advanced, spec->'volumes' AS volumes, count(*)::int AS vms
       FROM resources
      WHERE kind = 'VirtualMachine' AND namespace = $1 AND deletion_timestamp IS NULL AND name IS DISTINCT FROM $2
      GROUP BY 1, 2, 3, 4, 5, 6`,
    [namespace, except?.kind === "VirtualMachine" ? except.name : null],
  );
  const pods = await listObjects<PodSpec, unknown>(db, "Pod", "namespace = $2 AND deletion_timestamp IS NULL AND COALESCE(status->>'phase', '') NOT IN ('Succeeded', 'Failed')", [namespace]);
  const usage: NamespaceUsage = { vms: 0, pods: 0, cpu: 0, memoryMiB: 0, storageGiB: 0 };
  const add = (demand: Demand) => {
    usage.cpu += demand.cpu;
    usage.memoryMiB += demand.memoryMiB;
    usage.storageGiB += demand.storageGiB;
  };
  for (const { vms, ...shape } of shapes) {
    usage.vms += vms;
    const demand = demandOf(known, { ...shape, hardware: shape.hardware ?? undefined, advanced: shape.advanced ?? undefined, volumes: shape.volumes ?? undefined });
    add({ cpu: demand.cpu * vms, memoryMiB: demand.memoryMiB * vms, storageGiB: demand.storageGiB * vms });
  }
  for (const pod of pods) {
    if (except?.kind === "Pod" && pod.name === except.name) continue;
    usage.pods++;
    add(podDemand(podRequests(pod.spec)));
  }
  // Millicores summed as fractions of a vCPU: keep the sum exact.
  usage.cpu = Math.round(usage.cpu * 1000) / 1000;
  return usage;
}

const vcpus = (count: number) => `${count} vCPU${count === 1 ? "" : "s"}`;
/** A CPU amount as kube writes a quantity: 2, 1500m. */
const cpuQuantity = (value: number) => (Number.isInteger(value) ? String(value) : `${Math.round(value * 1000)}m`);
const mib = (value: number) => (value % 1024 === 0 ? `${value / 1024} GiB` : `${value} MiB`);
const gib = (value: number) => `${value} GiB`;

function allowance(list: string[] | undefined, value: string, field: string, noun: string, namespace: string) {
  if (list && !list.includes(value)) {
    const allowed = list.length ? `it allows ${list.join(", ")}` : `it allows none`;
    throw new InvalidInputError(field, `${noun} ${value} is not allowed in namespace ${namespace}; ${allowed}.`);
  }
}

/**
 * Locks the namespace's row until the transaction ends: a limited one for update, an unlimited one
 * shared. Only a limit needs requests decided one at a time. In an unlimited namespace they share
 * a key lock, so they run in parallel while a namespace change (which locks for update) waits for
 * them: a deletion cannot miss an object being created, nor a new limit one admitted without it.
 */
async function lockNamespace(tx: Db, namespace: string): Promise<StoredObject<NamespaceSpec>> {
  const key = { kind: "Namespace" as const, namespace: "", name: namespace };
  const read = await getObject<NamespaceSpec, unknown>(tx, key);
  let owner = read && (await getObject<NamespaceSpec, unknown>(tx, key, hasLimits(read) ? { forUpdate: true } : { forKeyShare: true }));
  // A limit set between the two reads: this request is decided alone after all.
  if (owner && read && hasLimits(owner) && !hasLimits(read)) owner = await getObject<NamespaceSpec, unknown>(tx, key, { forUpdate: true });
  if (!owner) throw new InvalidInputError("namespace", `Namespace "${namespace}" does not exist.`);
  if (owner.deletionTimestamp) throw new InvalidInputError("namespace", `Namespace "${namespace}" is being deleted.`);
  return owner;
}

/** The cluster that places a namespace's VMs and pods; `default` belongs to none, so nothing placed there could run. */
export function placingCluster(namespace: string, cluster: string | null | undefined): string {
  if (!cluster) throw new InvalidInputError("metadata.namespace", `Namespace "${namespace}" belongs to no cluster, so nothing created in it could run: use a namespace on a cluster.`);
  return cluster;
}

/** Refuses a write into a namespace that does not exist or is being deleted, and holds it against deletion until `tx` ends. */
export async function assertNamespaceWritable(tx: Db, namespace: string): Promise<void> {
  const owner = await getObject<NamespaceSpec, unknown>(tx, { kind: "Namespace", namespace: "", name: namespace }, { forKeyShare: true });
  if (!owner) throw new InvalidInputError("namespace", `Namespace "${namespace}" does not exist.`);
  if (owner.deletionTimestamp) throw new InvalidInputError("namespace", `Namespace "${namespace}" is being deleted.`);
}

/** Who asks, and the fields a refusal names; storage is the image's disk unless the ask adds disks. */
interface Asker {
  noun: string;
  cpuField: string;
  memoryField: string;
  storageField?: string;
}

/** The first of the namespace's limits the ask would take it over, with the words for it; null when it fits. */
function exceededLimit(owner: StoredObject<NamespaceSpec>, used: NamespaceUsage, asked: Demand, who: Asker) {
  const namespace = owner.name;
  const limits = owner.spec.limits!;
  const checks = [
    {
      resource: "cpu", field: who.cpuField, limit: limits.cpu, inUse: used.cpu, ask: asked.cpu, quantity: cpuQuantity, amount: vcpus,
      words: () => `CPU limit of ${namespace} is ${vcpus(limits.cpu!)}; ${vcpus(used.cpu)} ${used.cpu === 1 ? "is" : "are"} in use and the ${who.noun} asks for ${vcpus(asked.cpu)}.`,
    },
    {
      resource: "memory", field: who.memoryField, limit: limits.memoryMiB, inUse: used.memoryMiB, ask: asked.memoryMiB, quantity: (value: number) => `${value}Mi`, amount: mib,
      words: () => `Memory limit of ${namespace} is ${mib(limits.memoryMiB!)}; ${mib(used.memoryMiB)} is in use and the ${who.noun} asks for ${mib(asked.memoryMiB)}.`,
    },
    {
      resource: "storage", field: who.storageField ?? "spec.imageName", limit: limits.storageGiB, inUse: used.storageGiB, ask: asked.storageGiB, quantity: (value: number) => `${value}Gi`, amount: gib,
      words: () => `Storage limit of ${namespace} is ${gib(limits.storageGiB!)}; ${gib(used.storageGiB)} is in use and the ${who.noun} asks for ${gib(asked.storageGiB)}.`,
    },
  ] as const;
  const check = checks.find((candidate) => candidate.limit !== undefined && candidate.ask > 0 && candidate.inUse + candidate.ask > candidate.limit);
  return check ? { ...check, limit: check.limit! } : null;
}

/** Refuses an ask that would take the namespace over one of its limits, naming the limit, the use and the ask. */
function assertWithinLimits(owner: StoredObject<NamespaceSpec>, used: NamespaceUsage, asked: Demand, who: Asker) {
  const check = exceededLimit(owner, used, asked, who);
  if (check) {
    throw new QuotaExceededError(check.field, check.words(), { namespace: owner.name, resource: check.resource, limited: check.quantity(check.limit), used: check.quantity(check.inUse), requested: check.quantity(check.ask) });
  }
}

const VM_ASKS = { noun: "VM", cpuField: "spec.className", memoryField: "spec.className" };

/**
 * Why a new powered-on VM of each class would take the namespace over its CPU or memory limit, by
 * class name ("needs 16 GiB memory, 6 GiB left of 16 GiB"); classes that fit are absent. Admission's
 * own rule and usage, read without a lock, so the New Virtual Machine wizard can decide early;
 * the engine decides again at Finish.
 */
export async function readClassShortfalls(db: Db, namespace: string): Promise<Record<string, string>> {
  const owner = await getObject<NamespaceSpec, unknown>(db, { kind: "Namespace", namespace: "", name: namespace });
  if (!owner || !hasLimits(owner)) return {};
  const catalog = await readCatalog(db);
  const used = await readNamespaceUsage(db, namespace, undefined, catalog);
  const shortfalls: Record<string, string> = {};
  for (const className of catalog.classes.keys()) {
    const demand = demandOf(catalog, { className, imageName: "", powerState: "PoweredOn" });
    const check = exceededLimit(owner, used, { ...demand, storageGiB: 0 }, VM_ASKS);
    if (check) {
      const unit = check.resource === "memory" ? " memory" : "";
      shortfalls[className] = `needs ${check.amount(check.ask)}${unit}, ${check.amount(Math.max(0, Math.round((check.limit - check.inUse) * 1000) / 1000))} left of ${check.amount(check.limit)}`;
    }
  }
  return shortfalls;
}

/**
 * Refuses, with the limit, the usage and the ask, a VM `vm` (new, or replacing the VM of the same
 * name) that would take the namespace over a limit, or that uses (`allowances`) a class, image or
 * storage class the namespace does not allow. Locks the namespace's row until the transaction
 * ends: a limited one for update, an unlimited one shared.
 */
export async function assertNamespaceAdmits(
  tx: Db,
  namespace: string,
  vm: VmShape & { name: string },
  allowances: { className?: string; imageName?: string; storageClass?: string } = {},
): Promise<void> {
  const owner = await lockNamespace(tx, namespace);
  assertAllowed(owner, allowances);
  if (!hasLimits(owner)) return;
  const catalog = await readCatalog(tx);
  const used = await readNamespaceUsage(tx, namespace, { kind: "VirtualMachine", name: vm.name }, catalog);
  assertWithinLimits(owner, used, demandOf(catalog, vm), { ...VM_ASKS, ...(addedDisksGiB(vm) > 0 && { storageField: "spec.volumes" }) });
}

/**
 * Refuses a new pod whose requests (else limits) would take the namespace over its CPU or memory
 * limit, and, as kube's ResourceQuota does, one that states neither for a resource the namespace
 * limits. Locks the namespace's row as assertNamespaceAdmits does. Returns the namespace's uid and cluster.
 */
export async function assertNamespaceAdmitsPod(tx: Db, namespace: string, pod: { name: string; spec: PodSpec }): Promise<{ uid: string; cluster: string }> {
  const owner = await lockNamespace(tx, namespace);
  const found = { uid: owner.uid, cluster: placingCluster(namespace, owner.spec.cluster) };
  if (!hasLimits(owner)) return found;
  const limits = owner.spec.limits!;
  for (const [resource, limited] of [["cpu", limits.cpu], ["memory", limits.memoryMiB]] as const) {
    const missing = limited === undefined ? null : containerWithout(pod.spec, resource);
    if (missing) {
      throw new InvalidInputError(
        `spec.containers[${missing.index}].resources.requests.${resource}`,
        `Required value: namespace ${namespace} has a ${resource === "cpu" ? "CPU" : "memory"} limit, so container ${missing.name} must specify requests.${resource} or limits.${resource} (failed quota: ${namespace})`,
      );
    }
  }
  const used = await readNamespaceUsage(tx, namespace, { kind: "Pod", name: pod.name });
  assertWithinLimits(owner, used, podDemand(podRequests(pod.spec)), { noun: "pod", cpuField: "spec.containers[*].resources.requests.cpu", memoryField: "spec.containers[*].resources.requests.memory" });
  return found;
}

function hasLimits(owner: StoredObject<NamespaceSpec>): boolean {
  const limits = owner.spec.limits ?? {};
  return limits.cpu !== undefined || limits.memoryMiB !== undefined || limits.storageGiB !== undefined;
}

function assertAllowed(owner: StoredObject<NamespaceSpec>, uses: { className?: string; imageName?: string; storageClass?: string }) {
  if (uses.className !== undefined) allowance(owner.spec.vmClasses, uses.className, "spec.className", "VM class", owner.name);
  if (uses.imageName !== undefined) allowance(owner.spec.images, uses.imageName, "spec.imageName", "Image", owner.name);
  if (uses.storageClass !== undefined) allowance(owner.spec.storageClasses, uses.storageClass, "spec.storageClass", "Storage class", owner.name);
}
