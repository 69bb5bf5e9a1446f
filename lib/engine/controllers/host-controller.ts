// The Host controller: connection state from the provider's heartbeats (not responding after the
// HA grace period) or from the operator's Disconnect, the host's capacity for placement, and
// maintenance mode: entering asks every
// powered-on VM to move away, or stops with the reason when the rest of the cluster cannot take
// them, and reports inMaintenanceMode once the host is empty.
import { withTransaction, type Db } from "@/lib/db/pool";
import { finishTasks, openTasks, progressTasks, recordEvent } from "@/lib/engine/activity";
import { setCondition, type Condition } from "@/lib/engine/conditions";
import { syncHostNode } from "@/lib/engine/controllers/host-node";
import { allocationFor, type ClassSpec } from "@/lib/engine/controllers/vm-hardware";
import { DONE, requeueAfter, type ReconcileContext, type ReconcileResult } from "@/lib/engine/controllers/reconcile-context";
import { getObject, listObjects, objectKeyString, writeMetadata, writeStatus, type ObjectKey, type StoredObject } from "@/lib/engine/object-store";
import { REQUESTED_HOST_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import { upsertHostCapacity } from "@/lib/engine/placement";
import { ruleExclusionWords, rulePreference } from "@/lib/engine/drs-rule-decisions";
import { drsAutomationLevel } from "@/lib/engine/vm-overrides";
import { enqueue, enqueueRollups } from "@/lib/engine/reconcile-queue";
import type { ClusterSpec, HostSpec, VirtualMachineSpec } from "@/lib/engine/schemas";
import type { HostConnectionState, ProviderHost } from "@/lib/provider/provider";
import { vmOwnerKey, type VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { sameJson } from "@/lib/engine/same-json";

export interface HostStatus {
  connectionState?: HostConnectionState;
  managementIP?: string;
  powerState?: "poweredOn" | "unknown";
  inMaintenanceMode?: boolean;
  maintenance?: { state: "Entering" | "Blocked"; total: number; remaining: number; message: string } | null;
  hardware?: { sockets: number; coresPerSocket: number; cpuMhz: number; memoryMiB: number };
  version?: string;
  lastHeartbeat?: string;
  conditions?: Condition[];
  observedGeneration?: number;
}

type Host = StoredObject<HostSpec, HostStatus>;

/** A real host's Lease expired, or a simulated host missed heartbeats for longer than the HA grace period. */
export function heartbeatStopped(observed: ProviderHost, now: Date, haGraceMs: number): boolean {
  if (observed.heartbeatExpiresAt) return now.getTime() > observed.heartbeatExpiresAt.getTime();
  return now.getTime() - observed.lastHeartbeat.getTime() > haGraceMs;
}

export async function reconcileHost(ctx: ReconcileContext, key: ObjectKey): Promise<ReconcileResult> {
  const host = await getObject<HostSpec, HostStatus>(ctx.pool, key);
  if (!host) return DONE;
  const observed = await ctx.provider.findHost(host.name);
  const now = ctx.now();
  // A disconnected host is not monitored: it is neither schedulable nor a failure for vSphere HA.
  const connectionState: HostConnectionState =
    !observed || host.spec.disconnected ? "disconnected" : heartbeatStopped(observed, now, ctx.config.haGraceMs) ? "notResponding" : "connected";

  if (observed) {
    await upsertHostCapacity(ctx.pool, {
      name: host.name,
      cluster: host.spec.cluster,
      cpuCores: observed.cpuCores,
      cpuMhz: observed.cpuMhz,
      memoryMiB: observed.memoryMiB,
      schedulable: connectionState === "connected" && !host.spec.maintenanceMode,
    });
  }

  let status: HostStatus = {
    ...host.status,
    connectionState,
    powerState: connectionState === "connected" ? "poweredOn" : "unknown",
    hardware: observed
      ? { sockets: 2, coresPerSocket: Math.max(1, Math.round(observed.cpuCores / 2)), cpuMhz: observed.cpuMhz, memoryMiB: observed.memoryMiB }
      : host.status.hardware,
    version: observed?.version ?? host.status.version,
    ...(observed?.managementIP && { managementIP: observed.managementIP }),
    lastHeartbeat: observed?.lastHeartbeat.toISOString() ?? host.status.lastHeartbeat,
  };
  let result: ReconcileResult = DONE;
  let finished: { error?: string } | null = null;

  if (host.spec.maintenanceMode && !host.status.inMaintenanceMode) {
    const evacuation = await evacuate(ctx, host, observed);
    status = { ...status, maintenance: evacuation.maintenance, inMaintenanceMode: evacuation.done };
    if (evacuation.done) {
      status.maintenance = null;
      finished = {};
    } else {
      if (evacuation.maintenance?.state === "Blocked" && host.status.maintenance?.state !== "Blocked") finished = { error: evacuation.maintenance.message };
      result = requeueAfter(evacuation.maintenance?.state === "Blocked" ? 30_000 : 1_000);
    }
  } else if (!host.spec.maintenanceMode && (host.status.inMaintenanceMode || host.status.maintenance)) {
    status = { ...status, inMaintenanceMode: false, maintenance: null };
    finished = {};
  } else if (host.spec.maintenanceMode === Boolean(host.status.inMaintenanceMode)) {
    finished = {};
  }
  const disconnectedByOperator = host.spec.disconnected === true && Boolean(observed);
  const wasDisconnectedByOperator = host.status.connectionState === "disconnected" && Boolean(observed) && !host.spec.disconnected;

  const ready = connectionState === "connected";
  let conditions = setCondition(status.conditions, "Ready", ready ? "True" : "False", ready ? "Connected" : connectionState === "notResponding" ? "NotResponding" : "Disconnected", "", now);
  conditions = setCondition(conditions, "Synced", "True", "ReconcileSuccess", "", now);
  status = { ...status, conditions, observedGeneration: host.generation };

  if (observed) {
    await syncHostNode(ctx.pool, {
      name: host.name,
      cluster: host.spec.cluster,
      observed,
      ready,
      schedulable: ready && !host.spec.maintenanceMode,
      managementIP: host.status.managementIP,
      now,
    });
  }

  const becameUnresponsive = host.status.connectionState !== "notResponding" && connectionState === "notResponding";
  const changed = !sameJson({ ...status, lastHeartbeat: undefined }, { ...host.status, lastHeartbeat: undefined });
  const tasks = finished ? await openTasks(ctx.pool, host.uid) : [];
  if (changed || tasks.length > 0) {
    await withTransaction(ctx.pool, async (tx) => {
      if (changed) await writeStatus(tx, host, status);
      if (finished) await finishTasks(tx, tasks.map((task) => task.id), finished);
      if (becameUnresponsive) {
        await recordEvent(tx, { reason: "Host.notResponding", message: `Host ${host.name} is not responding`, object: host, severity: "error" });
        // Its VMs' controllers restart them elsewhere when the cluster has vSphere HA on.
        await enqueueVmsOn(tx, host.name);
      }
      if (host.status.connectionState === "notResponding" && connectionState === "connected") {
        await recordEvent(tx, { reason: "Host.connected", message: `Host ${host.name} is responding again`, object: host });
      }
      if (host.status.connectionState !== "disconnected" && disconnectedByOperator) {
        await recordEvent(tx, { reason: "Host.disconnected", message: `Host ${host.name} is disconnected: its VMs keep running, unmanaged`, object: host, severity: "warning" });
      }
      if (wasDisconnectedByOperator && connectionState === "connected") {
        await recordEvent(tx, { reason: "Host.connected", message: `Host ${host.name} is connected`, object: host });
      }
      if (host.status.connectionState !== connectionState && (disconnectedByOperator || wasDisconnectedByOperator)) {
        // Its VMs report whether they are managed.
        await enqueueVmsOn(tx, host.name);
      }
      if (host.status.inMaintenanceMode !== status.inMaintenanceMode) {
        await recordEvent(tx, {
          reason: status.inMaintenanceMode ? "Host.enteredMaintenanceMode" : "Host.exitedMaintenanceMode",
          message: `Host ${host.name} ${status.inMaintenanceMode ? "entered" : "exited"} maintenance mode`,
          object: host,
        });
      }
      if (connectionState === "connected" && !host.spec.maintenanceMode) {
        // VMs that found no room may fit now.
        const waiting = await tx.query<{ namespace: string; name: string }>(
          `SELECT namespace, name FROM resources
            WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = $1 AND status->>'host' IS NULL AND deletion_timestamp IS NULL`,
          [host.spec.cluster],
        );
        await enqueue(tx, waiting.rows.map((vm) => `VirtualMachine/${vm.namespace}/${vm.name}`));
      }
    });
    await enqueueRollups(ctx.pool, [`Cluster//${host.spec.cluster}`]);
  }
  return result;
}

async function enqueueVmsOn(tx: Db, hostName: string): Promise<void> {
  const vms = await tx.query<{ namespace: string; name: string }>(`SELECT namespace, name FROM resources WHERE kind = 'VirtualMachine' AND status->>'host' = $1`, [hostName]);
  await enqueue(tx, vms.rows.map((vm) => `VirtualMachine/${vm.namespace}/${vm.name}`));
}

interface Evacuation {
  done: boolean;
  maintenance: HostStatus["maintenance"];
}

async function evacuate(ctx: ReconcileContext, host: Host, observed: ProviderHost | null): Promise<Evacuation> {
  // Powered-off and suspended VMs stay registered on the host unless the operator asked to move them too.
  const everyVm = host.spec.evacuatePoweredOffVms === true;
  const vms = await listObjects<VirtualMachineSpec, VirtualMachineStatus>(ctx.pool, "VirtualMachine", `status->>'host' = $2${everyVm ? "" : ` AND status->>'powerState' = 'PoweredOn'`}`, [host.name]);
  const noun = everyVm ? "VMs" : "powered-on VMs";
  const total = Math.max(host.status.maintenance?.total ?? 0, vms.length);
  if (vms.length === 0) return { done: true, maintenance: null };
  const running = vms.filter((vm) => vm.status.powerState === "PoweredOn").length;
  if (observed?.liveMigration === false && running > 0) {
    const message = `Cannot enter maintenance mode: ${host.name} cannot move its ${running} powered-on VMs live; shut them down or power them off first.`;
    return { done: false, maintenance: { state: "Blocked", total, remaining: vms.length, message } };
  }

  const cluster = await ctx.cached<StoredObject<ClusterSpec>>({ kind: "Cluster", namespace: "", name: host.spec.cluster });
  const overcommit = cluster?.spec.overcommit ?? { cpu: 4, memory: 1.25 };
  const needed = { cpus: 0, memoryMiB: 0 };
  for (const vm of vms) {
    const vmClass = await ctx.cached<StoredObject<ClassSpec>>({ kind: "VirtualMachineClass", namespace: "", name: vm.spec.className });
    if (!vmClass) continue;
    const allocation = allocationFor(vmClass, vm.spec.hardware);
    needed.cpus += allocation.cpus;
    needed.memoryMiB += allocation.memoryMiB;
  }
  const { rows } = await ctx.pool.query<{ hosts: number; free_vcpus: number; free_memory: number }>(
    `SELECT count(*)::int AS hosts,
            COALESCE(sum(GREATEST(0, floor(cpu_cores * $3::float8 - vcpus))), 0)::int AS free_vcpus,
            COALESCE(sum(GREATEST(0, floor(memory_mib * $4::float8 - memory_allocated_mib))), 0)::int AS free_memory
       FROM host_allocations WHERE cluster = $1 AND schedulable AND host <> $2`,
    [host.spec.cluster, host.name, overcommit.cpu, overcommit.memory],
  );
  const capacity = rows[0]!;
  const pending = vms.filter((vm) => !vm.status.migration && (vm.annotations[REQUESTED_HOST_ANNOTATION] ?? host.name) === host.name);
  const pendingNeed = { cpus: 0, memoryMiB: 0 };
  for (const vm of pending) {
    pendingNeed.cpus += vm.status.allocation?.cpus ?? 0;
    pendingNeed.memoryMiB += vm.status.allocation?.memoryMiB ?? 0;
  }
  if (capacity.hosts === 0 || capacity.free_vcpus < pendingNeed.cpus || capacity.free_memory < pendingNeed.memoryMiB) {
    const message =
      capacity.hosts === 0
        ? `Cannot enter maintenance mode: no other host in ${host.spec.cluster} can take its ${vms.length} ${noun}.`
        : `Cannot enter maintenance mode: the other hosts in ${host.spec.cluster} lack room for its ${vms.length} ${noun} (need ${needed.cpus} vCPUs and ${needed.memoryMiB} MiB; free: ${capacity.free_vcpus} vCPUs and ${capacity.free_memory} MiB).`;
    return { done: false, maintenance: { state: "Blocked", total, remaining: vms.length, message } };
  }

  // Ask each VM to move; its controller books a target host and migrates it. Targets keep the
  // cluster's VM/Host rules: a VM only a must rule's broken could move is not moved, and says so.
  const ruleBlocked: string[] = [];
  // As in vSphere, DRS does not move a VM whose override disables it, for maintenance mode either: the operator migrates it.
  const overrides = (await getObject<ClusterSpec, unknown>(ctx.pool, { kind: "Cluster", namespace: "", name: host.spec.cluster }))?.spec.vmOverrides;
  const clusterLevel = cluster?.spec.drs.automationLevel ?? "fullyAutomated";
  const leftToOperator = pending.filter((vm) => drsAutomationLevel(overrides, vmOwnerKey(vm), clusterLevel) === "disabled");
  for (const vm of pending.filter((candidate) => !leftToOperator.includes(candidate))) {
    await withTransaction(ctx.pool, async (tx) => {
      const rules = await rulePreference(tx, host.spec.cluster, vmOwnerKey(vm), [host.name]);
      const { rows: target } = await tx.query<{ host: string }>(
        `SELECT host FROM host_allocations
          WHERE cluster = $1 AND schedulable AND NOT (host = ANY($2::text[]))
            AND vcpus + $3 <= cpu_cores * $5::float8 AND memory_allocated_mib + $4 <= memory_mib * $6::float8
          ORDER BY host = ANY($7::text[]) DESC, (memory_mib * $6::float8 - memory_allocated_mib) DESC LIMIT 1`,
        [host.spec.cluster, rules?.exclude ?? [host.name], vm.status.allocation?.cpus ?? 0, vm.status.allocation?.memoryMiB ?? 0, overcommit.cpu, overcommit.memory, rules?.prefer ?? []],
      );
      if (!target[0]) {
        if (rules?.excludedBy.size) ruleBlocked.push(`${vm.name} (${ruleExclusionWords(rules.excludedBy)})`);
        return;
      }
      await writeMetadata(tx, vm, { annotations: { ...vm.annotations, [REQUESTED_HOST_ANNOTATION]: target[0].host } });
      await enqueue(tx, objectKeyString(vm));
    });
  }
  if (ruleBlocked.length > 0) {
    const message = `Cannot enter maintenance mode: no other host can take ${ruleBlocked.join(", ")} without breaking a must VM/Host rule.`;
    return { done: false, maintenance: { state: "Blocked", total, remaining: vms.length, message } };
  }
  const migrated = total - vms.length;
  const waiting = leftToOperator.map((vm) => vm.name).join(", ");
  const message = `Entering maintenance mode: ${migrated} of ${total} VMs migrated${
    waiting ? `; waiting for you to migrate ${waiting} (DRS is disabled for ${leftToOperator.length > 1 ? "them by their VM overrides" : "it by its VM override"})` : ""
  }`;
  await progressTasks(ctx.pool, (await openTasks(ctx.pool, host.uid)).map((task) => task.id), (migrated / total) * 100, message);
  return { done: false, maintenance: { state: "Entering", total, remaining: vms.length, message } };
}
