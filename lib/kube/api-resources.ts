// Every resource the Kubernetes API serves: its group, version, names, scope, verbs, the columns
// `kubectl get` prints and the fields a fieldSelector may name. Discovery, OpenAPI, routing and
// Table output all read this one list (servedResources): the built-in kinds, and the kinds the
// established CustomResourceDefinitions define (lib/kube/custom-resources/served-kinds.ts keeps
// those current).
import type { Verb as AccessVerb } from "@/lib/auth/authorize";
import { SKYLIGHT_API_VERSION, VM_OPERATOR_API_VERSION, type StoredKind } from "@/lib/inventory/kinds";

export const READ_VERBS = ["get", "list", "watch"] as const;
export const WRITE_VERBS = ["create", "update", "patch", "delete"] as const;
export type Verb = (typeof READ_VERBS)[number] | (typeof WRITE_VERBS)[number];

export interface TableColumn {
  name: string;
  type: "string" | "integer" | "date";
  description: string;
  /** A dotted path into the object (`status.host`), or "age" for creationTimestamp. */
  path: string;
  priority?: number;
}

export interface ApiResource {
  group: string;
  version: string;
  /** A kind of the resources table, or an activity kind read from the tasks and events tables. */
  kind: StoredKind | "Event" | "Task" | "NodeMetrics" | "PodMetrics" | "Service";
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
  verbs: readonly Verb[];
  /** The status subresource, for kinds whose status is written by controllers. */
  hasStatus: boolean;
  /** The scale subresource (autoscaling/v1 Scale over spec.replicas), for kubectl scale. */
  hasScale?: boolean;
  columns: TableColumn[];
  /** fieldSelector names beyond metadata.name and metadata.namespace, each with its JSON path. */
  fields: Record<string, string>;
  /** Whether `kubectl get` shows the Name column only with -o wide (as for events). */
  nameIsWide?: boolean;
  /** Set for a kind a CustomResourceDefinition defines: `kind` is then its stored kind, `<Kind>.<group>`. */
  custom?: CustomResourceServing;
}

/** What serving one version of a CustomResourceDefinition's kind needs, read from the CRD. */
export interface CustomResourceServing {
  /** The kind as clients name it (`Widget`), and its list's. */
  kind: string;
  listKind: string;
  /** The CRD's name and its resourceVersion, which keys what is compiled from it. */
  definition: { name: string; resourceVersion: string };
  /** The served version's openAPIV3Schema. */
  schema: Record<string, unknown>;
  printerColumns: CustomPrinterColumn[];
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  /** The definition is being deleted: its objects are read, changed and deleted until they are gone, never created. */
  terminating: boolean;
}

export interface CustomPrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

const age: TableColumn = { name: "Age", type: "date", description: "Time since the object was created.", path: "age" };
const ready: TableColumn = { name: "Ready", type: "string", description: "The object's Ready condition.", path: "ready" };

/** An apps/v1 Deployment or ReplicaSet: read-write, with status and scale, in category all, with kubectl's columns and its wide ones. */
function appsWorkload(kind: "Deployment" | "ReplicaSet", shortName: string, columns: TableColumn[]): ApiResource {
  return {
    group: "apps",
    version: "v1",
    kind,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    shortNames: [shortName],
    categories: ["all"],
    namespaced: true,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: true,
    hasScale: true,
    columns: [
      ...columns,
      age,
      { name: "Containers", type: "string", description: "Names of each container in the template.", path: "templateContainers", priority: 1 },
      { name: "Images", type: "string", description: "Images referenced by each container in the template.", path: "templateImages", priority: 1 },
      { name: "Selector", type: "string", description: "Label selector for the pods.", path: "selector", priority: 1 },
    ],
    fields: {},
  };
}

/** A core v1 ConfigMap or Secret: read-write, its state at the top level, with kube's columns (a Secret's Type first). */
function configObject(kind: "ConfigMap" | "Secret", shortNames: string[], columns: TableColumn[]): ApiResource {
  return {
    group: "",
    version: "v1",
    kind,
    plural: `${kind.toLowerCase()}s`,
    singular: kind.toLowerCase(),
    shortNames,
    categories: [],
    namespaced: true,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: false,
    columns: [...columns, { name: "Data", type: "integer", description: "How many keys the object holds (data and binaryData).", path: "dataCount" }, age],
    fields: {},
  };
}

/**
 * Skylight's audit events and the events clients write: as core v1 Events (`ev`) and as events.k8s.io/v1 Events, the
 * shape newer clients prefer, whose object and message are `regarding` and `note` (lib/kube/event-objects.ts).
 */
function events(group: "" | "events.k8s.io"): ApiResource {
  const core = group === "";
  return {
    group,
    version: "v1",
    kind: "Event",
    plural: "events",
    singular: "event",
    // As kube-apiserver's: `ev` names core v1 events only.
    shortNames: core ? ["ev"] : [],
    categories: [],
    namespaced: true,
    // Created by clients (lib/kube/client-events.ts), never changed: the activity log is append-only.
    verbs: [...READ_VERBS, "create"],
    hasStatus: false,
    nameIsWide: true,
    columns: [
      { name: "Last Seen", type: "date", description: "When the event happened.", path: "age" },
      { name: "Type", type: "string", description: "Normal, or Warning for warnings and errors.", path: "type" },
      { name: "Reason", type: "string", description: "What happened, as a short CamelCase word.", path: "reason" },
      { name: "Object", type: "string", description: "The object the event is about.", path: core ? "involvedObject" : "regarding" },
      { name: "Message", type: "string", description: "What happened, in words.", path: core ? "message" : "note" },
    ],
    fields: {},
  };
}

function splitApiVersion(apiVersion: string) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return { group: group!, version: version! };
}

const vmOperator = splitApiVersion(VM_OPERATOR_API_VERSION);
const skylight = splitApiVersion(SKYLIGHT_API_VERSION);

export const API_RESOURCES: readonly ApiResource[] = [
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    plural: "namespaces",
    singular: "namespace",
    shortNames: ["ns"],
    categories: [],
    namespaced: false,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: true,
    columns: [
      { name: "Status", type: "string", description: "Active, or Terminating while the namespace is deleted.", path: "phase" },
      { name: "Cluster", type: "string", description: "The vSphere cluster the namespace runs on.", path: "spec.cluster" },
      age,
    ],
    fields: { "spec.cluster": "spec.cluster" },
  },
  events(""),
  events("events.k8s.io"),
  {
    ...vmOperator,
    kind: "VirtualMachine",
    plural: "virtualmachines",
    singular: "virtualmachine",
    shortNames: ["vm"],
    categories: ["all", "vmoperator"],
    namespaced: true,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: true,
    columns: [
      { name: "PowerState", type: "string", description: "The VM's observed power state.", path: "status.powerState" },
      { name: "Class", type: "string", description: "The VirtualMachineClass that sizes the VM.", path: "spec.className" },
      { name: "Host", type: "string", description: "The ESXi host the VM runs on.", path: "status.host" },
      { name: "IP", type: "string", description: "The guest's primary IPv4 address.", path: "status.network.primaryIP4" },
      age,
      { name: "Image", type: "string", description: "The VirtualMachineImage the VM was deployed from.", path: "spec.imageName", priority: 1 },
    ],
    fields: {
      "spec.className": "spec.className",
      "spec.imageName": "spec.imageName",
      "spec.powerState": "spec.powerState",
      "status.powerState": "status.powerState",
      "status.host": "status.host",
    },
  },
  {
    ...vmOperator,
    kind: "VirtualMachineClass",
    plural: "virtualmachineclasses",
    singular: "virtualmachineclass",
    shortNames: ["vmclass"],
    categories: ["vmoperator"],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [
      { name: "CPU", type: "string", description: "Virtual CPUs.", path: "spec.hardware.cpus" },
      { name: "Memory", type: "string", description: "Memory.", path: "spec.hardware.memory" },
      age,
    ],
    fields: {},
  },
  {
    ...vmOperator,
    kind: "VirtualMachineImage",
    plural: "virtualmachineimages",
    singular: "virtualmachineimage",
    shortNames: ["vmi", "vmimage"],
    categories: ["vmoperator"],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [
      { name: "Content Library", type: "string", description: "The content library the image comes from.", path: "spec.contentLibrary" },
      age,
    ],
    fields: {},
  },
  {
    group: "",
    version: "v1",
    kind: "Pod",
    plural: "pods",
    singular: "pod",
    shortNames: ["po"],
    categories: ["all"],
    namespaced: true,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: true,
    columns: [
      { name: "Ready", type: "string", description: "How many of the pod's containers are ready, of how many.", path: "podReady" },
      { name: "Status", type: "string", description: "The pod's state as kubectl shows it: Pending, ContainerCreating, Running, Completed, CrashLoopBackOff, Terminating…", path: "podStatus" },
      { name: "Restarts", type: "string", description: "How many times the pod's containers were restarted, and when last.", path: "podRestarts" },
      age,
      { name: "IP", type: "string", description: "The pod's address.", path: "podIP", priority: 1 },
      { name: "Node", type: "string", description: "The host the pod is bound to.", path: "podNode", priority: 1 },
      { name: "Nominated Node", type: "string", description: "Not used by Skylight's scheduler.", path: "nominatedNode", priority: 1 },
      { name: "Readiness Gates", type: "string", description: "Not used by Skylight.", path: "readinessGates", priority: 1 },
    ],
    fields: { "spec.nodeName": "spec.nodeName", "status.phase": "status.phase", "status.podIP": "status.podIP" },
  },
  {
    group: "",
    version: "v1",
    kind: "Service",
    plural: "services",
    singular: "service",
    shortNames: ["svc"],
    categories: ["all"],
    namespaced: true,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [
      { name: "Type", type: "string", description: "How the service is exposed: ClusterIP.", path: "spec.type" },
      { name: "Cluster-IP", type: "string", description: "The service's address inside the cluster.", path: "spec.clusterIP" },
      { name: "External-IP", type: "string", description: "Addresses outside the cluster: none for a ClusterIP service.", path: "serviceExternalIP" },
      { name: "Port(s)", type: "string", description: "The ports the service serves, each port/protocol.", path: "servicePorts" },
      age,
      { name: "Selector", type: "string", description: "The labels of the pods the service routes to.", path: "serviceSelector", priority: 1 },
    ],
    fields: {},
  },
  configObject("ConfigMap", ["cm"], []),
  configObject("Secret", [], [{ name: "Type", type: "string", description: "The type of the secret.", path: "type" }]),
  appsWorkload("Deployment", "deploy", [
    { name: "Ready", type: "string", description: "Number of the ready replicas, of the desired.", path: "workloadReady" },
    { name: "Up-to-date", type: "integer", description: "Total number of non-terminated pods with the deployment's current template.", path: "status.updatedReplicas" },
    { name: "Available", type: "integer", description: "Total number of available pods (ready for at least minReadySeconds).", path: "status.availableReplicas" },
  ]),
  appsWorkload("ReplicaSet", "rs", [
    { name: "Desired", type: "integer", description: "Number of desired pods.", path: "spec.replicas" },
    { name: "Current", type: "integer", description: "Number of pods the replica set has.", path: "status.replicas" },
    { name: "Ready", type: "integer", description: "Number of its pods that are ready.", path: "status.readyReplicas" },
  ]),
  {
    group: "",
    version: "v1",
    kind: "Node",
    plural: "nodes",
    singular: "node",
    shortNames: ["no"],
    categories: [],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: true,
    columns: [
      { name: "Status", type: "string", description: "Ready or NotReady, and SchedulingDisabled while the host takes no new VMs.", path: "nodeStatus" },
      { name: "Roles", type: "string", description: "The node's roles, from its node-role.kubernetes.io labels.", path: "nodeRoles" },
      age,
      { name: "Version", type: "string", description: "The host agent's version.", path: "status.nodeInfo.kubeletVersion" },
      { name: "Internal-IP", type: "string", description: "The host's address.", path: "internalIP", priority: 1 },
      { name: "OS-Image", type: "string", description: "The host's operating system.", path: "status.nodeInfo.osImage", priority: 1 },
      { name: "Kernel-Version", type: "string", description: "The host's kernel.", path: "status.nodeInfo.kernelVersion", priority: 1 },
      { name: "Container-Runtime", type: "string", description: "The hypervisor that runs the host's VMs.", path: "status.nodeInfo.containerRuntimeVersion", priority: 1 },
    ],
    fields: { "spec.unschedulable": "spec.unschedulable" },
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    plural: "leases",
    singular: "lease",
    shortNames: [],
    categories: [],
    namespaced: true,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: false,
    columns: [
      { name: "Holder", type: "string", description: "Who holds the lease.", path: "spec.holderIdentity" },
      age,
    ],
    fields: {},
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    plural: "customresourcedefinitions",
    singular: "customresourcedefinition",
    shortNames: ["crd", "crds"],
    categories: ["api-extensions"],
    namespaced: false,
    verbs: [...READ_VERBS, ...WRITE_VERBS],
    hasStatus: true,
    columns: [{ name: "Created At", type: "date", description: "When the definition was created.", path: "metadata.creationTimestamp" }],
    fields: {},
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    kind: "NodeMetrics",
    plural: "nodes",
    singular: "",
    shortNames: [],
    categories: [],
    namespaced: false,
    verbs: ["get", "list"],
    hasStatus: false,
    columns: [],
    fields: {},
  },
  {
    group: "metrics.k8s.io",
    version: "v1beta1",
    kind: "PodMetrics",
    plural: "pods",
    singular: "",
    shortNames: [],
    categories: [],
    namespaced: true,
    verbs: ["get", "list"],
    hasStatus: false,
    columns: [],
    fields: {},
  },
  {
    ...skylight,
    kind: "Datacenter",
    plural: "datacenters",
    singular: "datacenter",
    shortNames: ["dc"],
    categories: ["skylight"],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [ready, age],
    fields: {},
  },
  {
    ...skylight,
    kind: "Cluster",
    plural: "clusters",
    singular: "cluster",
    shortNames: ["cl"],
    categories: ["skylight"],
    namespaced: false,
    verbs: ["get", "list", "watch", "update", "patch"],
    hasStatus: false,
    columns: [
      { name: "Datacenter", type: "string", description: "The datacenter that holds the cluster.", path: "spec.datacenter" },
      { name: "DRS", type: "string", description: "vSphere DRS automation level, when enabled.", path: "drs" },
      { name: "HA", type: "string", description: "Whether vSphere HA is on.", path: "spec.ha.enabled" },
      ready,
      age,
    ],
    fields: { "spec.datacenter": "spec.datacenter" },
  },
  {
    ...skylight,
    kind: "Host",
    plural: "hosts",
    singular: "host",
    shortNames: ["esx"],
    categories: ["skylight"],
    namespaced: false,
    verbs: ["get", "list", "watch", "update", "patch"],
    hasStatus: false,
    columns: [
      { name: "Cluster", type: "string", description: "The cluster the host belongs to.", path: "spec.cluster" },
      { name: "Connection", type: "string", description: "connected, disconnected or notResponding.", path: "status.connectionState" },
      { name: "Maintenance", type: "string", description: "Whether the host is in maintenance mode.", path: "status.inMaintenanceMode" },
      age,
    ],
    fields: { "spec.cluster": "spec.cluster", "status.connectionState": "status.connectionState" },
  },
  {
    ...skylight,
    kind: "Datastore",
    plural: "datastores",
    singular: "datastore",
    shortNames: ["ds"],
    categories: ["skylight"],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [
      { name: "Type", type: "string", description: "vsan, vmfs or nfs.", path: "spec.type" },
      { name: "Datacenter", type: "string", description: "The datacenter that holds the datastore.", path: "spec.datacenter" },
      age,
    ],
    fields: {},
  },
  {
    ...skylight,
    kind: "Network",
    plural: "networks",
    singular: "network",
    shortNames: ["net"],
    categories: ["skylight"],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [
      { name: "Port Group", type: "string", description: "The port group VMs connect to.", path: "spec.portGroup" },
      { name: "VLAN", type: "string", description: "The VLAN ID.", path: "spec.vlanId" },
      age,
    ],
    fields: {},
  },
  {
    ...skylight,
    kind: "Task",
    plural: "tasks",
    singular: "task",
    shortNames: [],
    categories: ["skylight"],
    namespaced: false,
    verbs: READ_VERBS,
    hasStatus: false,
    columns: [
      { name: "Description", type: "string", description: "What the task does.", path: "spec.description" },
      { name: "State", type: "string", description: "queued, running, success or error.", path: "status.state" },
      { name: "Progress", type: "integer", description: "Percent done.", path: "status.progress" },
      { name: "Initiator", type: "string", description: "Who started the task.", path: "spec.initiator" },
      age,
    ],
    fields: {},
  },
];

let customResources: readonly ApiResource[] = [];

/** Replaces the custom resources served beside the built-in ones (lib/kube/custom-resources/served-kinds.ts). */
export function serveCustomResources(resources: readonly ApiResource[]): void {
  customResources = resources;
}

/** Every resource served now: the built-in ones, then the custom ones. */
export function servedResources(): readonly ApiResource[] {
  return customResources.length > 0 ? [...API_RESOURCES, ...customResources] : API_RESOURCES;
}

/**
 * The verbs of a resource's status subresource: Skylight's controllers write its kinds' status, so
 * clients read it; a custom resource's status is its own operator's, written as kube's clients do.
 */
export const statusVerbs = (resource: Pick<ApiResource, "custom">): readonly string[] => (resource.custom ? ["get", "patch", "update"] : ["get"]);

/** The kind clients name: a custom resource's own (`Widget`), not its stored `<Kind>.<group>`. */
export const servedKind = (resource: Pick<ApiResource, "kind" | "custom">): string => resource.custom?.kind ?? resource.kind;

export function groupVersionOf(resource: Pick<ApiResource, "group" | "version">): string {
  return resource.group ? `${resource.group}/${resource.version}` : resource.version;
}

export function findResource(group: string, version: string, plural: string): ApiResource | undefined {
  return servedResources().find((resource) => resource.group === group && resource.version === version && resource.plural === plural);
}

/** The resource that serves objects stored as `kind` (a custom kind's stored `<Kind>.<group>`; its first served version). */
export function resourceForKind(kind: string): ApiResource | undefined {
  return servedResources().find((resource) => resource.kind === kind);
}

/** The resource an ownerReference's apiVersion and kind name (a custom kind by its own name, `Widget`). */
export function resourceForReference(apiVersion: string, kind: string): ApiResource | undefined {
  return servedResources().find((resource) => groupVersionOf(resource) === apiVersion && servedKind(resource) === kind);
}

/** The API groups served under /apis, each with its versions, the preferred one first. */
export function apiGroups(): { name: string; versions: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const resource of servedResources()) {
    if (!resource.group) continue;
    const versions = groups.get(resource.group) ?? [];
    if (!versions.includes(resource.version)) versions.push(resource.version);
    groups.set(resource.group, versions);
  }
  return [...groups].map(([name, versions]) => ({ name, versions }));
}

/** Whether objects of this kind can be changed through the API (and so in the YAML tab). */
export function isEditableKind(kind: string): boolean {
  return resourceForKind(kind)?.verbs.includes("update") ?? false;
}

/**
 * What lib/auth/authorize.ts must grant to change an object of this kind through the API: a
 * namespace's labels and annotations are its owners' (setNamespaceMetadata), everything else is
 * operated on.
 */
export function editVerbForKind(kind: string): AccessVerb {
  return kind === "Namespace" ? "managePermissions" : "operate";
}
