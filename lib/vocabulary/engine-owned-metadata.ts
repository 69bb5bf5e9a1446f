// The metadata Skylight's engine owns, listed once, and the one rule every write path applies to
// a client's labels, annotations and finalizers. Labels and annotations under skylight.io/ are the
// engine's bookkeeping (which cluster a VM runs in, the host it was asked onto, the VM a clone
// copies, the key a renamed VM had): controllers act on them, so only engine operations write
// them, with their own typed parameters. A client may leave one out or repeat it as the engine
// wrote it; adding or changing one is refused. Finalizers are the controllers' alone.
// Pure: the console, the engine and the Kubernetes API all import it.
import { InvalidInputError } from "@/lib/errors";

export const ENGINE_PREFIX = "skylight.io/";

/** Labels. */
export const CLUSTER_LABEL = "skylight.io/cluster";
export const TEMPLATE_LABEL = "skylight.io/template";
/** On a template: the namespace of the VM it was made from. */
export const TEMPLATE_NAMESPACE_LABEL = "skylight.io/namespace";
/** On a VM: the uid of the VM folder that holds it (VMs and Templates view); absent, it shows under its namespace. */
export const FOLDER_LABEL = "skylight.io/folder";

/** Annotations. */
/** A host an administrator or operator asked for (New VM, Clone, Migrate, DRS, maintenance mode); placement and migration follow it. */
export const REQUESTED_HOST_ANNOTATION = "skylight.io/requested-host";
/** The owner key the provider still knows a renamed VM by, until the VM controller hands it the new one. */
export const RENAMED_FROM_ANNOTATION = "skylight.io/renamed-from";
/** Clone to Virtual Machine: the uid of the VM whose disk the new VM is created from. */
export const CLONE_OF_ANNOTATION = "skylight.io/clone-of";
/** Recorded before the provider is asked to create the VM, so a crash cannot create it twice. */
export const CREATE_PENDING_ANNOTATION = "skylight.io/create-pending";
/** A cluster's request for a DRS pass (Run DRS Now, or the leader's timer). */
export const DRS_REQUESTED_ANNOTATION = "skylight.io/drs-requested";
/** A datastore's Refresh Capacity Information request: its controller observes it again and finishes the task. */
export const CAPACITY_REFRESH_ANNOTATION = "skylight.io/capacity-refresh-requested";
/** A pod's grace period as its deletion asked (kube's metadata.deletionGracePeriodSeconds, `kubectl delete --grace-period`). */
export const DELETION_GRACE_PERIOD_ANNOTATION = "skylight.io/deletion-grace-period-seconds";
/** Who deleted a namespace, so that the deletes of its VMs name them as initiator. */
export const DELETED_BY_ANNOTATION = "skylight.io/deleted-by";

/** A content-library image imported into the library's store (lib/library): what it holds and its checksum. */
export const IMAGE_KIND_ANNOTATION = "skylight.io/image-kind";
export const IMAGE_SHA256_ANNOTATION = "skylight.io/image-sha256";
export const IMAGE_SIZE_ANNOTATION = "skylight.io/image-size-bytes";
export const IMPORTED_BY_ANNOTATION = "skylight.io/imported-by";
export const IMPORTED_AT_ANNOTATION = "skylight.io/imported-at";

/** Finalizers, each held until its controller has cleaned up. */
export const VM_FINALIZER = "vmoperator.vmware.com/virtualmachine";
export const NAMESPACE_FINALIZER = "skylight.io/namespace";
export const TEMPLATE_FINALIZER = "skylight.io/template";
/** Held until the pod's host has stopped it (at once for a pod never bound, or on a simulated host). */
export const POD_FINALIZER = "skylight.io/pod";
/** On a Deployment or ReplicaSet: held until its controller has deleted what it owns (its ReplicaSets, its pods). */
export const DEPENDENTS_FINALIZER = "skylight.io/dependents";
/** kube's: a Foreground delete holds the owner until the garbage collector has deleted its blocking dependents. */
export const FOREGROUND_FINALIZER = "foregroundDeletion";
/** kube's: an Orphan delete holds the owner until the garbage collector has removed its dependents' references to it. */
export const ORPHAN_FINALIZER = "orphan";

export const isEngineOwned = (key: string) => key.startsWith(ENGINE_PREFIX);

const RULE = "labels and annotations under skylight.io/ are written only by Skylight's engine";

/**
 * The labels (or annotations) to store when a client asks for `requested` on an object whose
 * engine-owned entries are those in `written` (the object's current metadata, or on create what
 * the engine itself writes, such as a VM's cluster): the client's own keys as asked, and every
 * engine-owned key as the engine wrote it. An engine-owned key the client leaves out is kept, so a
 * replace from a file without it, or a patch that drops it, changes nothing of it; one it repeats
 * unchanged is fine (`kubectl get -o yaml | kubectl apply -f -`). Adding or changing one is refused
 * with the field it is in.
 */
export function withEngineOwned(field: "labels" | "annotations", requested: unknown, written: Record<string, string>): Record<string, string> {
  if (requested !== undefined && requested !== null && (typeof requested !== "object" || Array.isArray(requested) || Object.values(requested).some((value) => typeof value !== "string"))) {
    throw new InvalidInputError(`metadata.${field}`, `must map each key to a string.`);
  }
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries((requested ?? {}) as Record<string, string>)) {
    if (!isEngineOwned(key)) {
      result[key] = value;
      continue;
    }
    if (Object.hasOwn(written, key) && written[key] === value) continue;
    const now = Object.hasOwn(written, key) ? ` (it is "${written[key]}")` : "";
    throw new InvalidInputError(`metadata.${field}.${key}`, `${key} cannot be set by a client${now}: ${RULE}. Leave it out${now && " or repeat its value"}.`);
  }
  for (const [key, value] of Object.entries(written)) if (isEngineOwned(key)) result[key] = value;
  return result;
}

/**
 * Finalizers are the controllers' alone: a write may leave them out or repeat them, never add or
 * drop one. A `partial` write names only what it sets, so naming fewer than `written` drops none:
 * a create (`written`: what the engine gives the new object) and a server-side apply (whose
 * configuration owns only the fields it names; an empty list or the held one changes nothing).
 */
export function assertFinalizersKept(requested: unknown, written: string[], { partial = false } = {}): void {
  if (requested === undefined || requested === null) return;
  if (!Array.isArray(requested) || requested.some((finalizer) => typeof finalizer !== "string")) throw new InvalidInputError("metadata.finalizers", "must be a list of strings.");
  const kept = requested.every((finalizer) => written.includes(finalizer)) && (partial || written.every((finalizer) => requested.includes(finalizer)));
  if (kept) return;
  const held = written.length ? `it holds ${written.join(", ")}` : "it holds none";
  throw new InvalidInputError("metadata.finalizers", `Skylight's controllers manage the finalizers (${held}); leave metadata.finalizers out or repeat it unchanged.`);
}

/**
 * The finalizers to store on an object whose finalizers are its clients' (a custom resource's, held
 * and released by the operator that added them): the client's list as asked (absent is none, as a
 * replace sends it), with the garbage collector's Foreground and Orphan finalizers kept as written.
 * A finalizer under skylight.io/ is the engine's, refused.
 */
export function withClientFinalizers(requested: unknown, written: string[]): string[] {
  if (requested !== undefined && requested !== null && (!Array.isArray(requested) || requested.some((finalizer) => typeof finalizer !== "string"))) {
    throw new InvalidInputError("metadata.finalizers", "must be a list of strings.");
  }
  const asked = (requested ?? []) as string[];
  const engines = asked.find(isEngineOwned);
  if (engines) throw new InvalidInputError("metadata.finalizers", `Forbidden: ${engines} is a finalizer of Skylight's controllers, which only they add`);
  const collector = written.filter((finalizer) => finalizer === FOREGROUND_FINALIZER || finalizer === ORPHAN_FINALIZER);
  return [...new Set([...asked, ...collector])];
}

/** kube's DeleteOptions.propagationPolicy. */
export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

/** The finalizers a delete with `policy` leaves on the object: the garbage collector's for Foreground and Orphan. */
export function finalizersForDeletion(finalizers: string[], policy: PropagationPolicy | undefined): string[] {
  const added = policy === "Foreground" ? FOREGROUND_FINALIZER : policy === "Orphan" ? ORPHAN_FINALIZER : null;
  return added && !finalizers.includes(added) ? [...finalizers, added] : finalizers;
}

/** An ownerReference as stored; the engine's own and clients' alike. */
export interface OwnerReferenceShape {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** The kinds whose controllers own what they control (a ReplicaSet's pods, a Deployment's ReplicaSets). */
const ENGINE_CONTROLLER_KINDS: readonly string[] = ["Deployment", "ReplicaSet"];

/**
 * References only the engine writes: a VM's to its namespace, and a controller reference to a
 * Deployment or ReplicaSet (whose controllers count what they control by it, so a client's would
 * hand them an object to manage, or take one away).
 */
export const isEngineOwnedReference = (reference: Pick<OwnerReferenceShape, "kind" | "controller">) =>
  reference.kind === "Namespace" || (reference.controller === true && ENGINE_CONTROLLER_KINDS.includes(reference.kind));

/** The reference the engine gives each VM to its namespace. */
export const namespaceReference = (namespace: string, uid: string): OwnerReferenceShape => ({ apiVersion: "v1", kind: "Namespace", name: namespace, uid, blockOwnerDeletion: true });

const sameReference = (a: OwnerReferenceShape, b: OwnerReferenceShape) =>
  a.apiVersion === b.apiVersion && a.kind === b.kind && a.name === b.name && a.uid === b.uid && !!a.controller === !!b.controller && !!a.blockOwnerDeletion === !!b.blockOwnerDeletion;

const REFERENCE_RULE = "references to a namespace, and controller references to Deployments and ReplicaSets, are written only by Skylight's engine";

/**
 * The ownerReferences to store when a client asks for `requested` on an object whose references
 * are `written`: the client's own as asked, and every engine-owned one as the engine wrote it (left
 * out: kept; repeated unchanged: fine). Adding or changing an engine-owned one is refused, and so
 * is a second controller, in kube's words.
 */
export function withEngineOwnedReferences(requested: OwnerReferenceShape[], written: OwnerReferenceShape[]): OwnerReferenceShape[] {
  const engineOwned = written.filter(isEngineOwnedReference);
  requested.forEach((reference, index) => {
    if (!isEngineOwnedReference(reference)) return;
    const same = engineOwned.find((ownReference) => ownReference.uid === reference.uid);
    if (same && sameReference(same, reference)) return;
    throw new InvalidInputError(
      `metadata.ownerReferences[${index}]`,
      `Forbidden: this reference to ${reference.kind} ${reference.name} cannot be ${same ? "changed" : "set"} by a client: ${REFERENCE_RULE}. Leave it out${same ? " or repeat it unchanged" : ""}.`,
    );
  });
  const kept = engineOwned.filter((reference) => !requested.some((asked) => asked.uid === reference.uid));
  const merged = [...kept, ...requested.map((reference) => (isEngineOwnedReference(reference) ? engineOwned.find((own) => own.uid === reference.uid)! : reference))];
  const controllers = merged.filter((reference) => reference.controller === true);
  if (controllers.length > 1) {
    const [first, second] = controllers.map((reference) => `${reference.kind}/${reference.name}`);
    throw new InvalidInputError("metadata.ownerReferences", `Invalid value: ${controllers.length} controllers: Only one reference can have Controller set to true. Found "true" in references for ${first} and ${second}`);
  }
  return merged;
}
