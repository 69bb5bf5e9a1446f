// The kinds of object Skylight reconciles and the API version each is served under, so the
// console, the seed and (later) the Kubernetes API name them the same way.
export const SKYLIGHT_API_VERSION = "skylight.io/v1alpha1";
export const VM_OPERATOR_API_VERSION = "vmoperator.vmware.com/v1alpha3";

export const KIND_API_VERSIONS = {
  Datacenter: SKYLIGHT_API_VERSION,
  Cluster: SKYLIGHT_API_VERSION,
  Host: SKYLIGHT_API_VERSION,
  Datastore: SKYLIGHT_API_VERSION,
  Network: SKYLIGHT_API_VERSION,
  /** A VM folder of a datacenter (VMs and Templates view); stored and shown by the console, not served through the Kubernetes API. */
  Folder: SKYLIGHT_API_VERSION,
  Namespace: "v1",
  VirtualMachine: VM_OPERATOR_API_VERSION,
  VirtualMachineClass: VM_OPERATOR_API_VERSION,
  VirtualMachineImage: VM_OPERATOR_API_VERSION,
} as const;

export type Kind = keyof typeof KIND_API_VERSIONS;

export const isInventoryKind = (kind: string): kind is Kind => Object.hasOwn(KIND_API_VERSIONS, kind);

/** Kinds stored beside the inventory's and served through the Kubernetes API; the console shows a Node or Lease as its Host, a Pod on its own page. */
export const API_ONLY_KIND_API_VERSIONS = {
  /** Every host as the Kubernetes API sees it: written by its agent on a real host, by the Host controller for a simulated one. */
  Node: "v1",
  /** A host agent's heartbeat, in the kube-node-lease namespace, as the kubelet's. */
  Lease: "coordination.k8s.io/v1",
  /** A Kubernetes pod in a namespace, bound to a host by the pod controller and run by its agent (or the simulator). */
  Pod: "v1",
  /** apps/v1 workloads: a Deployment rolls out ReplicaSets, a ReplicaSet keeps its pods (lib/engine/controllers/). */
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
  /** Configuration and credentials in a namespace, served through the API only (lib/engine/config-object-rules.ts). */
  ConfigMap: "v1",
  Secret: "v1",
  /** A kind a client defines (lib/engine/operations/custom-resource-definition-operations.ts), served by lib/kube/served-custom-kinds.ts. */
  CustomResourceDefinition: "apiextensions.k8s.io/v1",
  /** An identity for processes (operators) in a namespace, with its own tokens (lib/kube/service-account-tokens.ts). */
  ServiceAccount: "v1",
} as const;

/**
 * Kubernetes workloads in a namespace, each with its own page in the console: pods (stored by the
 * pods work), Deployments and ReplicaSets (apps/v1, stored by the deployments work).
 */
export const WORKLOAD_KIND_API_VERSIONS = {
  Pod: "v1",
  Deployment: "apps/v1",
  ReplicaSet: "apps/v1",
} as const;

export type WorkloadKind = keyof typeof WORKLOAD_KIND_API_VERSIONS;

/**
 * A custom resource's kind as the resources table holds it: `<Kind>.<group>` (`Widget.example.com`),
 * so two groups' kinds of one name stay apart. No built-in kind has a dot.
 */
export type CustomResourceKind = `${string}.${string}`;

export const isCustomResourceKind = (kind: string): kind is CustomResourceKind => kind.includes(".");

/** The kind clients name a stored custom kind by: `Widget` of `Widget.example.com`. */
export const clientKindOf = (kind: CustomResourceKind): string => kind.slice(0, kind.indexOf("."));

/** Every kind with an object page. */
export type PageKind = Kind | WorkloadKind | CustomResourceKind;

/** Every kind the resources table holds. */
export type StoredKind = Kind | keyof typeof API_ONLY_KIND_API_VERSIONS | WorkloadKind | CustomResourceKind;
