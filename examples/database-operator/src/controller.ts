// The PostgresInstance controller: watches instances and their member VMs in one namespace, and
// for each instance creates the members it lacks, deletes those beyond spec.replicas, resizes
// members whose class differs from spec.size, and writes what it sees to the status subresource.
// Deleting an instance needs nothing from it: its members carry an ownerReference with
// blockOwnerDeletion, so Skylight's garbage collector deletes them.
import * as k8s from "@kubernetes/client-node";
import type { Recorder } from "./events.js";
import {
  desiredMember,
  GROUP,
  INSTANCE_LABEL,
  memberIndex,
  observedStatus,
  PLURAL,
  specProblem,
  VERSION,
  VMS,
  type MemberDefaults,
  type MemberVm,
  type PostgresInstance,
  type PostgresInstanceStatus,
} from "./postgres-instance.js";
import { WorkQueue } from "./work-queue.js";

export interface ControllerOptions {
  config: k8s.KubeConfig;
  namespace: string;
  defaults: MemberDefaults;
  record: Recorder;
  log: (message: string) => void;
  /** How soon an instance whose member was refused (a full quota) is tried again. */
  retryMs: number;
}

const FIELD_MANAGER = "database-operator";
const RESYNC_MS = 30_000;
const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);
const statusOf = (error: unknown) => (error instanceof k8s.ApiException ? error.code : 0);

/** The message of an API error's Status, or the error's own. */
function messageOf(error: unknown): string {
  if (error instanceof k8s.ApiException) {
    try {
      return (JSON.parse(String(error.body)) as { message?: string }).message ?? `HTTP ${error.code}`;
    } catch {
      return `HTTP ${error.code}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/** Why a member could not be created, as the Ready condition's reason. */
const refusalOf = (error: unknown) => ({ reason: statusOf(error) === 403 && /exceeded quota/.test(messageOf(error)) ? "QuotaExceeded" : "MemberRefused", message: messageOf(error) });

/** Status without the times that change on every write, to tell a real change from a rewrite. */
const comparable = (status: PostgresInstanceStatus | undefined) => JSON.stringify(status ? { ...status, conditions: status.conditions.map(({ lastTransitionTime: _, ...rest }) => rest) } : null);

export class InstanceController {
  private readonly api: k8s.CustomObjectsApi;
  private readonly queue = new WorkQueue();
  private readonly instances: k8s.Informer<PostgresInstance> & k8s.ObjectCache<PostgresInstance>;
  private readonly members: k8s.Informer<MemberVm> & k8s.ObjectCache<MemberVm>;
  /** The last refusal per instance uid, so a full quota is announced once, not on every retry. */
  private readonly refusals = new Map<string, { reason: string; message: string }>();
  /**
   * The status last written per instance uid: the informer's cache can still hold an older one when
   * the next pass runs (a member's change arrives first), and comparing with that would write again.
   */
  private readonly written = new Map<string, PostgresInstanceStatus>();

  constructor(private readonly options: ControllerOptions) {
    const { config, namespace } = options;
    this.api = config.makeApiClient(k8s.CustomObjectsApi);
    this.instances = k8s.makeInformer<PostgresInstance>(config, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`, () =>
      this.api.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }),
    );
    this.members = k8s.makeInformer<MemberVm>(
      config,
      `/apis/${VMS.group}/${VMS.version}/namespaces/${namespace}/${VMS.plural}`,
      () => this.api.listNamespacedCustomObject({ ...VMS, namespace, labelSelector: INSTANCE_LABEL }),
      INSTANCE_LABEL,
    );
  }

  /** Runs until `signal` aborts (shutdown, or this process stopped leading). */
  async run(signal: AbortSignal) {
    const enqueueInstance = (instance: PostgresInstance) => this.queue.add(instance.metadata.name);
    const enqueueOwner = (vm: MemberVm) => {
      const owner = vm.metadata.labels?.[INSTANCE_LABEL];
      if (owner) this.queue.add(owner);
    };
    for (const verb of [k8s.ADD, k8s.UPDATE, k8s.DELETE] as const) {
      this.instances.on(verb, enqueueInstance);
      this.members.on(verb, enqueueOwner);
    }
    this.instances.on(k8s.DELETE, (instance) => (this.refusals.delete(instance.metadata.uid), this.written.delete(instance.metadata.uid)));
    for (const informer of [this.instances, this.members]) {
      // client-node's informer stops on an error (the API restarted, a watch expired): start it again.
      informer.on(k8s.ERROR, (error) => {
        if (signal.aborted) return;
        this.options.log(`watch: ${messageOf(error)}; restarting`);
        setTimeout(() => !signal.aborted && void informer.start(), 1_000);
      });
    }
    await Promise.all([this.instances.start(), this.members.start()]);
    const resync = setInterval(() => this.instances.list().forEach(enqueueInstance), RESYNC_MS);
    signal.addEventListener("abort", () => (clearInterval(resync), void this.instances.stop(), void this.members.stop()), { once: true });
    this.instances.list().forEach(enqueueInstance);
    await this.queue.run((name) => this.reconcile(name), signal);
  }

  private async reconcile(name: string) {
    const { namespace, log } = this.options;
    const instance = this.instances.get(name, namespace);
    if (!instance || instance.metadata.deletionTimestamp) return;
    try {
      const members = this.members.list(namespace).filter((vm) => vm.metadata.ownerReferences?.some((owner) => owner.uid === instance.metadata.uid));
      const refusal = await this.converge(instance, members);
      const current = this.members.list(namespace).filter((vm) => vm.metadata.ownerReferences?.some((owner) => owner.uid === instance.metadata.uid));
      const previous = this.written.get(instance.metadata.uid) ?? instance.status;
      await this.writeStatus(instance, previous, observedStatus(instance, current, refusal, previous));
      if (refusal) this.queue.addAfter(name, this.options.retryMs);
    } catch (error) {
      if (statusOf(error) === 404) return;
      log(`reconcile ${namespace}/${name}: ${messageOf(error)}`);
      this.queue.addAfter(name, this.options.retryMs);
    }
  }

  /** Creates, deletes and resizes members toward the spec; returns why a member could not be created, if one could not. */
  private async converge(instance: PostgresInstance, members: MemberVm[]): Promise<{ reason: string; message: string } | null> {
    const { defaults, record } = this.options;
    const problem = specProblem(instance, defaults);
    if (problem) return this.refused(instance, { reason: "InvalidSpec", message: problem });
    const have = new Map(members.map((vm) => [memberIndex(instance, vm), vm]));
    for (let index = 0; index < instance.spec.replicas; index++) {
      const desired = desiredMember(instance, index, defaults);
      const existing = have.get(index);
      if (!existing) {
        try {
          await this.api.createNamespacedCustomObject({ ...VMS, namespace: instance.metadata.namespace, body: desired, fieldManager: FIELD_MANAGER });
        } catch (error) {
          if (statusOf(error) === 409) continue;
          return this.refused(instance, refusalOf(error));
        }
        await record(instance, "Normal", "CreatedMember", `Created virtual machine ${desired.metadata.name} (${desired.spec.className}, ${instance.spec.storage})`);
      } else if (existing.spec.className !== desired.spec.className) {
        await this.patchVm(existing.metadata.name, { spec: { className: desired.spec.className } });
        await record(instance, "Normal", "ResizedMember", `Changed ${existing.metadata.name} to class ${desired.spec.className}`);
      }
    }
    for (const [index, vm] of have) {
      if (index >= 0 && index < instance.spec.replicas) continue;
      await this.api.deleteNamespacedCustomObject({ ...VMS, namespace: instance.metadata.namespace, name: vm.metadata.name }).catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
      await record(instance, "Normal", "DeletedMember", `Deleted virtual machine ${vm.metadata.name}: spec.replicas is ${instance.spec.replicas}`);
    }
    this.refusals.delete(instance.metadata.uid);
    return null;
  }

  private async refused(instance: PostgresInstance, refusal: { reason: string; message: string }) {
    const last = this.refusals.get(instance.metadata.uid);
    if (last?.message !== refusal.message) await this.options.record(instance, "Warning", refusal.reason, refusal.message);
    this.refusals.set(instance.metadata.uid, refusal);
    return refusal;
  }

  private patchVm(name: string, body: object) {
    return this.api.patchNamespacedCustomObject({ ...VMS, namespace: this.options.namespace, name, body, fieldManager: FIELD_MANAGER }, mergePatch);
  }

  private async writeStatus(instance: PostgresInstance, previous: PostgresInstanceStatus | undefined, status: PostgresInstanceStatus) {
    if (comparable(status) === comparable(previous)) return;
    if (status.phase === "Running" && previous?.phase !== "Running") {
      await this.options.record(instance, "Normal", "Ready", `${status.readyReplicas} of ${instance.spec.replicas} members ready at ${status.endpoint ?? "no endpoint yet"}`);
    }
    await this.api.patchNamespacedCustomObjectStatus(
      { group: GROUP, version: VERSION, namespace: instance.metadata.namespace, plural: PLURAL, name: instance.metadata.name, body: { status }, fieldManager: FIELD_MANAGER },
      mergePatch,
    );
    this.written.set(instance.metadata.uid, status);
  }
}
