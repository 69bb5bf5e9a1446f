// The VirtualMachine controller. Level-triggered: every pass reads desired state (spec) and the
// provider's actual state fresh and takes the next step: delete through the finalizer, place,
// create, move, reconfigure, power. Long provider operations are observed to completion on later
// passes; when nothing is left to do it reports status and finishes the VM's tasks.
import { createTask, finishReachedTasks, finishTasks, openTasks, progressTasks, recordEvent, type NewEvent } from "@/lib/engine/activity";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { deviceStatus, unsupportedDevices, type VmDeviceStatus } from "@/lib/engine/controllers/vm-device-status";
import { allocationFor, diskGiBFor, interfaceNetworks, type ClassSpec, type ImageStatus } from "@/lib/engine/controllers/vm-hardware";
import { DONE, requeueAfter, TerminalError, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { withTransaction } from "@/lib/db/pool";
import {
  getObject,
  objectKeyString,
  removeObject,
  writeMetadata,
  writeStatus,
  type ObjectKey,
  type StoredObject,
} from "@/lib/engine/object-store";
import { bookOnHost, explainNoFit, placeVm, releaseVm, type Overcommit, type VmAllocation } from "@/lib/engine/placement";
import { enqueue, enqueueRollups } from "@/lib/engine/reconcile-queue";
import { ruleExclusionWords, rulePreference } from "@/lib/engine/drs-rule-decisions";
import { haRestartPriority, restartsBefore } from "@/lib/engine/vm-overrides";
import type { ClusterSpec, SnapshotRequest, VirtualMachineSpec } from "@/lib/engine/schemas";
import { snapshotTree, type SnapshotNode } from "@/lib/engine/snapshot-tree";
import { ConflictError } from "@/lib/errors";
import { ProviderError, type PowerState, type ProviderVm } from "@/lib/provider/provider";
import { sameJson } from "@/lib/engine/same-json";
import { devicesOf } from "@/lib/engine/vm-device-rules";
import {
  CLONE_OF_ANNOTATION,
  CLUSTER_LABEL,
  CREATE_PENDING_ANNOTATION,
  RENAMED_FROM_ANNOTATION,
  REQUESTED_HOST_ANNOTATION,
  VM_FINALIZER,
} from "@/lib/vocabulary/engine-owned-metadata";
import { progressLabel } from "@/lib/vocabulary/vm-intents";

export interface VirtualMachineStatus {
  powerState?: PowerState;
  host?: string;
  uniqueID?: string;
  network?: { primaryIP4?: string };
  allocation?: VmAllocation;
  /** networks: the network of each adapter, when the provider tracks adapters. */
  hardware?: { cpus: number; memoryMiB: number; diskGiB: number; networks?: string[] };
  /** vm-operator's status.volumes: the spec's volumes, attached or why not. */
  volumes?: VmDeviceStatus["volumes"];
  /** Skylight's own: the CD/DVD drives as the host has them. */
  cdrom?: VmDeviceStatus["cdrom"];
  migration?: { from: string; to: string; reason: string };
  /** The spec.nextRestartTime of the last restart the controller performed. */
  lastRestartTime?: string;
  conditions?: Condition[];
  observedGeneration?: number;
  snapshots?: SnapshotNode[];
  /** The id of the snapshot the VM's current state builds on ("You are here"). */
  currentSnapshot?: string;
  /** The id of the last spec.snapshotRequest carried out, successfully or not. */
  snapshotRequestDone?: string;
  /** The move of its disks to spec.storageClass that the provider refused or failed; not tried again until the spec names another datastore. */
  storageMigrationRefused?: { datastore: string; reason: string };
}

export type Vm = StoredObject<VirtualMachineSpec, VirtualMachineStatus>;

const OPERATION_LABELS: Record<string, string> = {
  create: "Creating",
  powerOn: progressLabel("powerOn"),
  powerOff: progressLabel("powerOff"),
  shutdownGuest: progressLabel("shutdownGuest"),
  suspend: progressLabel("suspend"),
  reconfigure: "Reconfiguring",
  migrate: "Migrating",
  relocate: "Migrating storage",
  delete: "Deleting",
  createSnapshot: "Taking snapshot",
  revertToSnapshot: "Reverting to snapshot",
  removeSnapshot: "Deleting snapshot",
};

/**
 * A step finishes the pass with a result, or asks for the next step at once: "again" after it
 * wrote the VM (read it afresh), or { again: vm } after it only asked the provider for something
 * (the VM row is unchanged, so the next step can skip reading it).
 */
type Step = ReconcileResult | "again" | { again: Vm };

export async function reconcileVirtualMachine(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  // At SIM_SPEED=0 provider operations finish at once, so several steps fit in one pass.
  let vm: Vm | null = null;
  for (let step = 0; step < 8; step++) {
    vm ??= await getObject<VirtualMachineSpec, VirtualMachineStatus>(ctx.pool, key);
    if (!vm) return DONE;
    try {
      const result = await nextStep(ctx, vm);
      if (result === "again") vm = null;
      else if ("again" in result) vm = result.again;
      else return result;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      vm = null; // someone wrote the VM meanwhile: read it again
    }
  }
  return requeueAfter(0);
}

/** The provider's name for the VM: its namespace and name. */
export const vmOwnerKey = (vm: Pick<Vm, "namespace" | "name">) => `${vm.namespace}/${vm.name}`;

/** What the VM's spec refers to, resolved: its cluster's overcommit, and its size and disk; or which reference is missing. */
export async function vmReferences(
  ctx: ReconcileContext,
  vm: Vm,
): Promise<{ missing: string } | { cluster: string; clusterObject: StoredObject<ClusterSpec>; overcommit: Overcommit; allocation: VmAllocation; diskGiB: number }> {
  const cluster = vm.labels[CLUSTER_LABEL] ?? "";
  const clusterObject = await ctx.cached<StoredObject<ClusterSpec>>({ kind: "Cluster", namespace: "", name: cluster });
  const vmClass = await ctx.cached<StoredObject<ClassSpec>>({ kind: "VirtualMachineClass", namespace: "", name: vm.spec.className });
  const image = await ctx.cached<StoredObject<unknown, ImageStatus>>({ kind: "VirtualMachineImage", namespace: "", name: vm.spec.imageName });
  if (!clusterObject) return { missing: `cluster ${cluster}` };
  if (!vmClass) return { missing: `VM class ${vm.spec.className}` };
  if (!image) return { missing: `image ${vm.spec.imageName}` };
  return {
    cluster,
    clusterObject,
    overcommit: clusterObject.spec.overcommit ?? { cpu: 4, memory: 1.25 },
    allocation: allocationFor(vmClass, vm.spec.hardware),
    diskGiB: diskGiBFor(image, vm.spec),
  };
}

/** Whether the added disks and CD/DVD drives differ from the spec's, where the provider attaches them. */
const devicesDiffer = (vm: Vm, observed: ProviderVm) => observed.devices !== null && !sameJson(devicesOf(vm.spec), observed.devices);

/** Whether the VM's CPUs, memory, disks, adapters or CD/DVD drives differ from what its spec gives it. */
export function hardwareDiffers(vm: Vm, observed: ProviderVm, allocation: VmAllocation, diskGiB: number): boolean {
  const networks = interfaceNetworks(vm.spec);
  const networksDiffer = networks !== undefined && !sameJson(networks, observed.networks ?? []);
  const sizeDiffers = observed.cpus !== allocation.cpus || observed.memoryMiB !== allocation.memoryMiB;
  return sizeDiffers || diskGiB > observed.diskGiB || networksDiffer || devicesDiffer(vm, observed);
}

/** A VM that ran as its spec says and was powered off behind Skylight's back: powering it on again is a repair, with an event. */
export function isDriftRepair(vm: Vm, observed: ProviderVm): boolean {
  return vm.status.powerState === "PoweredOn" && observed.powerState === "PoweredOff" && vm.spec.powerState === "PoweredOn" && vm.status.observedGeneration === vm.generation;
}

async function nextStep(ctx: ReconcileContext, vm: Vm): Promise<Step> {
  const ownerKey = vmOwnerKey(vm);
  if (vm.annotations[RENAMED_FROM_ANNOTATION]) return renameStep(ctx, vm, ownerKey);
  // Released, and held only by the garbage collector's finalizer (a Foreground or Orphan delete): its own part is done.
  if (vm.deletionTimestamp && !vm.finalizers.includes(VM_FINALIZER) && vm.finalizers.length > 0) return DONE;
  const observed = await ctx.provider.findVm(ownerKey);
  if (vm.deletionTimestamp) return deleteStep(ctx, vm, observed);
  if (!vm.finalizers.includes(VM_FINALIZER)) {
    await writeMetadata(ctx.pool, vm, { finalizers: [...vm.finalizers, VM_FINALIZER] });
    return "again";
  }

  const references = await vmReferences(ctx, vm);
  if ("missing" in references) {
    await report(ctx, vm, observed, { synced: ["False", "ReferenceNotFound", `The ${references.missing} does not exist.`] });
    return requeueAfter(30_000);
  }
  const { cluster, clusterObject, overcommit, allocation, diskGiB } = references;

  if (!observed || (!observed.provisioned && !observed.operation)) {
    if (!vm.status.host) return placeStep(ctx, vm, clusterObject, allocation, overcommit);
    const step = await createStep(ctx, vm, ownerKey, allocation, diskGiB);
    if (observed?.lastError) return failed(ctx, vm, observed, observed.lastError);
    return step;
  }
  if (observed.operation) {
    const label = OPERATION_LABELS[observed.operation.name] ?? observed.operation.name;
    await progress(ctx, vm, observed.operation.progress, `${label} — ${observed.operation.progress} %`);
    await report(ctx, vm, observed, {});
    return requeueAfter(observed.operation.completesAt.getTime() - ctx.now().getTime());
  }

  const hostObject = await ctx.cached<StoredObject<unknown, { connectionState?: string }>>({ kind: "Host", namespace: "", name: observed.host }, 1_000);
  const hostDown = hostObject?.status.connectionState === "notResponding";
  if (hostDown) return haRestartStep(ctx, vm, observed, cluster, clusterObject, allocation, overcommit);
  if (hostObject?.status.connectionState === "disconnected") {
    // The host's controller enqueues its VMs again when it is connected.
    await report(ctx, vm, observed, { synced: ["False", "HostDisconnected", `Host ${observed.host} is disconnected: the VM keeps running but is not managed until the host is connected.`] });
    return DONE;
  }

  const step = await actStep(ctx, vm, observed, allocation, diskGiB, overcommit);
  // A failed provider operation was just started again by actStep; look at it after a backoff.
  if (observed.lastError && (step === "again" || "again" in step)) return failed(ctx, vm, observed, observed.lastError);
  return step;
}

async function failed(ctx: ReconcileContext, vm: Vm, observed: ProviderVm, error: string): Promise<never> {
  await report(ctx, vm, observed, { synced: ["False", "ProviderOperationFailed", error] });
  throw new Error(error);
}

async function actStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm, allocation: VmAllocation, diskGiB: number, overcommit: { cpu: number; memory: number }): Promise<Step> {
  const requestedHost = vm.annotations[REQUESTED_HOST_ANNOTATION];
  const migration = vm.status.migration;
  if (migration && migration.to !== observed.host && migration.to !== requestedHost) {
    // The move was called off (or overtaken) before it happened: give back the target's booking.
    await withTransaction(ctx.pool, async (tx) => {
      if (vm.status.allocation) await releaseVm(tx, migration.to, vm.status.allocation);
      await writeStatus(tx, vm, { ...vm.status, migration: undefined });
    });
    return "again";
  }
  if (requestedHost && requestedHost !== observed.host) {
    return migrateStep(ctx, vm, observed, requestedHost, allocation, overcommit);
  }
  if (vm.status.migration && vm.status.migration.to === observed.host) {
    const figures = migrationFigures(observed);
    await withTransaction(ctx.pool, async (tx) => {
      if (vm.status.allocation) await releaseVm(tx, vm.status.migration!.from, vm.status.allocation);
      await writeStatus(tx, vm, { ...vm.status, host: observed.host, migration: undefined });
      if (figures) {
        const tasks = (await openTasks(tx, vm.uid)).filter((task) => task.operation === "VirtualMachine.migrate").map((task) => task.id);
        await finishTasks(tx, tasks, { result: figures });
      }
      await recordEvent(tx, {
        reason: "VirtualMachine.migrated",
        message: `Migrated ${vm.name} from ${vm.status.migration!.from} to ${observed.host}${figures ? `: ${figures}` : ""}`,
        object: vm,
      });
      // The source host may be waiting for this VM to leave (maintenance mode).
      await enqueue(tx, `Host//${vm.status.migration!.from}`);
    });
    // The cluster reports its VM/Host rules' violations from where its VMs run.
    await enqueueRollups(ctx.pool, [`Cluster//${vm.labels[CLUSTER_LABEL] ?? ""}`]);
    return "again";
  }

  if (restartRequested(vm)) return restartStep(ctx, vm, observed);

  const snapshotRequest = vm.spec.snapshotRequest;
  if (snapshotRequest && vm.status.snapshotRequestDone !== snapshotRequest.id) return snapshotStep(ctx, vm, observed, snapshotRequest);

  if (vm.spec.storageClass !== observed.datastore && vm.status.storageMigrationRefused?.datastore !== vm.spec.storageClass) return relocateStep(ctx, vm, observed);

  const waiting = await reconfigureStep(ctx, vm, observed, allocation, diskGiB);
  if (waiting === "again") return { again: vm };

  if (observed.powerState !== vm.spec.powerState) return powerStep(ctx, vm, observed);

  await report(ctx, vm, observed, { converged: true, allocation, ...(waiting && { extra: waiting }) });
  return DONE;
}

/**
 * Brings CPUs, memory, disk and adapters to what the spec says. Powered off, everything applies;
 * running, what can be hot-added does (custom CPUs and memory that grow, a growing disk, adapters
 * added or moved), and the rest waits for the next power-off: a class change, as in vm-operator,
 * and whatever would remove hardware. Returns "again" after asking the provider, or the condition
 * that says what waits.
 */
async function reconfigureStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm, allocation: VmAllocation, diskGiB: number): Promise<"again" | ReportOptions["extra"] | null> {
  const devices = devicesOf(vm.spec);
  if (!hardwareDiffers(vm, observed, allocation, diskGiB)) {
    // A host that cannot attach them says so, rather than leaving them silently unattached.
    const unattached = observed.devices === null && (devices.disks.length > 0 || devices.cdroms.length > 0);
    return unattached ? ["VirtualMachineDevicesSynced", "False", "NotSupported", unsupportedDevices(observed.host)] : null;
  }
  const networks = interfaceNetworks(vm.spec);
  const networksDiffer = networks !== undefined && !sameJson(networks, observed.networks ?? []);
  const off = observed.powerState === "PoweredOff";
  const grows = allocation.cpus >= observed.cpus && allocation.memoryMiB >= observed.memoryMiB;
  const resizeNow = off || (grows && vm.spec.hardware !== undefined && observed.cpuMemoryHotAdd);
  const adaptersNow = off || (networks ?? []).length >= (observed.networks ?? []).length;
  const target = {
    cpus: resizeNow ? allocation.cpus : observed.cpus,
    memoryMiB: resizeNow ? allocation.memoryMiB : observed.memoryMiB,
    diskGiB: Math.max(diskGiB, observed.diskGiB),
    ...(networksDiffer && adaptersNow && { networks }),
    ...(devicesDiffer(vm, observed) && { devices }),
  };
  if (target.cpus !== observed.cpus || target.memoryMiB !== observed.memoryMiB || target.diskGiB !== observed.diskGiB || target.networks || target.devices) {
    await ctx.provider.reconfigureVm(observed.id, target);
    return "again";
  }
  const message = !resizeNow
    ? vm.spec.hardware
      ? grows
        ? `The larger CPU and memory configuration applies the next time the VM is powered off: host ${observed.host} cannot add them to a running VM.`
        : "The smaller CPU and memory configuration applies the next time the VM is powered off."
      : `Class ${vm.spec.className} applies the next time the VM is powered off.`
    : "Removing a network adapter applies the next time the VM is powered off.";
  return ["VirtualMachineClassConfigurationSynced", "False", "PowerOffRequired", message];
}

/**
 * Storage vMotion: the disks move to the datastore spec.storageClass names, on the same host. A
 * refusal (or a move that failed, the disks left where they were) fails the Migrate task with the
 * reason; the VM's other changes go on, and the move is not asked again until the spec names
 * another datastore (the Synced condition says why its disks are elsewhere).
 */
async function relocateStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm): Promise<Step> {
  try {
    await ctx.provider.relocateVmStorage(observed.id, vm.spec.storageClass);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.retryable) throw error;
    const message = `Cannot migrate the storage of ${vm.name} to ${vm.spec.storageClass}: ${error.message}`;
    await withTransaction(ctx.pool, async (tx) => {
      const tasks = (await openTasks(tx, vm.uid)).filter((task) => task.operation === "VirtualMachine.migrate").map((task) => task.id);
      await finishTasks(tx, tasks, { error: message });
      await recordEvent(tx, { reason: "VirtualMachine.storageMigrationRefused", message, object: vm, severity: "warning" });
      const conditions = setCondition(vm.status.conditions, "Synced", "False", "StorageMigrationRefused", message, ctx.now());
      await writeStatus(tx, vm, { ...vm.status, conditions, storageMigrationRefused: { datastore: vm.spec.storageClass, reason: message } });
    });
    // Ends the pass: the next one starts from the refusal written, not from the provider's error.
    return requeueAfter(0);
  }
  return { again: vm };
}

/**
 * The VM was renamed (renameVirtualMachine): the provider's VM still answers to the old owner key
 * until it is told the new one. Only then may anything look it up by the new name.
 */
async function renameStep(ctx: ReconcileContext, vm: Vm, ownerKey: string): Promise<Step> {
  const observed = await ctx.provider.findVm(vm.annotations[RENAMED_FROM_ANNOTATION]!);
  if (observed) await ctx.provider.renameVm(observed.id, ownerKey);
  const annotations = { ...vm.annotations };
  delete annotations[RENAMED_FROM_ANNOTATION];
  await writeMetadata(ctx.pool, vm, { annotations });
  return "again";
}


/** Asks the provider for the snapshot operation (once per request id) and, when it has finished, records the outcome. */
async function snapshotStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm, request: SnapshotRequest): Promise<Step> {
  let error: string | null = null;
  if (observed.lastSnapshotRequest === request.id) {
    error = observed.lastError;
  } else {
    try {
      if (request.action === "take") await ctx.provider.takeSnapshot(observed.id, request);
      else if (request.action === "revert") await ctx.provider.revertToSnapshot(observed.id, request.snapshotId, request.id);
      else await ctx.provider.removeSnapshot(observed.id, request.action === "delete" ? request.snapshotId : null, request.id);
      return { again: vm };
    } catch (caught) {
      if (!(caught instanceof ProviderError) || caught.retryable) throw caught;
      error = caught.message;
    }
  }
  await withTransaction(ctx.pool, async (tx) => {
    if (error) {
      const tasks = (await openTasks(tx, vm.uid)).filter((task) => task.operation.includes("Snapshot")).map((task) => task.id);
      await finishTasks(tx, tasks, { error });
      await recordEvent(tx, { reason: "VirtualMachine.snapshotFailed", message: `${vm.name}: ${error}`, object: vm, severity: "warning" });
    }
    await writeStatus(tx, vm, { ...vm.status, ...observedSnapshots(observed), snapshotRequestDone: request.id });
  });
  // Ends the pass: the next one starts from the outcome written, not from the provider's error.
  return requeueAfter(0);
}

function observedSnapshots(observed: ProviderVm): Pick<VirtualMachineStatus, "snapshots" | "currentSnapshot"> {
  // A VM without snapshots carries no snapshot fields, so VMs that never had one are not rewritten.
  const snapshots = snapshotTree(observed.snapshots);
  return { snapshots: snapshots.length > 0 ? snapshots : undefined, currentSnapshot: observed.currentSnapshotId ?? undefined };
}

async function placeStep(ctx: ReconcileContext, vm: Vm, clusterObject: StoredObject<ClusterSpec>, allocation: VmAllocation, overcommit: Overcommit): Promise<Step> {
  const cluster = clusterObject.name;
  let ruledOut: Map<string, string> | undefined;
  const placed = await withTransaction(ctx.pool, async (tx) => {
    const rules = await rulePreference(tx, cluster, vmOwnerKey(vm));
    ruledOut = rules?.excludedBy;
    const host = await placeVm(tx, cluster, allocation, overcommit, rules?.exclude, rules?.prefer);
    if (!host) return null;
    const conditions = setCondition(vm.status.conditions, "PlacementReady", "True", "Placed", `Placed on ${host}.`, ctx.now());
    // Crossplane's rule: say a create is pending before asking the provider (see createStep).
    await writeStatus(tx, vm, { ...vm.status, host, allocation, conditions }, {
      annotations: { ...vm.annotations, [CREATE_PENDING_ANNOTATION]: ctx.now().toISOString() },
    });
    return host;
  });
  if (placed) return "again";
  const reason = ruledOut?.size
    ? `No host in cluster ${cluster} can take ${vm.name} within its VM/Host rules: ${ruleExclusionWords(ruledOut)}, and the other hosts lack room or cannot take VMs.`
    : await explainNoFit(ctx.pool, cluster, allocation, overcommit);
  await writeStatus(ctx.pool, vm, {
    ...vm.status,
    conditions: setCondition(
      setCondition(vm.status.conditions, "PlacementReady", "False", "InsufficientCapacity", reason, ctx.now()),
      "Ready",
      "False",
      "NotPlaced",
      reason,
      ctx.now(),
    ),
  });
  await progress(ctx, vm, 0, `Waiting for capacity: ${reason}`);
  return requeueAfter(30_000);
}

async function createStep(ctx: ReconcileContext, vm: Vm, ownerKey: string, allocation: VmAllocation, diskGiB: number): Promise<Step> {
  // Crossplane's rule: say a create is pending before asking the provider, so a crash between the
  // call and the status write is visible (placement sets it in the same transaction). The owner
  // key makes the provider's create idempotent, so the next pass can safely ask again.
  if (!vm.annotations[CREATE_PENDING_ANNOTATION]) {
    await writeMetadata(ctx.pool, vm, { annotations: { ...vm.annotations, [CREATE_PENDING_ANNOTATION]: ctx.now().toISOString() } });
    return "again";
  }
  const cloneOf = await cloneSourceId(ctx, vm);
  try {
    await ctx.provider.createVm({
      ownerKey,
      ...(cloneOf && { cloneOf }),
      host: vm.status.host!,
      datastore: vm.spec.storageClass,
      cpus: allocation.cpus,
      memoryMiB: allocation.memoryMiB,
      diskGiB,
      imageName: vm.spec.imageName,
      networks: interfaceNetworks(vm.spec),
    });
  } catch (error) {
    if (error instanceof ProviderError && !error.retryable) {
      // The chosen host is gone: give the booking back and place again.
      await withTransaction(ctx.pool, async (tx) => {
        if (vm.status.allocation) await releaseVm(tx, vm.status.host!, vm.status.allocation);
        await writeStatus(tx, vm, { ...vm.status, host: undefined, allocation: undefined });
      });
      return "again";
    }
    throw error;
  }
  return { again: vm };
}

/** A clone's source VM, by its provider id; a clone whose source is gone cannot be made. */
async function cloneSourceId(ctx: ReconcileContext, vm: Vm): Promise<string | undefined> {
  const sourceUid = vm.annotations[CLONE_OF_ANNOTATION];
  if (!sourceUid) return undefined;
  const { rows } = await ctx.pool.query<{ id: string | null }>(`SELECT status->>'uniqueID' AS id FROM resources WHERE uid = $1::uuid`, [sourceUid]);
  const id = rows[0]?.id;
  if (id) return id;
  const message = "The VM this clone was made from no longer exists; there is no disk to copy.";
  await withTransaction(ctx.pool, async (tx) => {
    await writeStatus(tx, vm, { ...vm.status, conditions: setCondition(vm.status.conditions, "Synced", "False", "CloneSourceNotFound", message, ctx.now()) });
    await finishTasks(tx, (await openTasks(tx, vm.uid)).map((task) => task.id), { error: message });
  });
  throw new TerminalError(message);
}

async function migrateStep(
  ctx: ReconcileContext,
  vm: Vm,
  observed: ProviderVm,
  target: string,
  allocation: VmAllocation,
  overcommit: { cpu: number; memory: number },
): Promise<Step> {
  if (vm.status.migration?.to !== target) {
    const booked = await withTransaction(ctx.pool, async (tx) => {
      if (!(await bookOnHost(tx, target, allocation, overcommit))) return false;
      await writeStatus(tx, vm, { ...vm.status, migration: { from: observed.host, to: target, reason: "requested" } });
      return true;
    });
    if (!booked) {
      await refuseMigration(ctx, vm, observed, `Cannot migrate ${vm.name} to ${target}: the host lacks capacity for ${allocation.cpus} vCPUs and ${allocation.memoryMiB} MiB, or cannot take VMs now.`);
    }
    return "again";
  }
  try {
    await ctx.provider.migrateVm(observed.id, target);
  } catch (error) {
    if (!(error instanceof ProviderError) || error.retryable) throw error;
    // Refused for good: the VM stays where it runs, and the next pass gives back the target's booking.
    await refuseMigration(ctx, vm, observed, `Cannot migrate ${vm.name} to ${target}: ${error.message}`);
    return "again";
  }
  return { again: vm };
}

/** A live migration's figures in words, when the provider measured them: "Moved live in 1.2 s: 91 MiB of memory sent, 17 ms downtime." */
function migrationFigures(observed: ProviderVm): string | null {
  const last = observed.lastMigration;
  if (!last || last.error !== null || last.to !== observed.host || last.totalTimeMs === null) return null;
  const memory = last.transferredBytes === null ? "" : `${Math.round(last.transferredBytes / (1024 * 1024))} MiB of memory sent`;
  const downtime = last.downtimeMs === null ? "" : `${last.downtimeMs} ms downtime`;
  const details = [memory, downtime].filter(Boolean).join(", ");
  return `Moved live in ${(last.totalTimeMs / 1000).toFixed(1)} s${details ? `: ${details}` : ""}.`;
}

/** Ends the migration request: its task fails with the reason, and the VM stays on its host. */
async function refuseMigration(ctx: ReconcileContext, vm: Vm, observed: ProviderVm, message: string): Promise<void> {
  await withTransaction(ctx.pool, async (tx) => {
    const tasks = (await openTasks(tx, vm.uid)).filter((task) => task.operation === "VirtualMachine.migrate").map((task) => task.id);
    await finishTasks(tx, tasks, { error: message });
    const annotations = { ...vm.annotations };
    delete annotations[REQUESTED_HOST_ANNOTATION];
    await writeMetadata(tx, vm, { annotations });
    await recordEvent(tx, { reason: "VirtualMachine.migrationRefused", message, object: vm, severity: "warning" });
    await enqueue(tx, `Host//${observed.host}`);
  });
}

export function restartRequested(vm: Vm): boolean {
  const requested = vm.spec.nextRestartTime;
  return !!requested && (!vm.status.lastRestartTime || Date.parse(requested) > Date.parse(vm.status.lastRestartTime));
}

/**
 * vm-operator's restart: power the running VM off as spec.restartMode says (Hard is a reset,
 * Soft a guest OS restart), then note the restart as done, so that powerStep starts it again.
 * A VM no longer meant to run is not restarted; the request is only noted.
 */
async function restartStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm): Promise<Step> {
  if (observed.powerState === "PoweredOn" && vm.spec.powerState === "PoweredOn") {
    await ctx.provider.setPowerState(observed.id, "PoweredOff", vm.spec.restartMode);
    return { again: vm };
  }
  await writeStatus(ctx.pool, vm, { ...vm.status, lastRestartTime: vm.spec.nextRestartTime });
  return "again";
}

async function powerStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm): Promise<Step> {
  const desired = vm.spec.powerState;
  if (desired === "Suspended" && observed.powerState === "PoweredOff") {
    await report(ctx, vm, observed, { synced: ["False", "InvalidPowerTransition", "A powered-off VM cannot be suspended."] });
    throw new TerminalError("A powered-off VM cannot be suspended.");
  }
  const mode = desired === "PoweredOff" ? vm.spec.powerOffMode : desired === "Suspended" ? vm.spec.suspendMode : "Hard";
  await ctx.provider.setPowerState(observed.id, desired, mode);
  if (isDriftRepair(vm, observed)) {
    await recordEvent(ctx.pool, {
      reason: "VirtualMachine.driftRepaired",
      message: `${vm.name} was powered off outside Skylight; powering it on again as its desired state says`,
      object: vm,
      severity: "warning",
    });
  }
  return { again: vm };
}

async function haRestartStep(
  ctx: ReconcileContext,
  vm: Vm,
  observed: ProviderVm,
  cluster: string,
  clusterObject: StoredObject<ClusterSpec>,
  allocation: VmAllocation,
  overcommit: { cpu: number; memory: number },
): Promise<Step> {
  if (vm.spec.powerState !== "PoweredOn" || !clusterObject.spec.ha.enabled) {
    await report(ctx, vm, observed, { synced: ["False", "HostNotResponding", `Host ${observed.host} is not responding.`] });
    return requeueAfter(5_000);
  }
  const failedHost = observed.host;
  // Read afresh: an override saved a moment ago counts, though the cluster is cached for other steps.
  const overrides = (await getObject<ClusterSpec, unknown>(ctx.pool, { kind: "Cluster", namespace: "", name: cluster }))?.spec.vmOverrides;
  const priority = haRestartPriority(overrides, vmOwnerKey(vm));
  if (priority === "disabled") {
    const message = `Host ${failedHost} is not responding; vSphere HA does not restart ${vm.name}: its VM override sets restart priority Disabled.`;
    await report(ctx, vm, observed, { synced: ["False", "HARestartDisabled", message] });
    return requeueAfter(30_000);
  }
  if (vm.status.host === failedHost) {
    const first = await restartsBefore(ctx.pool, overrides, vm, failedHost, priority);
    if (first.length > 0) {
      await report(ctx, vm, observed, { synced: ["False", "HARestartWaiting", `vSphere HA restarts higher-priority VMs first: ${first.join(", ")}.`] });
      return requeueAfter(1_000);
    }
  }
  // A host booked on an earlier pass (whose restart call did not go through) is used again while it
  // responds; one that has failed since is given up, and the VM placed anew.
  let alreadyBooked = vm.status.host && vm.status.host !== failedHost ? vm.status.host : null;
  let abandoned: string | null = null;
  if (alreadyBooked) {
    const booked = await ctx.cached<StoredObject<unknown, { connectionState?: string }>>({ kind: "Host", namespace: "", name: alreadyBooked }, 1_000);
    if (booked && booked.status.connectionState !== "connected") [abandoned, alreadyBooked] = [alreadyBooked, null];
  }
  const excluded = abandoned ? [failedHost, abandoned] : [failedHost];
  // Must rules (VM–VM rules among them) are kept: a VM no host can take without breaking one is not restarted.
  let ruledOut: Map<string, string> | undefined;
  const target =
    alreadyBooked ??
    (await withTransaction(ctx.pool, async (tx) => {
      const rules = await rulePreference(tx, cluster, vmOwnerKey(vm), excluded);
      ruledOut = rules?.excludedBy;
      const host = await placeVm(tx, cluster, allocation, overcommit, rules?.exclude ?? excluded, rules?.prefer);
      if (!host) return null;
      // The booking to give back: the abandoned host's, or (placed for the first time) the failed host's.
      if (vm.status.allocation) await releaseVm(tx, abandoned ?? failedHost, vm.status.allocation);
      if (vm.status.migration && vm.status.allocation) await releaseVm(tx, vm.status.migration.to, vm.status.allocation);
      const annotations = { ...vm.annotations };
      delete annotations[REQUESTED_HOST_ANNOTATION];
      const current = await writeMetadata(tx, vm, { annotations });
      await writeStatus(tx, current, { ...vm.status, host, allocation, migration: undefined });
      return host;
    }));
  if (!target) {
    const reason = ruledOut?.size
      ? `No host in cluster ${cluster} can take it without breaking a must rule (${ruleExclusionWords(ruledOut)}), and the other hosts lack room or cannot take VMs.`
      : await explainNoFit(ctx.pool, cluster, allocation, overcommit, excluded);
    await recordEvent(ctx.pool, { reason: "HA.restartFailed", message: `vSphere HA could not restart ${vm.name}: ${reason}`, object: vm, severity: "error" });
    await report(ctx, vm, observed, { synced: ["False", "HARestartFailed", reason] });
    return requeueAfter(30_000);
  }
  await ctx.provider.restartVmOnHost(observed.id, target);
  await withTransaction(ctx.pool, async (tx) => {
    const taskId = await createTask(tx, {
      operation: "HA.restartVirtualMachine",
      description: `vSphere HA restarted virtual machine ${vm.name} on ${target}`,
      target: vm,
      initiator: "vSphere HA",
      state: "success",
    });
    await recordEvent(tx, {
      reason: "HA.restartedVirtualMachine",
      message: `vSphere HA restarted ${vm.namespace}/${vm.name} on ${target} after host ${failedHost} stopped responding`,
      object: vm,
      severity: "warning",
      taskId,
    });
  });
  await enqueueRollups(ctx.pool, [`Cluster//${cluster}`]);
  return "again";
}

async function deleteStep(ctx: ReconcileContext, vm: Vm, observed: ProviderVm | null): Promise<Step> {
  if (observed) {
    if (observed.operation) {
      await progress(ctx, vm, observed.operation.progress, `${OPERATION_LABELS[observed.operation.name] ?? observed.operation.name} — ${observed.operation.progress} %`);
      return requeueAfter(observed.operation.completesAt.getTime() - ctx.now().getTime());
    }
    if (observed.powerState !== "PoweredOff") {
      await ctx.provider.setPowerState(observed.id, "PoweredOff", "Hard");
      return { again: vm };
    }
    await ctx.provider.deleteVm(observed.id);
    return { again: vm };
  }
  // The provider no longer has it: verified, so the finalizer can go and the object with it.
  await withTransaction(ctx.pool, async (tx) => {
    if (vm.status.host && vm.status.allocation) await releaseVm(tx, vm.status.host, vm.status.allocation);
    const stripped = await writeMetadata(tx, vm, { finalizers: vm.finalizers.filter((finalizer) => finalizer !== VM_FINALIZER) });
    await finishTasks(tx, (await openTasks(tx, vm.uid)).map((task) => task.id));
    await recordEvent(tx, { reason: "VirtualMachine.deleted", message: `Deleted ${vm.namespace}/${vm.name} from disk`, object: vm });
    await removeObject(tx, stripped);
  });
  await enqueueRollups(ctx.pool, [`Namespace//${vm.namespace}`, `Cluster//${vm.labels[CLUSTER_LABEL] ?? ""}`]);
  return DONE;
}

async function progress(ctx: ReconcileContext, vm: Vm, percent: number, message: string): Promise<void> {
  const tasks = await openTasks(ctx.pool, vm.uid);
  await progressTasks(ctx.pool, tasks.map((task) => task.id), percent, message);
}

/** Conditions that say what of the spec waits (a power-off) or cannot be done (added devices on an agent host). */
const WAITING_CONDITIONS = ["VirtualMachineClassConfigurationSynced", "VirtualMachineDevicesSynced"];

export interface ReportOptions {
  converged?: boolean;
  allocation?: VmAllocation;
  synced?: [Condition["status"], string, string];
  extra?: [string, Condition["status"], string, string];
}

export interface Report {
  status: VirtualMachineStatus;
  /** The annotations without the pending create's, once the VM has converged; absent when unchanged. */
  annotations?: Record<string, string>;
  changed: boolean;
}

/** The status a report writes from what was observed (pure: the batch controller writes many at once). */
export function reportedStatus(vm: Vm, observed: ProviderVm | null, options: ReportOptions, now: Date): Report {
  let conditions = vm.status.conditions ?? [];
  const created = observed && observed.operation?.name !== "create";
  conditions = setCondition(conditions, "VirtualMachineCreated", created ? "True" : "False", created ? "Created" : "Creating", "", now);
  if (vm.status.host) conditions = setCondition(conditions, "PlacementReady", "True", "Placed", `Placed on ${vm.status.host}.`, now);
  if (options.synced) conditions = setCondition(conditions, "Synced", ...options.synced, now);
  if (options.extra) conditions = setCondition(conditions, ...options.extra, now);
  // A refused move of its disks stands while the spec still names that datastore and the disks are elsewhere.
  const storageRefused = vm.status.storageMigrationRefused?.datastore === vm.spec.storageClass && observed?.datastore !== vm.spec.storageClass ? vm.status.storageMigrationRefused : undefined;
  if (options.converged) {
    conditions = storageRefused
      ? setCondition(conditions, "Synced", "False", "StorageMigrationRefused", storageRefused.reason, now)
      : setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", now);
    conditions = setCondition(conditions, "Ready", "True", "Ready", "", now);
    conditions = conditions.filter((condition) => !WAITING_CONDITIONS.includes(condition.type) || condition.type === options.extra?.[0]);
  } else if (!options.synced) {
    conditions = setCondition(conditions, "Ready", "False", observed?.operation ? "OperationInProgress" : "NotReady", "", now);
  }
  const status: VirtualMachineStatus = {
    ...vm.status,
    powerState: observed?.powerState ?? vm.status.powerState,
    host: observed?.host ?? vm.status.host,
    uniqueID: observed?.id ?? vm.status.uniqueID,
    // The size the host books: the new one once the VM has it (a deferred class keeps the old).
    allocation: options.converged && !options.extra && options.allocation ? options.allocation : vm.status.allocation,
    // What the guest reports now: a powered-off guest has no address, whatever it had before.
    network: observed ? (observed.ipAddress ? { primaryIP4: observed.ipAddress } : undefined) : vm.status.network,
    hardware: observed
      ? { cpus: observed.cpus, memoryMiB: observed.memoryMiB, diskGiB: observed.diskGiB, ...(observed.networks && { networks: observed.networks }) }
      : vm.status.hardware,
    ...(observed && observedSnapshots(observed)),
    ...(observed ? deviceStatus(vm.spec, observed.devices, observed.host) : { volumes: vm.status.volumes, cdrom: vm.status.cdrom }),
    conditions,
    observedGeneration: options.converged ? vm.generation : vm.status.observedGeneration,
    storageMigrationRefused: storageRefused,
  };
  let annotations: Record<string, string> | undefined;
  if (options.converged && vm.annotations[CREATE_PENDING_ANNOTATION]) {
    annotations = { ...vm.annotations };
    delete annotations[CREATE_PENDING_ANNOTATION];
  }
  return { status, annotations, changed: !sameJson(status, vm.status) || annotations !== undefined };
}

/** The event a report records when the VM's power state changed ("db-01 is powered on on esx-03"). */
export function powerStateEvent(vm: Vm, status: VirtualMachineStatus): NewEvent | null {
  if (vm.status.powerState === status.powerState || !status.powerState) return null;
  const words = status.powerState === "PoweredOn" ? "powered on" : status.powerState === "PoweredOff" ? "powered off" : "suspended";
  return { reason: `VirtualMachine.${status.powerState}`, message: `${vm.name} is ${words}${status.host ? ` on ${status.host}` : ""}`, object: vm };
}

/** The roll-ups (namespace, cluster) a status change touches, when it changed what they count. */
export function rollupKeys(vm: Vm, status: VirtualMachineStatus): string[] {
  const counted = vm.status.powerState !== status.powerState || vm.status.host !== status.host || !sameJson(vm.status.allocation ?? null, status.allocation ?? null);
  return counted ? [`Namespace//${vm.namespace}`, `Cluster//${vm.labels[CLUSTER_LABEL] ?? ""}`] : [];
}

/** Writes status from what was observed, only when it changed; finishes tasks once converged. */
async function report(ctx: ReconcileContext, vm: Vm, observed: ProviderVm | null, options: ReportOptions): Promise<void> {
  const { status, annotations, changed } = reportedStatus(vm, observed, options, ctx.now());
  if (!changed) {
    if (options.converged) await finishReachedTasks(ctx.pool, vm.uid, vm.generation);
    return;
  }
  await withTransaction(ctx.pool, async (tx) => {
    await writeStatus(tx, vm, status, { annotations });
    if (options.converged) await finishReachedTasks(tx, vm.uid, vm.generation);
    const event = powerStateEvent(vm, status);
    if (event) await recordEvent(tx, event);
  });
  const rollups = rollupKeys(vm, status);
  if (rollups.length > 0) await enqueueRollups(ctx.pool, rollups);
}

export const vmKeyString = (vm: Pick<StoredObject, "kind" | "namespace" | "name">) => objectKeyString(vm);
