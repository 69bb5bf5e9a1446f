// A namespace's limits and allowances, enforced by the engine before a VM is created, powered on
// or given another class, so that every client (console, Kubernetes API, scripts) meets them.
// CPU and memory count the VMs that should be running; storage counts every VM's disk. Usage is
// read from desired state with a limited namespace's row locked, so two requests in one namespace
// are decided one after the other and cannot both squeeze past a limit.
import type { Db } from "@/lib/db/pool";
import { allocationFor, diskGiBFor, type ClassSpec, type ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import { getObject, listObjects, type StoredObject } from "@/lib/engine/object-store";
import type { NamespaceSpec, VirtualMachineSpec } from "@/lib/engine/schemas";
import { InvalidInputError, QuotaExceededError } from "@/lib/errors";

export interface NamespaceUsage {
  vms: number;
  cpu: number;
  memoryMiB: number;
  storageGiB: number;
}

interface Demand {
  cpu: number;
  memoryMiB: number;
  storageGiB: number;
}

type VmShape = Pick<VirtualMachineSpec, "className" | "imageName" | "powerState" | "hardware" | "advanced">;

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
  // Edit Settings' custom CPUs and memory and a grown disk count as what the VM is given.
  const vmClass = catalog.classes.get(vm.className);
  const size = vmClass ? allocationFor(vmClass, vm.hardware) : undefined;
  const image = catalog.images.get(vm.imageName);
  const running = vm.powerState === "PoweredOn";
  return {
    cpu: running ? (size?.cpus ?? 0) : 0,
    memoryMiB: running ? (size?.memoryMiB ?? 0) : 0,
    storageGiB: image ? diskGiBFor(image, vm) : 0,
  };
}

/** What the namespace's VMs ask for, leaving out VMs being deleted and the one named in `except`. */
export async function readNamespaceUsage(db: Db, namespace: string, except?: string, catalog?: Catalog): Promise<NamespaceUsage> {
  const known = catalog ?? (await readCatalog(db));
  const vms = await listObjects<VirtualMachineSpec, unknown>(db, "VirtualMachine", "namespace = $2 AND deletion_timestamp IS NULL", [namespace]);
  const usage: NamespaceUsage = { vms: 0, cpu: 0, memoryMiB: 0, storageGiB: 0 };
  for (const vm of vms) {
    if (vm.name === except) continue;
    const demand = demandOf(known, vm.spec);
    usage.vms++;
    usage.cpu += demand.cpu;
    usage.memoryMiB += demand.memoryMiB;
    usage.storageGiB += demand.storageGiB;
  }
  return usage;
}

const vcpus = (count: number) => `${count} vCPU${count === 1 ? "" : "s"}`;
const mib = (value: number) => (value % 1024 === 0 ? `${value / 1024} GiB` : `${value} MiB`);
const gib = (value: number) => `${value} GiB`;

function allowance(list: string[] | undefined, value: string, field: string, noun: string, namespace: string) {
  if (list && !list.includes(value)) {
    const allowed = list.length ? `it allows ${list.join(", ")}` : `it allows none`;
    throw new InvalidInputError(field, `${noun} ${value} is not allowed in namespace ${namespace}; ${allowed}.`);
  }
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
  const key = { kind: "Namespace" as const, namespace: "", name: namespace };
  const read = await getObject<NamespaceSpec, unknown>(tx, key);
  // Only a limit needs requests decided one at a time. In an unlimited namespace they share a key
  // lock, so they run in parallel while a namespace change (which locks for update) waits for them:
  // a deletion cannot miss a VM being created, nor a new limit a VM being admitted without it.
  let owner = read && (await getObject<NamespaceSpec, unknown>(tx, key, hasLimits(read) ? { forUpdate: true } : { forKeyShare: true }));
  // A limit set between the two reads: this request is decided alone after all.
  if (owner && read && hasLimits(owner) && !hasLimits(read)) owner = await getObject<NamespaceSpec, unknown>(tx, key, { forUpdate: true });
  if (!owner) throw new InvalidInputError("namespace", `Namespace "${namespace}" does not exist.`);
  if (owner.deletionTimestamp) throw new InvalidInputError("namespace", `Namespace "${namespace}" is being deleted.`);
  assertAllowed(owner, allowances);
  if (!hasLimits(owner)) return;
  const limits = owner.spec.limits!;
  const catalog = await readCatalog(tx);
  const used = await readNamespaceUsage(tx, namespace, vm.name, catalog);
  const asked = demandOf(catalog, vm);
  const checks = [
    {
      resource: "cpu", field: "spec.className", limit: limits.cpu, inUse: used.cpu, ask: asked.cpu, unit: "",
      words: () => `CPU limit of ${namespace} is ${vcpus(limits.cpu!)}; ${vcpus(used.cpu)} ${used.cpu === 1 ? "is" : "are"} in use and the VM asks for ${vcpus(asked.cpu)}.`,
    },
    {
      resource: "memory", field: "spec.className", limit: limits.memoryMiB, inUse: used.memoryMiB, ask: asked.memoryMiB, unit: "Mi",
      words: () => `Memory limit of ${namespace} is ${mib(limits.memoryMiB!)}; ${mib(used.memoryMiB)} is in use and the VM asks for ${mib(asked.memoryMiB)}.`,
    },
    {
      resource: "storage", field: "spec.imageName", limit: limits.storageGiB, inUse: used.storageGiB, ask: asked.storageGiB, unit: "Gi",
      words: () => `Storage limit of ${namespace} is ${gib(limits.storageGiB!)}; ${gib(used.storageGiB)} is in use and the VM asks for ${gib(asked.storageGiB)}.`,
    },
  ] as const;
  for (const check of checks) {
    if (check.limit === undefined || check.ask <= 0 || check.inUse + check.ask <= check.limit) continue;
    const quantity = (value: number) => `${value}${check.unit}`;
    throw new QuotaExceededError(check.field, check.words(), { namespace, resource: check.resource, limited: quantity(check.limit), used: quantity(check.inUse), requested: quantity(check.ask) });
  }
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
