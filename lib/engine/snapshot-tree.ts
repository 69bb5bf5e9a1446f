// A VM's snapshots as its status shows them: a tree, roots first, each snapshot's children in
// the order they were taken. The provider keeps them flat, each naming its parent.
import type { PowerState, ProviderSnapshot } from "@/lib/provider/provider";

export interface SnapshotNode {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  includesMemory: boolean;
  powerState: PowerState;
  hardware: { cpus: number; memoryMiB: number; diskGiB: number };
  children: SnapshotNode[];
}

export function snapshotTree(snapshots: ProviderSnapshot[]): SnapshotNode[] {
  const nodes = new Map(snapshots.map(({ parentId: _parentId, ...snapshot }) => [snapshot.id, { ...snapshot, children: [] as SnapshotNode[] }]));
  const roots: SnapshotNode[] = [];
  for (const snapshot of snapshots) {
    const node = nodes.get(snapshot.id)!;
    const parent = snapshot.parentId === null ? undefined : nodes.get(snapshot.parentId);
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Every snapshot in the tree, depth first, with its depth. */
export function flattenSnapshotTree(roots: SnapshotNode[], depth = 0): { node: SnapshotNode; depth: number }[] {
  return roots.flatMap((node) => [{ node, depth }, ...flattenSnapshotTree(node.children, depth + 1)]);
}
