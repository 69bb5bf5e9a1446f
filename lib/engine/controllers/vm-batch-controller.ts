// Many VMs reconciled at once along the path nearly every VM takes: placed, created, powered on,
// reported Ready. Each step is one statement (or one provider call) for the whole batch, where the
// VM controller spends several per VM. A VM anywhere off that path (being deleted, renamed,
// migrated, restarted after a host failure, waiting for an operation, failed, …) is handed to
// reconcileVirtualMachine alone, which stays the one definition of what the controller does;
// the batch only takes the steps that controller would take, in the same order.
import { finishReachedTasksOfMany, recordEvents } from "@/lib/engine/activity";
import { setCondition } from "@/lib/engine/conditions";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import {
  hardwareDiffers,
  isDriftRepair,
  powerStateEvent,
  reconcileVirtualMachine,
  reportedStatus,
  restartRequested,
  rollupKeys,
  vmOwnerKey,
  vmReferences,
  type VirtualMachineStatus,
  type Vm,
} from "@/lib/engine/controllers/vm-controller";
import { interfaceNetworks } from "@/lib/engine/controllers/vm-hardware";
import { withTransaction } from "@/lib/db/pool";
import { getObjects, objectKeyString, parseObjectKey, writeStatuses, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { batchRulePreference } from "@/lib/engine/drs-rule-decisions";
import { bookMany, placeMany, type Overcommit, type VmAllocation } from "@/lib/engine/placement";
import { enqueueRollups } from "@/lib/engine/reconcile-queue";
import type { VirtualMachineSpec } from "@/lib/engine/schemas";
import type { ProviderVm } from "@/lib/provider/provider";
import {
  CLONE_OF_ANNOTATION,
  CREATE_PENDING_ANNOTATION,
  RENAMED_FROM_ANNOTATION,
  REQUESTED_HOST_ANNOTATION,
  VM_FINALIZER,
} from "@/lib/vocabulary/engine-owned-metadata";

/** Each key's outcome, as the engine completes it: a result, or the error its reconcile failed with. */
export type BatchOutcome = { result: ReconcileResult } | { error: unknown };

/** Rounds of steps in one pass, as reconcileVirtualMachine takes up to 8 steps. */
const ROUNDS = 6;
/** VMs handed to reconcileVirtualMachine run this many at a time. */
const ALONE_AT_ONCE = 8;

interface Candidate {
  vm: Vm;
  observed: ProviderVm | null;
  cluster: string;
  overcommit: Overcommit;
  allocation: VmAllocation;
  diskGiB: number;
}

type Stage = "place" | "create" | "powerOn" | "report";

export async function reconcileVirtualMachineBatch(ctx: ReconcileContext, keys: ObjectKey[]): Promise<Map<string, BatchOutcome>> {
  const outcomes = new Map<string, BatchOutcome>();
  const alone = new Set<string>();
  let pending = keys.map(objectKeyString);
  let known = new Map<string, Vm>();
  for (let round = 0; round < ROUNDS && pending.length > 0; round++) {
    const unread = pending.filter((key) => !known.has(key)).map(parseObjectKey);
    for (const vm of await getObjects<VirtualMachineSpec, VirtualMachineStatus>(ctx.pool, unread)) known.set(objectKeyString(vm), vm);
    const vms: Vm[] = [];
    for (const key of pending) {
      const vm = known.get(key);
      if (vm) vms.push(vm);
      else outcomes.set(key, { result: DONE }); // gone: nothing to reconcile
    }
    const observed = await ctx.provider.findVms(vms.map(vmOwnerKey));
    const stages = new Map<Stage, Candidate[]>();
    for (const vm of vms) {
      const candidate = await candidateFor(ctx, vm, observed.get(vmOwnerKey(vm)) ?? null);
      const stage = candidate && (await stageOf(ctx, candidate));
      if (!candidate || !stage) alone.add(objectKeyString(vm));
      else stages.set(stage, [...(stages.get(stage) ?? []), candidate]);
    }
    // What a step wrote is known as written; what it asked of the provider is observed again next round.
    const next = new Map<string, Vm>();
    const keep = (vm: Vm) => next.set(objectKeyString(vm), vm);
    const off = (candidate: Candidate) => alone.add(objectKeyString(candidate.vm));
    await placeStep(ctx, stages.get("place") ?? [], keep, off);
    await createStep(ctx, stages.get("create") ?? [], keep, off);
    await powerOnStep(ctx, stages.get("powerOn") ?? [], keep, off);
    await reportStep(ctx, stages.get("report") ?? [], (vm) => outcomes.set(objectKeyString(vm), { result: DONE }), off);
    pending = pending.filter((key) => !outcomes.has(key) && !alone.has(key));
    known = next;
  }
  for (const key of pending) outcomes.set(key, { result: requeueAfter(0) });
  await reconcileAlone(ctx, [...alone], outcomes);
  return outcomes;
}


async function reconcileAlone(ctx: ReconcileContext, keys: string[], outcomes: Map<string, BatchOutcome>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < keys.length) {
      const key = keys[next++]!;
      outcomes.set(
        key,
        await reconcileVirtualMachine(ctx, parseObjectKey(key)).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(ALONE_AT_ONCE, keys.length) }, worker));
}

/** The VM with what the common path needs to know, or null when it is off that path. */
async function candidateFor(ctx: ReconcileContext, vm: Vm, observed: ProviderVm | null): Promise<Candidate | null> {
  const snapshotPending = vm.spec.snapshotRequest && vm.status.snapshotRequestDone !== vm.spec.snapshotRequest.id;
  if (
    vm.deletionTimestamp ||
    !vm.finalizers.includes(VM_FINALIZER) ||
    vm.annotations[RENAMED_FROM_ANNOTATION] ||
    vm.annotations[REQUESTED_HOST_ANNOTATION] ||
    vm.annotations[CLONE_OF_ANNOTATION] ||
    vm.status.migration ||
    snapshotPending ||
    restartRequested(vm) ||
    (observed && (observed.operation || observed.lastError || !observed.provisioned))
  ) {
    return null;
  }
  const references = await vmReferences(ctx, vm);
  return "missing" in references ? null : { vm, observed, ...references };
}

/** The step the VM controller would take next, when it is one the batch takes. */
async function stageOf(ctx: ReconcileContext, { vm, observed, allocation, diskGiB }: Candidate): Promise<Stage | null> {
  if (!observed) {
    if (!vm.status.host) return "place";
    return vm.annotations[CREATE_PENDING_ANNOTATION] ? "create" : null;
  }
  const host = await ctx.cached<StoredObject<unknown, { connectionState?: string }>>({ kind: "Host", namespace: "", name: observed.host }, 1_000);
  if (host?.status.connectionState !== "connected") return null;
  if (vm.spec.storageClass !== observed.datastore || hardwareDiffers(vm, observed, allocation, diskGiB)) return null;
  if (observed.powerState === vm.spec.powerState) return "report";
  // A VM powered off behind Skylight's back is powered on again with an event: the controller's to say.
  return vm.spec.powerState === "PoweredOn" && observed.powerState === "PoweredOff" && !isDriftRepair(vm, observed) ? "powerOn" : null;
}

/** Places each cluster's VMs in one transaction: hosts chosen under the cluster's lock, statuses and bookings written together. */
async function placeStep(ctx: ReconcileContext, candidates: Candidate[], keep: (vm: Vm) => void, off: (candidate: Candidate) => void) {
  const byCluster = new Map<string, Candidate[]>();
  for (const candidate of candidates) byCluster.set(candidate.cluster, [...(byCluster.get(candidate.cluster) ?? []), candidate]);
  for (const [cluster, group] of byCluster) {
    const now = ctx.now();
    await withTransaction(ctx.pool, async (tx) => {
      const rules = await batchRulePreference(tx, cluster, group.map(({ vm }) => ({ key: vmOwnerKey(vm), running: vm.spec.powerState === "PoweredOn" })));
      const hosts = await placeMany(tx, cluster, group[0]!.overcommit, group.map((candidate) => candidate.allocation), rules);
      const placed = group.flatMap((candidate, index) => (hosts[index] ? [{ candidate, host: hosts[index] }] : []));
      // Nothing fits: the VM controller says why, and waits for capacity.
      group.forEach((candidate, index) => hosts[index] || off(candidate));
      const written = await writeStatuses<VirtualMachineSpec, VirtualMachineStatus>(
        tx,
        placed.map(({ candidate: { vm, allocation }, host }) => ({
          current: vm,
          status: { ...vm.status, host, allocation, conditions: setCondition(vm.status.conditions, "PlacementReady", "True", "Placed", `Placed on ${host}.`, now) },
          // Crossplane's rule, as the VM controller's placement: a create is pending before the provider is asked.
          annotations: { ...vm.annotations, [CREATE_PENDING_ANNOTATION]: now.toISOString() },
        })),
      );
      const writtenUids = new Set(written.map((vm) => vm.uid));
      await bookMany(
        tx,
        placed.filter(({ candidate }) => writtenUids.has(candidate.vm.uid)).map(({ candidate, host }) => ({ host, allocation: candidate.allocation })),
      );
      written.forEach(keep);
      // Changed since it was read: the VM controller reads it again.
      placed.forEach(({ candidate }) => writtenUids.has(candidate.vm.uid) || off(candidate));
    });
  }
}

async function createStep(ctx: ReconcileContext, candidates: Candidate[], keep: (vm: Vm) => void, off: (candidate: Candidate) => void) {
  if (candidates.length === 0) return;
  const results = await ctx.provider.createVms(
    candidates.map(({ vm, allocation, diskGiB }) => ({
      ownerKey: vmOwnerKey(vm),
      host: vm.status.host!,
      datastore: vm.spec.storageClass,
      cpus: allocation.cpus,
      memoryMiB: allocation.memoryMiB,
      diskGiB,
      imageName: vm.spec.imageName,
      networks: interfaceNetworks(vm.spec),
    })),
  );
  // A refusal (its host gone, say) is the VM controller's to handle: it places the VM again.
  candidates.forEach((candidate, index) => (results[index] instanceof Error ? off(candidate) : keep(candidate.vm)));
}

async function powerOnStep(ctx: ReconcileContext, candidates: Candidate[], keep: (vm: Vm) => void, off: (candidate: Candidate) => void) {
  if (candidates.length === 0) return;
  const errors = await ctx.provider.setPowerStates(candidates.map(({ observed }) => ({ vmId: observed!.id, state: "PoweredOn", mode: "Hard" })));
  candidates.forEach((candidate, index) => (errors[index] ? off(candidate) : keep(candidate.vm)));
}

/** Reports converged VMs: their statuses, finished tasks and power events in one transaction. */
async function reportStep(ctx: ReconcileContext, candidates: Candidate[], done: (vm: Vm) => void, off: (candidate: Candidate) => void) {
  if (candidates.length === 0) return;
  const now = ctx.now();
  const reports = candidates.map((candidate) => ({
    candidate,
    ...reportedStatus(candidate.vm, candidate.observed, { converged: true, allocation: candidate.allocation }, now),
  }));
  const changed = reports.filter((report) => report.changed);
  const rollups = new Set<string>();
  await withTransaction(ctx.pool, async (tx) => {
    const written = await writeStatuses<VirtualMachineSpec, VirtualMachineStatus>(
      tx,
      changed.map(({ candidate, status, annotations }) => ({ current: candidate.vm, status, annotations })),
    );
    const writtenUids = new Set(written.map((vm) => vm.uid));
    const reported = reports.filter((report) => !report.changed || writtenUids.has(report.candidate.vm.uid));
    await finishReachedTasksOfMany(tx, reported.map(({ candidate: { vm } }) => ({ uid: vm.uid, generation: vm.generation })));
    const changedAndWritten = changed.filter((report) => writtenUids.has(report.candidate.vm.uid));
    await recordEvents(tx, changedAndWritten.flatMap(({ candidate, status }) => powerStateEvent(candidate.vm, status) ?? []));
    for (const { candidate, status } of changedAndWritten) for (const key of rollupKeys(candidate.vm, status)) rollups.add(key);
    reported.forEach(({ candidate }) => done(candidate.vm));
    changed.forEach((report) => writtenUids.has(report.candidate.vm.uid) || off(report.candidate));
  });
  if (rollups.size > 0) await enqueueRollups(ctx.pool, [...rollups]);
}
