// ownerReferences between the engine's own objects, as Kubernetes' controllers use them: the one
// reference marked controller: true names the object whose controller manages this one (a
// ReplicaSet's pods, a Deployment's ReplicaSets). Controllers list what they control by the owner's
// uid, and a change to a controlled object wakes its owner's controller.
import type { Db } from "@/lib/db/pool";
import { listObjects, type OwnerReference, type StoredObject } from "@/lib/engine/object-store";
import type { StoredKind } from "@/lib/inventory/kinds";

/** The kinds whose controllers watch what they own. */
const OWNING_KINDS: readonly string[] = ["Deployment", "ReplicaSet"];

/** The reference a controller puts on what it creates. */
export function controllerReference(owner: Pick<StoredObject, "apiVersion" | "kind" | "name" | "uid">): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true };
}

/** The reconcile key of the object's controlling owner, if the engine has a controller for it. */
export function controllerOwnerKeys(object: Pick<StoredObject, "namespace" | "ownerReferences">): string[] {
  const owner = (object.ownerReferences ?? []).find((reference) => reference.controller);
  return owner && OWNING_KINDS.includes(owner.kind) ? [`${owner.kind}/${object.namespace}/${owner.name}`] : [];
}

/** The objects of `kind` in the owner's namespace that it controls, by its uid. */
export function listControlledBy<Spec, Status>(db: Db, kind: StoredKind, owner: Pick<StoredObject, "namespace" | "uid">): Promise<StoredObject<Spec, Status>[]> {
  return listObjects<Spec, Status>(db, kind, "namespace = $2 AND owner_references @> $3::jsonb", [owner.namespace, JSON.stringify([{ uid: owner.uid, controller: true }])]);
}
