// The role × verb × object matrix of lib/auth/namespace-authorization.test.ts, through the
// Kubernetes API: real HTTPS requests (and kubectl once per verb class) from an administrator, an
// operator, the owner, an editor and a viewer of namespace web-team and a developer with no role
// anywhere, against a VM and a pod in web-team, web-team itself, a VM in apps and apps itself
// (which no developer holds), the cluster-scoped kinds, and Events and Tasks. Verbs: get, list, a short
// watch, create, update, each patch type, delete, their dry runs and the status subresource; the
// changes are the metadata and spec the rules guard. Each cell asserts the answer the README's
// rules give ("Who may do what", "Namespaces through kubectl", Security › Engine-owned metadata),
// that a refused or dry request changed nothing (objects, tasks, events, field owners), and that a
// developer refused something they cannot see gets, word for word, what a missing one gets.
// No engine runs, so nothing but these requests writes to the database.
import { Agent, request as httpsRequest } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getObject, insertObject, type StoredObject } from "@/lib/engine/object-store";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { createPod } from "@/lib/engine/operations/pod-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import type { NamespacePermission } from "@/lib/engine/schemas";
import { KIND_API_VERSIONS, type Kind } from "@/lib/inventory/kinds";
import { groupVersionOf, resourceForKind, type ApiResource } from "@/lib/kube/api-resources";
import { mergePatch, PATCH_TYPES } from "@/lib/kube/patches";
import { CLUSTER, DATASTORE, NAMESPACE as APPS_NAMESPACE, OPERATOR, vmSpec } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { addGroup, ADMIN, ROLES, seedWebTeamAccess, USERNAMES, WEB_TEAM, WEB_TEAM_PERMISSIONS, type Role } from "@/lib/testing/web-team-access";
import {
  CLONE_OF_ANNOTATION,
  CLUSTER_LABEL,
  NAMESPACE_FINALIZER,
  POD_FINALIZER,
  RENAMED_FROM_ANNOTATION,
  REQUESTED_HOST_ANNOTATION,
  TEMPLATE_LABEL,
  VM_FINALIZER,
} from "@/lib/vocabulary/engine-owned-metadata";

type Json = Parameters<typeof mergePatch>[0];
type JsonObject = { [key: string]: Json };

const DEVELOPERS: readonly Role[] = ["owner", "editor", "viewer", "outsider"];

// ---- What a cell expects ----

/**
 * "ok": 2xx, and a write stored what it asked (a dry run: answered, nothing stored); "same": 2xx
 * and nothing changed (kube-apiserver ignores status sent to the main resource); "listed" and
 * "hidden": a list or watch that shows or leaves out the object; a number: that refusal, with
 * nothing changed.
 */
type Outcome = "ok" | "same" | "listed" | "hidden" | 403 | 404 | 405 | 409 | 422;
/** One outcome per role, in the order of ROLES. */
type Cells = readonly [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome];

const REASONS: Record<number, string[]> = { 403: ["Forbidden"], 404: ["NotFound"], 405: ["MethodNotAllowed"], 409: ["Conflict", "AlreadyExists"], 422: ["Invalid"] };

/** Everyone who holds web-team, and the outsider. */
const holders = (outcome: Outcome, outsider: Outcome = 403): Cells => [outcome, outcome, outcome, outcome, outcome, outsider];
/** Those who operate web-team's VMs (administrators, operators, its owner and editors). */
const vmWriters = (outcome: Outcome): Cells => [outcome, outcome, outcome, outcome, 403, 403];
/** Those who change web-team itself (administrators, operators, its owner). */
const owners = (outcome: Outcome): Cells => [outcome, outcome, outcome, 403, 403, 403];
/** Administrators and operators; every developer gets `developers`. */
const operators = (outcome: Outcome, developers: Outcome = 403): Cells => [outcome, outcome, developers, developers, developers, developers];

// ---- The objects ----

interface Place {
  namespace?: string;
  name: string;
}

interface Subject {
  label: string;
  resource: ApiResource;
  place: Place;
  /** Who may change it: the cells of a change row whose outcome is one word. */
  changers: (outcome: Outcome) => Cells;
  /** A new object like it, for a write that succeeds, so no cell sees another cell's change. */
  fresh?: () => Promise<Place>;
  /** Roles that cannot see it: their refusals must read exactly as refusals for these missing objects. */
  foreignTo: readonly Role[];
  twins: (place: Place) => Place[];
  /**
   * Roles that may create one by any name: to them a server-side apply to a missing one is a
   * create, so it is not compared (that a name is taken is no secret from who may create, as in
   * kube-apiserver).
   */
  creators?: readonly Role[];
}

let kube: KubeHarness;
let agent: Agent;
let tokens: Record<Role, string>;
let kubeconfigs: Record<Role, string>;
let serial = 0;
const newName = (prefix: string) => `${prefix}-${++serial}`;

async function freshVm(namespace: string): Promise<Place> {
  const { object } = await createVirtualMachine(OPERATOR, { namespace, name: newName("vm"), spec: vmSpec() }, kube.pool);
  return { namespace, name: object.name };
}

const POD_SPEC = { containers: [{ name: "main", image: "busybox:1" }] };

async function freshPod(namespace: string): Promise<Place> {
  const { object } = await createPod(OPERATOR, { namespace, name: newName("pod"), spec: POD_SPEC }, kube.pool);
  return { namespace, name: object.name };
}

const freshNamespace = (permissions: NamespacePermission[]) => async (): Promise<Place> => {
  const { object } = await createNamespace(ADMIN, { name: newName("ns"), cluster: CLUSTER, permissions }, kube.pool);
  return { name: object.name };
};

async function freshInfrastructure(kind: "Cluster" | "Host"): Promise<Place> {
  const name = newName(kind.toLowerCase());
  const spec =
    kind === "Cluster"
      ? { datacenter: "dc-test", drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 }, ha: { enabled: true, hostFailuresToTolerate: 1 }, overcommit: { cpu: 4, memory: 1.25 } }
      : { cluster: CLUSTER, maintenanceMode: false };
  await insertObject(kube.pool, { apiVersion: KIND_API_VERSIONS[kind], kind, namespace: "", name, labels: kind === "Host" ? { [CLUSTER_LABEL]: CLUSTER } : {}, spec });
  return { name };
}

const inNamespace = (place: Place): Place[] => [{ ...place, name: "no-such-object" }, { ...place, namespace: "no-such-namespace" }];
const named = (name: string) => (): Place[] => [{ name }];
const subject = (kind: string, place: Place, rest: Omit<Subject, "label" | "resource" | "place">): Subject => ({
  label: `${kind} ${place.namespace ? `${place.namespace}/` : ""}${place.name}`,
  resource: resourceForKind(kind)!,
  place,
  ...rest,
});

const VM = subject("VirtualMachine", { namespace: WEB_TEAM, name: "web-01" }, { changers: vmWriters, fresh: () => freshVm(WEB_TEAM), foreignTo: ["outsider"], twins: inNamespace });
const POD = subject("Pod", { namespace: WEB_TEAM, name: "web-pod" }, { changers: vmWriters, fresh: () => freshPod(WEB_TEAM), foreignTo: ["outsider"], twins: inNamespace });
const OTHER_VM = subject("VirtualMachine", { namespace: APPS_NAMESPACE, name: "apps-01" }, { changers: operators, fresh: () => freshVm(APPS_NAMESPACE), foreignTo: DEVELOPERS, twins: inNamespace });
const SELF_SERVICE: readonly Role[] = ["administrator", "owner", "editor", "viewer"];
const NAMESPACE = subject("Namespace", { name: WEB_TEAM }, { changers: owners, fresh: freshNamespace(WEB_TEAM_PERMISSIONS), foreignTo: ["outsider"], twins: named("no-such-namespace"), creators: SELF_SERVICE });
const OTHER_NAMESPACE = subject("Namespace", { name: APPS_NAMESPACE }, { changers: operators, fresh: freshNamespace([]), foreignTo: DEVELOPERS, twins: named("no-such-namespace"), creators: SELF_SERVICE });
const CLUSTER_OBJECT = subject("Cluster", { name: CLUSTER }, { changers: operators, fresh: () => freshInfrastructure("Cluster"), foreignTo: ["outsider"], twins: named("no-such-cluster") });
const HOST = subject("Host", { name: "esx-1.test" }, { changers: operators, fresh: () => freshInfrastructure("Host"), foreignTo: DEVELOPERS, twins: named("no-such-host") });
const DATASTORE_OBJECT = subject("Datastore", { name: DATASTORE }, { changers: operators, foreignTo: ["outsider"], twins: named("no-such-datastore") });
const VM_CLASS = subject("VirtualMachineClass", { name: "best-effort-small" }, { changers: operators, foreignTo: ["outsider"], twins: named("no-such-class") });
// Their names (the audit event and the task of creating web-01) are known once it exists.
// Events are created by whoever edits the namespace (an operator reporting on its objects), never changed: 405 once authorized.
const EVENT = { ...subject("Event", { namespace: WEB_TEAM, name: "" }, { changers: vmWriters, foreignTo: ["outsider"], twins: inNamespace }), label: "Event of web-team/web-01" };
const TASK = { ...subject("Task", { name: "" }, { changers: operators, foreignTo: DEVELOPERS, twins: named("no-such-task") }), label: "Task of web-team/web-01" };

// ---- Requests ----

interface ApiRequest {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: Json;
  contentType?: string;
}

interface Answer {
  status: number;
  text: string;
  body: JsonObject;
}

function url(resource: ApiResource, place: Partial<Place> = {}, subresource = ""): string {
  const root = resource.group ? `/apis/${resource.group}/${resource.version}` : `/api/${resource.version}`;
  const scope = resource.namespaced && place.namespace ? `/namespaces/${place.namespace}` : "";
  return `${root}${scope}/${resource.plural}${place.name ? `/${place.name}` : ""}${subresource}`;
}

/** Sends one request with the role's token; a watch is read until it shows `closeOn` or ends. */
function send(role: Role, request: ApiRequest, closeOn?: string): Promise<Answer> {
  const query = request.query ? `?${new URLSearchParams(request.query)}` : "";
  const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: "127.0.0.1",
        port: kube.server.port,
        agent,
        method: request.method,
        path: `${request.path}${query}`,
        headers: { authorization: `Bearer ${tokens[role]}`, accept: "application/json", ...(payload !== undefined && { "content-type": request.contentType ?? "application/json", "content-length": Buffer.byteLength(payload) }) },
      },
      (response) => {
        let text = "";
        const done = () => {
          let body: JsonObject = {};
          try {
            body = JSON.parse(text) as JsonObject;
          } catch {
            // a watch's stream of events, read by the caller
          }
          resolve({ status: response.statusCode ?? 0, text, body });
        };
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          // A watch's events are whole lines: stop after the line that shows the object.
          if (closeOn !== undefined && text.includes(closeOn) && text.endsWith("\n")) response.destroy();
        });
        response.on("end", done);
        response.on("close", done);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

const isObject = (value: Json | undefined): value is JsonObject => value !== null && typeof value === "object" && !Array.isArray(value);

/** The merge patch `patch` as RFC 6902 operations against `current`. */
function jsonPatchFor(current: Json | undefined, patch: JsonObject, pointer = ""): Json[] {
  return Object.entries(patch).flatMap(([key, value]) => {
    const path = `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    const here = isObject(current) ? current[key] : undefined;
    if (isObject(value) && isObject(here)) return jsonPatchFor(here, value, path);
    return [{ op: here === undefined ? "add" : "replace", path, value }];
  });
}

const manifest = (resource: ApiResource, place: Place, extra: JsonObject = {}): JsonObject => {
  const base: JsonObject = { apiVersion: groupVersionOf(resource), kind: resource.kind, metadata: { name: place.name, ...(place.namespace && { namespace: place.namespace }) } };
  if (resource.kind === "VirtualMachine") base.spec = { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: DATASTORE, powerState: "PoweredOff" };
  if (resource.kind === "Namespace") base.spec = { cluster: CLUSTER };
  if (resource.kind === "Pod") base.spec = POD_SPEC as unknown as Json;
  return mergePatch(base, extra) as JsonObject;
};

// The subjects' VMs run (vmSpec): an apply configuration describes one as it is but for the
// change, so an apply that changes nothing (FINALIZERS_DROPPED, STATUS) leaves it running.
const AS_RUNNING: JsonObject = { spec: { powerState: "PoweredOn" } };
const applied = (resource: ApiResource, place: Place, change: JsonObject) =>
  manifest(resource, place, resource.kind === "VirtualMachine" ? (mergePatch(AS_RUNNING, change) as JsonObject) : change);

const readAs = (place: Place, current: JsonObject) => mergePatch(current, { metadata: { name: place.name, namespace: place.namespace ?? null } }) as JsonObject;

// ---- Rows ----

type Method = "update" | "merge" | "json" | "strategic" | "apply";
const METHODS: readonly Method[] = ["update", "merge", "json", "strategic", "apply"];
const METHOD_TITLES: Record<Method, string> = { update: "update (PUT)", merge: "patch (merge)", json: "patch (JSON)", strategic: "patch (strategic merge)", apply: "patch (server-side apply)" };

interface Row {
  subject: Subject;
  verb: string;
  cells: Cells;
  kind: "get" | "list" | "watch" | "write";
  /** The request against `place`; `current` is the object there as an administrator reads it. */
  request: (place: Place, current: JsonObject) => ApiRequest;
  needsCurrent?: boolean;
  /** A create: each cell names a new object. */
  creates?: boolean;
  dryRun?: boolean;
  /** What a write that succeeds leaves stored. */
  stored?: (object: StoredObject | null) => boolean;
  /** The field a 422 names. */
  field?: string;
  /** For a change: how it is sent. */
  method?: Method;
}

interface Change {
  label: string;
  /** The change, as a merge patch. */
  patch: JsonObject;
  stored?: (object: StoredObject) => boolean;
  field?: string;
}

const spec = (object: StoredObject) => object.spec as Record<string, unknown>;
const USER_LABEL: Change = { label: "metadata.labels (a user key)", patch: { metadata: { labels: { tier: "gold" } } }, stored: (object) => object.labels.tier === "gold" };
const ENGINE_LABEL: Change = { label: `metadata.labels ${TEMPLATE_LABEL}`, patch: { metadata: { labels: { [TEMPLATE_LABEL]: "true" } } }, field: `metadata.labels.${TEMPLATE_LABEL}` };
const USER_ANNOTATION: Change = { label: "metadata.annotations (a user key)", patch: { metadata: { annotations: { "example.com/owner": "web" } } }, stored: (object) => object.annotations["example.com/owner"] === "web" };
const engineAnnotation = (key: string, value: string): Change => ({ label: `metadata.annotations ${key}`, patch: { metadata: { annotations: { [key]: value } } }, field: `metadata.annotations.${key}` });
const REQUESTED_HOST = engineAnnotation(REQUESTED_HOST_ANNOTATION, "esx-2.test");
const CLONE_OF = engineAnnotation(CLONE_OF_ANNOTATION, "00000000-0000-4000-8000-000000000001");
const RENAMED_FROM = engineAnnotation(RENAMED_FROM_ANNOTATION, `${APPS_NAMESPACE}/apps-01`);
const finalizerAdded = (kept: string): Change => ({ label: "metadata.finalizers (one added)", patch: { metadata: { finalizers: [kept, "example.com/hold"] } }, field: "metadata.finalizers" });
const FINALIZERS_DROPPED: Change = { label: "metadata.finalizers (all dropped)", patch: { metadata: { finalizers: [] } }, field: "metadata.finalizers" };
const specChange = (label: string, patch: JsonObject, check: (spec: Record<string, unknown>) => boolean): Change => ({ label, patch: { spec: patch }, stored: (object) => check(spec(object)) });
const STATUS: Change = { label: "status", patch: { status: { phase: "Hacked", powerState: "Suspended" } } };
const POWER_OFF = specChange("spec.powerState", { powerState: "PoweredOff" }, (vm) => vm.powerState === "PoweredOff");
const LIMITS = specChange("spec.limits", { limits: { cpu: 16 } }, (namespace) => (namespace.limits as { cpu?: number }).cpu === 16);
const ADMINISTRATORS_ONLY: Cells = ["ok", 403, 403, 403, 403, 403];
const HA_OFF = specChange("spec.ha", { ha: { enabled: false } }, (cluster) => (cluster.ha as { enabled: boolean }).enabled === false);

/**
 * A change and its cells: one outcome for whoever may change the subject (the others are refused),
 * or a cell per role; `apply`: the outcome for them when it is sent by server-side apply.
 */
type ChangeSpec = [change: Change, cells: Outcome | Cells, options?: { field?: string; apply?: Outcome }];

function changeRows(subject: Subject, changes: ChangeSpec[], options: { dryRun?: boolean } = {}): Row[] {
  return changes.flatMap(([change, cells, { field = change.field, apply } = {}]) =>
    METHODS.map((method): Row => {
      const allowed = method === "apply" && apply !== undefined ? apply : cells;
      const outcomes = typeof allowed === "object" ? allowed : subject.changers(allowed);
      const dryRun: Record<string, string> = options.dryRun ? { dryRun: "All" } : {};
      return {
        subject,
        verb: `${METHOD_TITLES[method]} ${change.label}${options.dryRun ? " (dry run)" : ""}`,
        cells: outcomes,
        kind: "write",
        needsCurrent: method === "update" || method === "json",
        dryRun: options.dryRun,
        method,
        stored: change.stored && ((object) => object !== null && change.stored!(object)),
        field,
        request: (place, current) => {
          const path = url(subject.resource, place);
          switch (method) {
            case "update":
              return { method: "PUT", path, query: dryRun, body: mergePatch(current, change.patch) };
            case "json":
              return { method: "PATCH", path, query: dryRun, body: jsonPatchFor(current, change.patch), contentType: PATCH_TYPES.json };
            case "apply":
              return { method: "PATCH", path, query: { fieldManager: "matrix", force: "true", ...dryRun }, body: applied(subject.resource, place, change.patch), contentType: PATCH_TYPES.apply };
            default:
              return { method: "PATCH", path, query: dryRun, body: change.patch, contentType: PATCH_TYPES[method] };
          }
        },
      };
    }),
  );
}

const byName = (place: Place) => ({ fieldSelector: `metadata.name=${place.name}` });
const collection = (subject: Subject, place: Place) => url(subject.resource, { namespace: place.namespace });
const STALE = { metadata: { resourceVersion: "1", labels: { stale: "true" } } };
const DELETE_OPTIONS = { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Background" };

type Verb = Omit<Row, "subject" | "verb" | "cells" | "request"> & { request: (subject: Subject, place: Place, current: JsonObject) => ApiRequest };

/** The verbs other than changes: their requests and what a success leaves stored. */
const VERBS = {
  get: { kind: "get", request: (subject, place) => ({ method: "GET", path: url(subject.resource, place) }) },
  list: { kind: "list", request: (subject, place) => ({ method: "GET", path: collection(subject, place), query: byName(place) }) },
  "list in all namespaces": { kind: "list", request: (subject, place) => ({ method: "GET", path: url(subject.resource), query: byName(place) }) },
  watch: { kind: "watch", request: (subject, place) => ({ method: "GET", path: collection(subject, place), query: { watch: "true", timeoutSeconds: "1", ...byName(place) } }) },
  "get status": { kind: "get", request: (subject, place) => ({ method: "GET", path: url(subject.resource, place, "/status") }) },
  "update status": {
    kind: "write",
    needsCurrent: true,
    request: (subject, place, current) => ({ method: "PUT", path: url(subject.resource, place, "/status"), body: mergePatch(current, STATUS.patch) }),
  },
  "patch status": { kind: "write", request: (subject, place) => ({ method: "PATCH", path: url(subject.resource, place, "/status"), body: STATUS.patch, contentType: PATCH_TYPES.merge }) },
  create: { kind: "write", creates: true, stored: (object) => object !== null, request: (subject, place) => ({ method: "POST", path: collection(subject, place), body: manifest(subject.resource, place) }) },
  "create (dry run)": {
    kind: "write",
    creates: true,
    dryRun: true,
    request: (subject, place) => ({ method: "POST", path: collection(subject, place), query: { dryRun: "All" }, body: manifest(subject.resource, place) }),
  },
  "create (name taken)": { kind: "write", request: (subject, place) => ({ method: "POST", path: collection(subject, place), body: manifest(subject.resource, place) }) },
  "update (stale resourceVersion)": {
    kind: "write",
    needsCurrent: true,
    request: (subject, place, current) => ({ method: "PUT", path: url(subject.resource, place), body: mergePatch(current, STALE) }),
  },
  delete: { kind: "write", stored: (object) => object?.deletionTimestamp != null, request: (subject, place) => ({ method: "DELETE", path: url(subject.resource, place), body: DELETE_OPTIONS }) },
  "delete (dry run)": { kind: "write", dryRun: true, request: (subject, place) => ({ method: "DELETE", path: url(subject.resource, place), query: { dryRun: "All" }, body: DELETE_OPTIONS }) },
  "delete (stale precondition)": {
    kind: "write",
    request: (subject, place) => ({ method: "DELETE", path: url(subject.resource, place), body: { ...DELETE_OPTIONS, preconditions: { resourceVersion: "1" } } }),
  },
} satisfies Record<string, Verb>;

function row(subject: Subject, verb: keyof typeof VERBS, cells: Cells): Row {
  const definition: Verb = VERBS[verb];
  return { ...definition, subject, verb, cells, request: (place, current) => definition.request(subject, place, current) };
}

/** Creates that name metadata: the engine's is refused as on a change. */
function createRows(subject: Subject, changes: ChangeSpec[]): Row[] {
  return changes.map(([change, cells, { field = change.field } = {}]) => ({
    subject,
    verb: `create with ${change.label}`,
    cells: typeof cells === "object" ? cells : subject.changers(cells),
    kind: "write",
    creates: true,
    field,
    stored: (object) => object !== null && (change.stored?.(object) ?? true),
    request: (place) => ({ method: "POST", path: collection(subject, place), body: manifest(subject.resource, place, change.patch) }),
  }));
}

// Labels, annotations and finalizers as the engine-owned metadata rule guards them, for whoever
// may change the object. Server-side apply owns no finalizers it did not apply, so applying an
// empty list drops none (as in kube-apiserver).
const metadataChanges = (finalizer: string): ChangeSpec[] => [
  [USER_LABEL, "ok"],
  [ENGINE_LABEL, 422],
  [USER_ANNOTATION, "ok"],
  [REQUESTED_HOST, 422],
  [CLONE_OF, 422],
  [RENAMED_FROM, 422],
  [finalizerAdded(finalizer), 422],
  [FINALIZERS_DROPPED, 422, { apply: "same" }],
];

// A VM's spec: what Edit Settings changes, and what is immutable.
const VM_CHANGES: ChangeSpec[] = [
  ...metadataChanges(VM_FINALIZER),
  [POWER_OFF, "ok"],
  [specChange("spec.className", { className: "best-effort-large" }, (vm) => vm.className === "best-effort-large"), "ok"],
  [{ label: "spec.storageClass (immutable)", patch: { spec: { storageClass: "other-vsan" } }, field: "spec.storageClass" }, 422],
  [specChange("spec.hardware", { hardware: { cpus: 4, memory: "8Gi" } }, (vm) => (vm.hardware as { cpus?: number } | undefined)?.cpus === 4), "ok"],
  [STATUS, "same"],
];

// A pod's spec: kube lets an update change its containers' images and little else.
const POD_CHANGES: ChangeSpec[] = [
  [USER_LABEL, "ok"],
  [ENGINE_LABEL, 422],
  [finalizerAdded(POD_FINALIZER), 422],
  [specChange("spec.containers[*].image", { containers: [{ name: "main", image: "busybox:2" }] }, (pod) => (pod.containers as { image: string }[])[0]!.image === "busybox:2"), "ok"],
  [{ label: "spec.restartPolicy (fixed once created)", patch: { spec: { restartPolicy: "Never" } }, field: "spec" }, 422],
  [STATUS, "same"],
];

// A namespace's: labels, annotations and permissions are its owners' (and administrators' and
// operators'), limits administrators' alone, the cluster no one's.
const NAMESPACE_CHANGES: ChangeSpec[] = [
  ...metadataChanges(NAMESPACE_FINALIZER),
  [LIMITS, ADMINISTRATORS_ONLY],
  [specChange("spec.permissions", { permissions: [...WEB_TEAM_PERMISSIONS, { kind: "Group", name: "auditors", role: "view" }] as unknown as Json }, (namespace) => (namespace.permissions as unknown[]).length === 4), "ok"],
  [{ label: "spec.cluster (immutable)", patch: { spec: { cluster: "elsewhere" } }, field: "spec.cluster" }, 422],
  [STATUS, "same"],
];

/** Each row's cells are in the order of ROLES: administrator, operator, owner, editor, viewer, outsider. */
const MATRIX: Row[] = [
  // A VM in web-team. Whoever holds web-team reads it; its owner and editors change it as
  // administrators and operators do; status is the controllers'.
  row(VM, "get", holders("ok")),
  row(VM, "list", holders("listed")),
  row(VM, "list in all namespaces", holders("listed", "hidden")),
  row(VM, "watch", holders("listed")),
  row(VM, "get status", holders("ok")),
  row(VM, "update status", vmWriters(405)),
  row(VM, "patch status", vmWriters(405)),
  row(VM, "create", vmWriters("ok")),
  row(VM, "create (dry run)", vmWriters("ok")),
  row(VM, "create (name taken)", vmWriters(409)),
  ...createRows(VM, metadataChanges(VM_FINALIZER).filter(([change]) => change !== FINALIZERS_DROPPED)),
  row(VM, "update (stale resourceVersion)", vmWriters(409)),
  ...changeRows(VM, VM_CHANGES),
  ...changeRows(VM, [[USER_LABEL, "ok"], [RENAMED_FROM, 422]], { dryRun: true }),
  row(VM, "delete", vmWriters("ok")),
  row(VM, "delete (dry run)", vmWriters("ok")),
  row(VM, "delete (stale precondition)", vmWriters(409)),

  // A pod in web-team: read and changed by the same roles as its VMs (the VM's rows cover the
  // variants these share: dry runs, all namespaces, stale versions).
  row(POD, "get", holders("ok")),
  row(POD, "list", holders("listed")),
  row(POD, "watch", holders("listed")),
  row(POD, "patch status", vmWriters(405)),
  row(POD, "create", vmWriters("ok")),
  row(POD, "create (name taken)", vmWriters(409)),
  ...changeRows(POD, POD_CHANGES),
  row(POD, "delete", vmWriters("ok")),

  // A VM in apps: administrators' and operators' alone.
  row(OTHER_VM, "get", operators("ok")),
  row(OTHER_VM, "list", operators("listed")),
  row(OTHER_VM, "list in all namespaces", operators("listed", "hidden")),
  row(OTHER_VM, "watch", operators("listed")),
  row(OTHER_VM, "get status", operators("ok")),
  row(OTHER_VM, "patch status", operators(405)),
  row(OTHER_VM, "create", operators("ok")),
  row(OTHER_VM, "create (name taken)", operators(409)),
  row(OTHER_VM, "update (stale resourceVersion)", operators(409)),
  ...changeRows(OTHER_VM, [[USER_LABEL, "ok"], [RENAMED_FROM, 422], [POWER_OFF, "ok"]]),
  ...changeRows(OTHER_VM, [[USER_LABEL, "ok"]], { dryRun: true }),
  row(OTHER_VM, "delete", operators("ok")),
  row(OTHER_VM, "delete (dry run)", operators("ok")),

  // web-team itself. A namespace one cannot see reads as one that does not exist: NotFound, as
  // kubectl apply needs it for one that does not exist. dev, dana and vera may self-serve one.
  row(NAMESPACE, "get", holders("ok", 404)),
  row(NAMESPACE, "list", holders("listed", "hidden")),
  row(NAMESPACE, "watch", holders("listed", "hidden")),
  row(NAMESPACE, "get status", holders("ok", 404)),
  row(NAMESPACE, "update status", owners(405)),
  row(NAMESPACE, "patch status", owners(405)),
  row(NAMESPACE, "create", ["ok", 403, "ok", "ok", "ok", 403]),
  row(NAMESPACE, "create (dry run)", ["ok", 403, "ok", "ok", "ok", 403]),
  row(NAMESPACE, "create (name taken)", [409, 403, 409, 409, 409, 403]),
  row(NAMESPACE, "update (stale resourceVersion)", owners(409)),
  ...changeRows(NAMESPACE, NAMESPACE_CHANGES),
  ...changeRows(NAMESPACE, [[USER_LABEL, "ok"], [RENAMED_FROM, 422]], { dryRun: true }),
  row(NAMESPACE, "delete", ADMINISTRATORS_ONLY),
  row(NAMESPACE, "delete (dry run)", ADMINISTRATORS_ONLY),
  row(NAMESPACE, "delete (stale precondition)", [409, 403, 403, 403, 403, 403]),

  // apps itself, which no developer holds; the self-service group learns that its name is taken, as
  // kube-apiserver tells anyone who may create namespaces.
  row(OTHER_NAMESPACE, "get", operators("ok", 404)),
  row(OTHER_NAMESPACE, "list", operators("listed", "hidden")),
  row(OTHER_NAMESPACE, "patch status", operators(405)),
  row(OTHER_NAMESPACE, "create (name taken)", [409, 403, 409, 409, 409, 403]),
  row(OTHER_NAMESPACE, "update (stale resourceVersion)", operators(409)),
  ...changeRows(OTHER_NAMESPACE, [[USER_LABEL, "ok"], [RENAMED_FROM, 422], [LIMITS, ADMINISTRATORS_ONLY], [STATUS, "same"]]),
  row(OTHER_NAMESPACE, "delete", ADMINISTRATORS_ONLY),

  // The cluster web-team runs on: its holders read it; only spec.drs and spec.ha change, by
  // administrators and operators.
  row(CLUSTER_OBJECT, "get", holders("ok")),
  row(CLUSTER_OBJECT, "list", holders("listed", "hidden")),
  row(CLUSTER_OBJECT, "watch", holders("listed", "hidden")),
  row(CLUSTER_OBJECT, "get status", holders(404)),
  row(CLUSTER_OBJECT, "create", operators(405)),
  ...changeRows(CLUSTER_OBJECT, [
    [HA_OFF, "ok"],
    [{ label: "spec.datacenter", patch: { spec: { datacenter: "elsewhere" } } }, 422, { field: "spec.datacenter" }],
    [USER_LABEL, 422, { field: "metadata.labels" }],
  ]),
  ...changeRows(CLUSTER_OBJECT, [[HA_OFF, "ok"]], { dryRun: true }),
  row(CLUSTER_OBJECT, "delete", operators(405)),

  // Hosts are administrators' and operators' alone, even to read.
  row(HOST, "get", operators("ok")),
  row(HOST, "list", operators("listed")),
  row(HOST, "watch", operators("listed")),
  row(HOST, "create", operators(405)),
  ...changeRows(HOST, [
    [specChange("spec.disconnected", { disconnected: true }, (host) => host.disconnected === true), "ok"],
    [USER_LABEL, 422, { field: "metadata.labels" }],
  ]),
  row(HOST, "delete", operators(405)),

  // Datastores and VM classes are read-only; web-team's holders read those it may use.
  ...[DATASTORE_OBJECT, VM_CLASS].flatMap((readOnly) => [
    row(readOnly, "get", holders("ok")),
    row(readOnly, "list", holders("listed", "hidden")),
    row(readOnly, "watch", holders("listed", "hidden")),
    row(readOnly, "create", operators(405)),
    ...changeRows(readOnly, [[USER_LABEL, 405]]),
    row(readOnly, "delete", operators(405)),
  ]),

  // Skylight's activity log, read-only: a namespace's events for its holders, tasks for
  // administrators and operators.
  row(EVENT, "get", holders("ok")),
  row(EVENT, "list", holders("listed")),
  row(EVENT, "list in all namespaces", holders("listed", "hidden")),
  row(EVENT, "watch", holders("listed")),
  // The matrix's body names no involvedObject: refused by field once authorized.
  row(EVENT, "create", vmWriters(422)),
  ...changeRows(EVENT, [[USER_LABEL, 405]]),
  row(EVENT, "delete", vmWriters(405)),
  row(TASK, "get", operators("ok")),
  row(TASK, "list", operators("listed")),
  row(TASK, "watch", operators("listed")),
  row(TASK, "create", operators(405)),
  ...changeRows(TASK, [[USER_LABEL, 405]]),
  row(TASK, "delete", operators(405)),
];

// ---- Running a cell ----

interface Snapshot {
  objects: number;
  lastVersion: string;
  tasks: number;
  events: number;
  fieldOwners: number;
  lastOwned: string | null;
}

async function snapshot(): Promise<Snapshot> {
  const { rows } = await kube.pool.query(
    `SELECT (SELECT count(*) FROM resources)::int AS objects, (SELECT max(resource_version) FROM resources)::text AS "lastVersion",
            (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM events)::int AS events,
            (SELECT count(*) FROM kube_applied_configurations)::int AS "fieldOwners", (SELECT max(applied_at) FROM kube_applied_configurations)::text AS "lastOwned"`,
  );
  return rows[0] as Snapshot;
}

const storedAt = (subject: Subject, place: Place) => getObject(kube.pool, { kind: subject.resource.kind as Kind, namespace: place.namespace ?? "", name: place.name });

async function currentOf(subject: Subject, place: Place): Promise<JsonObject> {
  const answer = await send("administrator", { method: "GET", path: url(subject.resource, place) });
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** Names a list or watch answered with. */
function namesIn(row: Row, answer: Answer): string[] {
  if (row.kind === "list") return ((answer.body.items ?? []) as { metadata: { name: string } }[]).map((item) => item.metadata.name);
  return answer.text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } })
    .filter((event) => event.type === "ADDED")
    .map((event) => event.object.metadata.name);
}

/** A refusal as the client sees it, with the twin's names put back, to compare word for word. */
function refusal(answer: Answer, from?: Place, to?: Place) {
  let message = String(answer.body.message ?? answer.text);
  if (from && to) {
    if (from.namespace && to.namespace && from.namespace !== to.namespace) message = message.replaceAll(from.namespace, to.namespace);
    if (from.name !== to.name) message = message.replaceAll(from.name, to.name);
  }
  return { status: answer.status, reason: answer.body.reason, message };
}

async function placeFor(row: Row, outcome: Outcome): Promise<Place> {
  if (row.creates) return { namespace: row.subject.place.namespace, name: newName("new") };
  if (row.kind === "write" && outcome === "ok" && !row.dryRun && row.subject.fresh) return row.subject.fresh();
  return row.subject.place;
}

const comparesWithMissing = (row: Row, role: Role, outcome: Outcome) =>
  (outcome === 403 || outcome === 404) && row.subject.foreignTo.includes(role) && !(row.method === "apply" && row.subject.creators?.includes(role));

async function runCell(row: Row, role: Role, outcome: Outcome) {
  const place = await placeFor(row, outcome);
  const current = row.needsCurrent ? await currentOf(row.subject, place) : {};
  const before = await snapshot();
  const request = row.request(place, current);
  const answer = await send(role, request, row.kind === "watch" && outcome === "listed" ? `"name":"${place.name}"` : undefined);
  const what = `${request.method} ${request.path} → ${answer.status} ${answer.text.slice(0, 300)}`;

  if (typeof outcome === "number") {
    expect(refusal(answer), what).toMatchObject({ status: outcome, reason: expect.toBeOneOf(REASONS[outcome]!) });
    if (outcome === 422 && row.field) expect((answer.body.details as { causes?: { field?: string }[] })?.causes?.map((cause) => cause.field), what).toContain(row.field);
  } else {
    expect(answer.status, what).toBeGreaterThanOrEqual(200);
    expect(answer.status, what).toBeLessThan(300);
  }
  if (outcome === "ok" && row.kind === "get") expect((answer.body.metadata as { name: string }).name).toBe(place.name);
  if (outcome === "listed") expect(namesIn(row, answer), what).toContain(place.name);
  if (outcome === "hidden") expect(namesIn(row, answer), what).not.toContain(place.name);
  if (outcome === "ok" && row.kind === "write" && !row.dryRun && row.stored) expect(row.stored(await storedAt(row.subject, place)), what).toBe(true);
  // An apply that changes nothing still records what its manager applied (as kube-apiserver's managedFields do).
  const compared = ({ fieldOwners, lastOwned, ...rest }: Snapshot) => (outcome === "same" ? rest : { ...rest, fieldOwners, lastOwned });
  if (!(outcome === "ok" && row.kind === "write" && !row.dryRun)) expect(compared(await snapshot()), `${what}: changed nothing`).toEqual(compared(before));

  // Refused something they cannot see, a developer learns nothing a missing object would not tell.
  if (comparesWithMissing(row, role, outcome)) {
    for (const twin of row.subject.twins(place)) {
      const twinAnswer = await send(role, row.request(twin, readAs(twin, current)));
      expect(refusal(twinAnswer, twin, place), `${what}; for the missing ${twin.namespace ?? ""}/${twin.name}`).toEqual(refusal(answer));
    }
    expect(await snapshot(), `${what}: the requests for missing objects changed nothing`).toEqual(before);
  }
}

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  agent = new Agent({ keepAlive: true, ca: kube.server.certificateAuthorityPem });
  ({ tokens, kubeconfigs } = await seedWebTeamAccess(kube));
  await addGroup(kube, "auditors", []);
  await createVirtualMachine(OPERATOR, { namespace: WEB_TEAM, name: "web-01", spec: vmSpec() }, kube.pool);
  await createPod(OPERATOR, { namespace: WEB_TEAM, name: "web-pod", spec: POD_SPEC }, kube.pool);
  await createVirtualMachine(OPERATOR, { namespace: APPS_NAMESPACE, name: "apps-01", spec: vmSpec() }, kube.pool);
  const { rows } = await kube.pool.query<{ task: string; event: string }>(
    `SELECT t.id::text AS task, e.object_name || '.' || e.id AS event FROM tasks t JOIN events e ON e.object_uid = t.target_uid
      WHERE t.target_namespace = $1 AND t.target_name = 'web-01' LIMIT 1`,
    [WEB_TEAM],
  );
  TASK.place.name = rows[0]!.task;
  EVENT.place.name = rows[0]!.event;
});

afterAll(async () => {
  agent?.destroy();
  await kube?.stopKube();
});

describe("the Kubernetes API: role × verb × object", () => {
  for (const row of MATRIX) {
    ROLES.forEach((role, index) => {
      const outcome = row.cells[index]!;
      const title = `${role} (${USERNAMES[role]}): ${row.verb} ${row.subject.label} → ${outcome}`;
      it(title, () => runCell(row, role, outcome));
    });
  }
});

// kubectl once per verb class: what it prints for a refusal, the same for an object the developer
// cannot see as for one that does not exist; the editor's same command succeeds on a VM of their own.
const vmYaml = (place: Place, labels = "") => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${place.name}
  namespace: ${place.namespace}
${labels}spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: ${DATASTORE}
  powerState: PoweredOff
`;

const KUBECTL_VERBS: { verb: string; refused: Role; run: (place: Place) => { args: string[]; input?: () => Promise<string> } }[] = [
  { verb: "get", refused: "outsider", run: (place) => ({ args: ["get", "vm", place.name, "-n", place.namespace!] }) },
  { verb: "label", refused: "viewer", run: (place) => ({ args: ["label", "vm", place.name, "-n", place.namespace!, "tier=gold"] }) },
  { verb: "patch", refused: "outsider", run: (place) => ({ args: ["patch", "vm", place.name, "-n", place.namespace!, "--type=merge", "-p", '{"spec":{"powerState":"PoweredOff"}}'] }) },
  { verb: "apply --server-side", refused: "outsider", run: (place) => ({ args: ["apply", "--server-side", "--force-conflicts", "-f", "-"], input: async () => vmYaml(place, "  labels:\n    tier: gold\n") }) },
  {
    verb: "replace",
    refused: "viewer",
    run: (place) => ({ args: ["replace", "-f", "-"], input: async () => JSON.stringify(mergePatch(await currentOf(VM, place), USER_LABEL.patch)) }),
  },
  { verb: "create", refused: "outsider", run: (place) => ({ args: ["create", "-f", "-"], input: async () => vmYaml({ ...place, name: `${place.name}-copy` }) }) },
  { verb: "delete", refused: "outsider", run: (place) => ({ args: ["delete", "vm", place.name, "-n", place.namespace!, "--wait=false"] }) },
];

async function kubectlAs(role: Role, command: { args: string[]; input?: () => Promise<string> }) {
  return kube.kubectl(command.args, { kubeconfig: kubeconfigs[role], input: await command.input?.() });
}

describe("kubectl: one command per verb class", () => {
  for (const { verb, refused, run } of KUBECTL_VERBS) {
    it(`kubectl ${verb}: refused to ${refused} (${USERNAMES[refused]}) without a change, and done for the editor`, async () => {
      const before = await snapshot();
      const answer = await kubectlAs(refused, run(VM.place));
      expect(answer.code).not.toBe(0);
      expect(answer.stderr).toMatch(/^Error from server \(Forbidden\)/);
      if (VM.foreignTo.includes(refused)) {
        const twin = VM.twins(VM.place)[0]!;
        const missing = await kubectlAs(refused, run(twin));
        expect(refusal({ status: missing.code, text: missing.stderr, body: {} }, twin, VM.place)).toEqual(refusal({ status: answer.code, text: answer.stderr, body: {} }));
      }
      expect(await snapshot()).toEqual(before);
      const done = await kubectlAs("editor", run(await freshVm(WEB_TEAM)));
      expect(done.stderr).toBe("");
      expect(done.code).toBe(0);
    });
  }
  it("kubectl get namespace: a namespace the outsider cannot see is NotFound, as one that does not exist", async () => {
    const answer = await kubectlAs("outsider", { args: ["get", "namespace", WEB_TEAM] });
    expect(answer.stderr.trim()).toBe(`Error from server (NotFound): namespaces "${WEB_TEAM}" not found`);
  });
});
