// A VM's snapshot tree as the agent records it (the qcow2 holds the data under one tag per
// snapshot; this holds names, parents and "you are here"), and how removing snapshots reshapes it.
import type { MachineRecord } from "@/lib/spherelet/agent/machine-files";
import type { MachineStatus } from "@/lib/spherelet/machine-protocol";

export type MachineSnapshot = MachineStatus["snapshots"][number];

/**
 * The snapshot's tag inside the qcow2. Prefixed, because QEMU finds a snapshot by its numeric
 * internal id as well as by its tag, so a bare "1" could name another snapshot.
 */
export const snapshotTag = (snapshotId: string) => `skylight-${snapshotId}`;

export function findSnapshot(record: MachineRecord, snapshotId: string): MachineSnapshot {
  const snapshot = record.snapshots.find((candidate) => candidate.id === snapshotId);
  if (!snapshot) throw new Error(`The VM has no snapshot ${snapshotId}.`);
  return snapshot;
}

/** The new snapshot goes on top of the current one and becomes current. */
export function addSnapshot(record: MachineRecord, snapshot: Omit<MachineSnapshot, "parentId">): MachineRecord {
  return { ...record, snapshots: [...record.snapshots, { ...snapshot, parentId: record.currentSnapshotId }], currentSnapshotId: snapshot.id };
}

/**
 * Without one snapshot (its children move up to its parent, and "you are here" too if it was
 * there), or without any (snapshotId null).
 */
export function withoutSnapshot(record: MachineRecord, snapshotId: string | null): MachineRecord {
  if (snapshotId === null) return { ...record, snapshots: [], currentSnapshotId: null };
  const removed = findSnapshot(record, snapshotId);
  return {
    ...record,
    snapshots: record.snapshots.filter((snapshot) => snapshot.id !== snapshotId).map((snapshot) => (snapshot.parentId === snapshotId ? { ...snapshot, parentId: removed.parentId } : snapshot)),
    currentSnapshotId: record.currentSnapshotId === snapshotId ? removed.parentId : record.currentSnapshotId,
  };
}
