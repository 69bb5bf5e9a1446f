// The PostgresInstance kind and what it means in VMs: the member VMs an instance should have, and
// the status its members add up to. Pure: the controller does the reading and writing.
import type * as k8s from "@kubernetes/client-node";

export const GROUP = "databases.example.com";
export const VERSION = "v1alpha1";
export const PLURAL = "postgresinstances";
export const KIND = "PostgresInstance";
/** Names the instance a member VM belongs to, so one list finds an instance's members. */
export const INSTANCE_LABEL = `${GROUP}/instance`;
/** Where the member VMs are served: vm-operator's VirtualMachine. */
export const VMS = { group: "vmoperator.vmware.com", version: "v1alpha3", plural: "virtualmachines" } as const;
export const POSTGRES_PORT = 5432;

export type Size = "small" | "medium" | "large";

export interface PostgresInstance extends k8s.KubernetesObject {
  metadata: k8s.V1ObjectMeta & { name: string; namespace: string; uid: string };
  spec: { size: Size; version: string; storage: string; storageClass?: string; replicas: number };
  status?: PostgresInstanceStatus;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface PostgresInstanceStatus {
  phase: "Provisioning" | "Running" | "Scaling" | "Failed";
  replicas: number;
  readyReplicas: number;
  endpoint?: string;
  members: string[];
  observedGeneration?: number;
  conditions: Condition[];
}

export interface MemberVm extends k8s.KubernetesObject {
  metadata: k8s.V1ObjectMeta & { name: string };
  spec: { className: string; imageName: string; storageClass: string; powerState: string; advanced?: { bootDiskCapacity?: string } };
  status?: { powerState?: string; network?: { primaryIP4?: string }; conditions?: { type: string; status: string }[] };
}

export interface MemberDefaults {
  /** The VirtualMachineImage every member is deployed from. */
  image: string;
  /** The storage class of an instance that names none. */
  storageClass?: string;
}

/** The VM class of each size: the best-effort classes every Skylight has. */
const CLASSES: Record<Size, string> = { small: "best-effort-small", medium: "best-effort-medium", large: "best-effort-large" };

/** Member 0 is the primary; the rest are its standbys. */
export const memberName = (instance: PostgresInstance, index: number) => `${instance.metadata.name}-${index}`;

export const memberIndex = (instance: PostgresInstance, vm: MemberVm) => {
  const suffix = vm.metadata.name.slice(instance.metadata.name.length + 1);
  return vm.metadata.name.startsWith(`${instance.metadata.name}-`) && /^\d+$/.test(suffix) ? Number(suffix) : -1;
};

/** Why an instance cannot have members as it is, or null. */
export function specProblem(instance: PostgresInstance, defaults: MemberDefaults): string | null {
  if (!instance.spec.storageClass && !defaults.storageClass) return "spec.storageClass is not set and the operator was started without --storage-class";
  return null;
}

/** The VM of member `index`, owned by the instance so that deleting the instance deletes it. */
export function desiredMember(instance: PostgresInstance, index: number, defaults: MemberDefaults): MemberVm {
  const { metadata, spec } = instance;
  return {
    apiVersion: `${VMS.group}/${VMS.version}`,
    kind: "VirtualMachine",
    metadata: {
      name: memberName(instance, index),
      namespace: metadata.namespace,
      labels: { [INSTANCE_LABEL]: metadata.name, [`${GROUP}/role`]: index === 0 ? "primary" : "standby", [`${GROUP}/version`]: spec.version },
      ownerReferences: [{ apiVersion: `${GROUP}/${VERSION}`, kind: KIND, name: metadata.name, uid: metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      className: CLASSES[spec.size],
      imageName: defaults.image,
      storageClass: spec.storageClass ?? defaults.storageClass ?? "",
      powerState: "PoweredOn",
      advanced: { bootDiskCapacity: spec.storage },
    },
  };
}

const isReady = (vm: MemberVm) => vm.status?.powerState === "PoweredOn" && Boolean(vm.status.network?.primaryIP4);

/** A condition that keeps its lastTransitionTime while its status stays the same. */
function condition(previous: Condition[] | undefined, next: Omit<Condition, "lastTransitionTime">, now: string): Condition {
  const before = previous?.find((item) => item.type === next.type);
  return { ...next, lastTransitionTime: before && before.status === next.status ? before.lastTransitionTime : now };
}

/**
 * The status an instance's members add up to; `refusal`: why the last member could not be created,
 * if it could not; `previous`: the status last written, whose conditions keep their transition times.
 */
export function observedStatus(
  instance: PostgresInstance,
  members: MemberVm[],
  refusal: { reason: string; message: string } | null,
  previous = instance.status,
  now = new Date().toISOString(),
): PostgresInstanceStatus {
  const wanted = instance.spec.replicas;
  const ready = members.filter(isReady);
  const primary = members.find((vm) => memberIndex(instance, vm) === 0);
  const phase = refusal ? "Failed" : ready.length === wanted && members.length === wanted ? "Running" : previous?.phase === "Running" || ready.length > 0 ? "Scaling" : "Provisioning";
  const readyCondition = refusal
    ? { type: "Ready", status: "False" as const, reason: refusal.reason, message: refusal.message }
    : ready.length === wanted
      ? { type: "Ready", status: "True" as const, reason: "MembersReady", message: `${ready.length} of ${wanted} members are powered on with an address` }
      : { type: "Ready", status: "False" as const, reason: "MembersNotReady", message: `${ready.length} of ${wanted} members are powered on with an address` };
  return {
    phase,
    replicas: members.length,
    readyReplicas: ready.length,
    ...(primary && isReady(primary) && { endpoint: `${primary.status!.network!.primaryIP4}:${POSTGRES_PORT}` }),
    members: members.map((vm) => vm.metadata.name).sort(),
    observedGeneration: instance.metadata.generation,
    conditions: [condition(previous?.conditions, { ...readyCondition, observedGeneration: instance.metadata.generation }, now)],
  };
}
