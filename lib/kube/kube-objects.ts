// Objects of the resources table in the shape the Kubernetes API serves them: the YAML tab's shape
// (lib/inventory/kubernetes-object.ts, a custom resource's fields at the top level) plus what
// kube-apiserver adds per kind (a namespace's phase).
import type { Db } from "@/lib/db/pool";
import { getObject, type StoredObject } from "@/lib/engine/object-store";
import { toKubernetesObject } from "@/lib/inventory/kubernetes-object";
import type { StoredKind } from "@/lib/inventory/kinds";

export type KubeObject = ReturnType<typeof toKubernetesObject>;

export function toKubeObject(stored: StoredObject): KubeObject {
  const object = toKubernetesObject({
    ...stored,
    ownerReferences: stored.ownerReferences ?? [],
    creationTimestamp: new Date(stored.creationTimestamp).toISOString(),
    deletionTimestamp: stored.deletionTimestamp ? new Date(stored.deletionTimestamp).toISOString() : null,
    spec: (stored.spec ?? {}) as Record<string, unknown>,
    status: (stored.status ?? {}) as Record<string, unknown>,
  });
  if (stored.kind === "Namespace") object.status = { ...object.status, phase: stored.deletionTimestamp ? "Terminating" : "Active" };
  return object;
}

export async function readKubeObject(db: Db, key: { kind: string; namespace: string; name: string }): Promise<KubeObject | null> {
  const stored = await getObject(db, { ...key, kind: key.kind as StoredKind });
  return stored ? toKubeObject(stored) : null;
}
