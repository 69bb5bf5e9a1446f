// Engine functions for core v1 ConfigMaps and Secrets: create, replace (kubectl apply, edit, patch)
// and delete. Each is one writeObject call, authorized by the edit role in the namespace (as
// Kubernetes' edit role writes both), admitted by lib/engine/config-object-rules.ts, with its task
// in Recent Tasks ("Create secret db-password") done at once, since no controller acts on them. A
// Secret's audit event records its keys and their sizes, never its values (nor the manifest
// kubectl apply keeps in an annotation).
import type pg from "pg";
import { admitConfigMap, admitSecret, redactedSecret, type ConfigKind, type ConfigObjectInput, type ConfigObjectSpec } from "@/lib/engine/config-object-rules";
import { assertNamespaceWritable } from "@/lib/engine/namespace-quota";
import type { StoredObject } from "@/lib/engine/object-store";
import { namespacedCreate, namespacedDelete } from "@/lib/engine/operations/namespaced-object-writes";
import { writeObject, type ObjectReplacement, type OperationActor, type OperationResult } from "@/lib/engine/operations/write-object";
import { withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";

const NOUNS: Record<ConfigKind, string> = { ConfigMap: "config map", Secret: "secret" };

export interface ConfigObjectWrite extends Omit<ObjectReplacement, "spec"> {
  kind: ConfigKind;
  /** The object's top-level fields as the client sent them (data, binaryData, immutable; a Secret's type and stringData). */
  fields: ConfigObjectInput;
}

function admit(write: ConfigObjectWrite, current?: ConfigObjectSpec): ConfigObjectSpec {
  return write.kind === "Secret" ? admitSecret(write.fields, write.annotations, current) : admitConfigMap(write.fields, current);
}

/** kubectl's client-side apply keeps the whole manifest, values included, in this annotation. */
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** A Secret as its audit event records it: keys and sizes, and no last applied manifest. */
function auditedSecret(object: StoredObject): StoredObject {
  const annotations = Object.hasOwn(object.annotations, LAST_APPLIED) ? { ...object.annotations, [LAST_APPLIED]: "<secret contents redacted>" } : object.annotations;
  return { ...object, annotations, spec: redactedSecret(object.spec as ConfigObjectSpec) };
}

const auditOf = (kind: ConfigKind) => (kind === "Secret" ? auditedSecret : undefined);

export async function createConfigObject(actor: OperationActor, write: ConfigObjectWrite, pool?: pg.Pool): Promise<OperationResult<ConfigObjectSpec>> {
  const { kind, namespace, name } = write;
  return writeObject<ConfigObjectSpec>({
    ...namespacedCreate(actor, write, NOUNS[kind]),
    completesAtOnce: true,
    audited: auditOf(kind),
    create: async (tx) => {
      const spec = admit(write);
      await assertNamespaceWritable(tx, namespace);
      return {
        apiVersion: "v1",
        kind,
        namespace,
        name,
        labels: withEngineOwned("labels", write.labels, {}),
        annotations: withEngineOwned("annotations", write.annotations, {}),
        finalizers: [],
        ownerReferences: write.ownerReferences ?? [],
        spec,
        status: {},
      };
    },
    pool,
  });
}

/** The object replaced as a whole; an immutable one keeps its data, a Secret its type. */
export async function replaceConfigObject(actor: OperationActor, write: ConfigObjectWrite, pool?: pg.Pool): Promise<OperationResult<ConfigObjectSpec>> {
  const { kind, name } = write;
  return writeObject<ConfigObjectSpec>({
    actor,
    key: { kind, namespace: write.namespace, name },
    expectedResourceVersion: write.expectedResourceVersion,
    operation: `${kind}.update`,
    description: `Update ${NOUNS[kind]} ${name}`,
    completesAtOnce: true,
    noOpWithoutTask: true,
    audited: auditOf(kind),
    change: (current) => ({
      spec: admit(write, current.spec),
      labels: withEngineOwned("labels", write.labels, current.labels),
      annotations: withEngineOwned("annotations", write.annotations, current.annotations),
      ownerReferences: write.ownerReferences,
    }),
    pool,
  });
}

export async function deleteConfigObject(
  actor: OperationActor,
  input: { kind: ConfigKind; namespace: string; name: string; expectedResourceVersion?: string },
  pool?: pg.Pool,
): Promise<OperationResult<ConfigObjectSpec>> {
  return writeObject<ConfigObjectSpec>({
    ...namespacedDelete(actor, input, NOUNS[input.kind]),
    completesAtOnce: true,
    audited: auditOf(input.kind),
    change: () => ({ delete: "remove" }),
    pool,
  });
}
