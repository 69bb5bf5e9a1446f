// The rules a VM's desired state meets, whichever intent or client writes it (New Virtual Machine,
// Clone, Edit Settings, a class change, power operations, a snapshot revert, kubectl create,
// update, patch and apply, the console's YAML tab): the class, image and datastore exist; the
// datastore is one the namespace's cluster mounts and a requested host is in that cluster; every
// network it newly names is in the cluster's datacenter; what needs the VM powered off is refused
// in vm-settings-rules' words; the namespace's limits and allowances; vSphere HA admission control.
import type { Db } from "@/lib/db/pool";
import { allocationFor, diskGiBFor, type ClassSpec, type ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { assertFailoverCapacity } from "@/lib/engine/ha-admission";
import { assertNamespaceAdmits, placingCluster } from "@/lib/engine/namespace-quota";
import { getObject, type StoredObject } from "@/lib/engine/object-store";
import type { VmAllocation } from "@/lib/engine/placement";
import { sameJson } from "@/lib/engine/same-json";
import type { ClusterSpec, VirtualMachineSpec } from "@/lib/engine/schemas";
import { admitDevices } from "@/lib/engine/vm-device-admission";
import { settingsRefusals, type VmSettings } from "@/lib/engine/vm-settings-rules";
import { InvalidInputError } from "@/lib/errors";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

type Vm = StoredObject<VirtualMachineSpec>;

/** vm-operator refuses to suspend a VM that is not running. */
export function assertPowerTransition(observed: string | undefined, requested: VirtualMachineSpec["powerState"]) {
  if (requested === "Suspended" && observed !== undefined && observed !== "PoweredOn") {
    throw new InvalidInputError("spec.powerState", `Only a powered-on VM can be suspended; this one is ${observed === "PoweredOff" ? "powered off" : "suspended"}.`);
  }
}

/** vSphere HA admission control for a VM about to be powered on in `clusterName`. */
async function admitPowerOn(tx: Db, clusterName: string, vm: { namespace: string; name: string; spec: VirtualMachineSpec; allocation?: VmAllocation }) {
  const cluster = await getObject<ClusterSpec, unknown>(tx, { kind: "Cluster", namespace: "", name: clusterName });
  if (!cluster) return;
  let allocation = vm.allocation;
  if (!allocation) {
    const vmClass = await getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: vm.spec.className });
    if (!vmClass) return;
    allocation = allocationFor(vmClass, vm.spec.hardware);
  }
  await assertFailoverCapacity(tx, cluster, vm, allocation);
}

/**
 * vSphere HA admission control for a running VM given a new size (hot-add, another class): only
 * a reservation that grows beyond `reserved`, what the VM holds now, can use up failover capacity.
 */
async function admitReconfigure(tx: Db, clusterName: string, vm: { namespace: string; name: string; spec: VirtualMachineSpec; reserved?: VmAllocation }, vmClass: StoredObject<ClassSpec>) {
  if (vm.spec.powerState !== "PoweredOn") return;
  const cluster = await getObject<ClusterSpec, unknown>(tx, { kind: "Cluster", namespace: "", name: clusterName });
  if (!cluster) return;
  const allocation = allocationFor(vmClass, vm.spec.hardware);
  const reserved = vm.reserved ?? { reservedMemoryMiB: 0, reservedCpuMhz: 0 };
  if (allocation.reservedMemoryMiB <= reserved.reservedMemoryMiB && allocation.reservedCpuMhz <= reserved.reservedCpuMhz) return;
  await assertFailoverCapacity(tx, cluster, vm, allocation, "reconfiguring");
}

/**
 * Refuses a network the VM's adapters name that is not in the datacenter of `cluster`; networks in
 * `known` (the ones the VM is already on) are not asked about again. An adapter that names no
 * network gets the namespace's default, as in vm-operator.
 */
async function assertNetworksInDatacenter(tx: Db, cluster: string, networks: string[], known: ReadonlySet<string>, field: string) {
  const asked = networks.filter((network) => network && !known.has(network));
  if (asked.length === 0) return;
  const { rows } = await tx.query<{ name: string | null; datacenter: string }>(
    `SELECT n.name, c.spec->>'datacenter' AS datacenter FROM resources c
       LEFT JOIN resources n ON n.kind = 'Network' AND n.namespace = '' AND n.deletion_timestamp IS NULL
                            AND n.spec->>'datacenter' = c.spec->>'datacenter' AND n.name = ANY($2)
      WHERE c.kind = 'Cluster' AND c.namespace = '' AND c.name = $1`,
    [cluster, asked],
  );
  const found = new Set(rows.map((row) => row.name));
  const missing = networks.findIndex((network) => asked.includes(network) && !found.has(network));
  if (missing >= 0) {
    throw new InvalidInputError(field, `Network adapter ${missing + 1}: network "${networks[missing]}" is not in datacenter ${rows[0]?.datacenter ?? "?"}, where the VM's cluster is.`);
  }
}

const networksOf = (spec: VirtualMachineSpec) => (spec.network?.interfaces ?? []).map((entry) => entry.network?.name ?? "");

/** The settings the VM has now: what its host reports, or what its spec asks when not yet created. */
export function currentSettings(vm: Vm, vmClass: StoredObject<ClassSpec>, image: StoredObject<unknown, ImageStatus>): VmSettings {
  const hardware = (vm.status as VirtualMachineStatus).hardware;
  const sized = allocationFor(vmClass, vm.spec.hardware);
  return {
    cpus: hardware?.cpus ?? sized.cpus,
    memoryMiB: hardware?.memoryMiB ?? sized.memoryMiB,
    diskGiB: Math.max(hardware?.diskGiB ?? 0, diskGiBFor(image, vm.spec)),
    adapters: (vm.spec.network?.interfaces ?? []).map((entry) => ({ name: entry.name, network: entry.network?.name ?? "" })),
  };
}

interface NewVm {
  namespace: string;
  name: string;
  spec: VirtualMachineSpec;
  /** A host an administrator or operator chose; absent: DRS places the VM. */
  requestedHost?: string;
}

/**
 * Admits a new VM: its class, image and datastore exist, the datastore is mounted by its
 * namespace's cluster, a requested host is in that cluster and can take VMs, its networks are in
 * the cluster's datacenter, and its namespace's limits and HA admission control allow it. Returns
 * the namespace's uid and cluster.
 */
export async function admitNewVm(tx: Db, vm: NewVm): Promise<{ namespaceUid: string; cluster: string }> {
  const { spec, namespace, requestedHost = "" } = vm;
  const { rows } = await tx.query<{ kind: string; uid: string; cluster: string | null; deleting: boolean; maintenance: boolean | null; connection: string | null }>(
    `SELECT kind, uid::text, CASE WHEN kind = 'Datastore' THEN labels->>'skylight.io/cluster' ELSE spec->>'cluster' END AS cluster,
            deletion_timestamp IS NOT NULL AS deleting, (spec->>'maintenanceMode')::boolean AS maintenance, status->>'connectionState' AS connection
       FROM resources
      WHERE namespace = '' AND ((kind = 'VirtualMachineClass' AND name = $1) OR (kind = 'VirtualMachineImage' AND name = $2)
         OR (kind = 'Datastore' AND name = $3) OR (kind = 'Namespace' AND name = $4) OR (kind = 'Host' AND name = $5))`,
    [spec.className, spec.imageName, spec.storageClass, namespace, requestedHost],
  );
  const found = (kind: string) => rows.find((row) => row.kind === kind && !row.deleting);
  const owner = found("Namespace");
  if (!owner) throw new InvalidInputError("namespace", `Namespace "${namespace}" does not exist.`);
  const cluster = placingCluster(namespace, owner.cluster);
  if (!found("VirtualMachineClass")) throw new InvalidInputError("spec.className", `VirtualMachineClass "${spec.className}" does not exist.`);
  if (!found("VirtualMachineImage")) throw new InvalidInputError("spec.imageName", `VirtualMachineImage "${spec.imageName}" does not exist.`);
  const datastore = found("Datastore");
  if (!datastore) throw new InvalidInputError("spec.storageClass", `Storage class "${spec.storageClass}" does not exist.`);
  if (datastore.cluster !== cluster) throw new InvalidInputError("spec.storageClass", `Datastore "${spec.storageClass}" is not mounted by the hosts of cluster ${cluster}.`);
  if (requestedHost) {
    const host = found("Host");
    if (host?.cluster !== cluster) throw new InvalidInputError("host", `Host "${requestedHost}" is not in cluster ${cluster}.`);
    if (host.maintenance) throw new InvalidInputError("host", `Host ${requestedHost} is in maintenance mode; choose another host or let DRS place the VM.`);
    if (host.connection !== "connected") throw new InvalidInputError("host", `Host ${requestedHost} is not connected; choose another host or let DRS place the VM.`);
  }
  await assertNetworksInDatacenter(tx, cluster, networksOf(spec), new Set(), "spec.network.interfaces");
  await admitDevices(tx, namespace, null, spec);
  await assertNamespaceAdmits(tx, namespace, { name: vm.name, ...spec }, spec);
  if (spec.powerState === "PoweredOn") await admitPowerOn(tx, cluster, vm);
  return { namespaceUid: owner.uid, cluster };
}

/** Fields that change what the VM is given: its class, custom CPUs and memory, disks, adapters and CD/DVD drives. */
const HARDWARE_FIELDS = ["className", "hardware", "advanced", "network", "volumes", "cdrom"] as const;

/**
 * Admits a change of an existing VM's spec from `current.spec` to `next`: a power transition
 * vm-operator allows; for new hardware, a class that exists, nothing that needs the VM powered off
 * while it is not (vm-settings-rules), networks in its datacenter; then, when anything changes,
 * its namespace's limits and allowances and HA admission control. `askedDiskGiB` is the disk size
 * a form asked for, which may be below what the spec can express (the image's own size).
 */
export async function admitVmChange(tx: Db, current: Vm, next: VirtualMachineSpec, options: { askedDiskGiB?: number } = {}): Promise<void> {
  const status = current.status as VirtualMachineStatus;
  const cluster = current.labels[CLUSTER_LABEL] ?? "";
  const powerChanged = next.powerState !== current.spec.powerState;
  if (powerChanged) assertPowerTransition(status.powerState, next.powerState);
  const hardwareChanged = options.askedDiskGiB !== undefined || HARDWARE_FIELDS.some((field) => !sameJson(next[field], current.spec[field]));
  let vmClass: StoredObject<ClassSpec> | null = null;
  if (hardwareChanged) {
    // One after another: a transaction is one connection, which runs one query at a time.
    const nextClass = await getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: next.className });
    const currentClass = await getObject<ClassSpec, unknown>(tx, { kind: "VirtualMachineClass", namespace: "", name: current.spec.className });
    const image = await getObject<unknown, ImageStatus>(tx, { kind: "VirtualMachineImage", namespace: "", name: next.imageName });
    if (!nextClass) throw new InvalidInputError("spec.className", `VirtualMachineClass "${next.className}" does not exist.`);
    if (!image) throw new InvalidInputError("spec.imageName", `VirtualMachineImage "${next.imageName}" does not exist.`);
    vmClass = nextClass;
    const before = currentSettings(current, currentClass ?? nextClass, image);
    const sized = allocationFor(nextClass, next.hardware);
    const desired: VmSettings = {
      cpus: sized.cpus,
      memoryMiB: sized.memoryMiB,
      diskGiB: options.askedDiskGiB ?? diskGiBFor(image, next),
      adapters: (next.network?.interfaces ?? []).map((entry) => ({ name: entry.name, network: entry.network?.name ?? "" })),
    };
    const poweredOff = current.spec.powerState === "PoweredOff" && (status.powerState ?? "PoweredOff") === "PoweredOff";
    const [refusal] = settingsRefusals(before, desired, { poweredOff, sizedByClass: next.hardware === undefined });
    if (refusal) throw new InvalidInputError(refusal.field, refusal.message);
    await assertNetworksInDatacenter(tx, cluster, networksOf(next), new Set(networksOf(current.spec)), "adapters");
    await admitDevices(tx, current.namespace, current.spec, next);
  }
  if (sameJson(next, current.spec)) return;
  const poweringOn = powerChanged && next.powerState === "PoweredOn";
  if (hardwareChanged || poweringOn) await assertNamespaceAdmits(tx, current.namespace, { ...next, name: current.name }, hardwareChanged ? { className: next.className } : {});
  const vm = { namespace: current.namespace, name: current.name, spec: next };
  if (poweringOn) await admitPowerOn(tx, cluster, { ...vm, allocation: hardwareChanged ? undefined : status.allocation });
  else if (vmClass) await admitReconfigure(tx, cluster, { ...vm, reserved: status.allocation }, vmClass);
}
