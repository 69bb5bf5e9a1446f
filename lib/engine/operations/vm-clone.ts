// Engine functions for VM › Actions › Clone: Clone to Virtual Machine (a new VM whose disk is a
// copy of the source's, with its class, size and adapters, in any namespace) and Clone to Template
// (a VirtualMachineImage in the content library made from the source's disk, which New Virtual
// Machine can then deploy). Each writes desired state and a task; the VM and image controllers
// carry it out through the provider.
import type pg from "pg";
import { assertCan, authorize } from "@/lib/auth/authorize";
import { getPool, withTransaction, type Db } from "@/lib/db/pool";
import { createTaskWithEvent } from "@/lib/engine/activity";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { AlreadyExistsError, getObject, insertObject, objectKeyString, type StoredObject } from "@/lib/engine/object-store";
import type { OperationActor } from "@/lib/engine/operations/change-spec";
import { CLONE_OF_ANNOTATION, createVirtualMachine, REQUESTED_HOST_ANNOTATION } from "@/lib/engine/operations/vm-operations";
import { assertNetworksInDatacenter } from "@/lib/engine/operations/vm-settings";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { dns1123LabelSchema, dns1123SubdomainSchema, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { VM_OPERATOR_API_VERSION } from "@/lib/inventory/kinds";

export const TEMPLATE_LABEL = "skylight.io/template";
/** Held until the provider has removed the template's disk from the content library. */
export const TEMPLATE_FINALIZER = "skylight.io/template";

/** A template's spec: vm-operator's image fields, and the VM it is published from (as a VirtualMachinePublishRequest names it). */
export interface TemplateSpec {
  providerRef: { kind: string; name: string };
  contentLibrary: string;
  source?: { kind: "VirtualMachine"; namespace: string; name: string; uid: string };
}

type Vm = StoredObject<VirtualMachineSpec, VirtualMachineStatus>;

/** The VM to clone: it must exist on a host, since its disk is what is copied. */
async function cloneSource(db: Db, namespace: string, name: string): Promise<Vm> {
  const source = await getObject<VirtualMachineSpec, VirtualMachineStatus>(db, { kind: "VirtualMachine", namespace, name });
  if (!source) throw new NotFoundError(`VirtualMachine "${name}" does not exist.`);
  if (source.deletionTimestamp) throw new InvalidInputError("source", `${name} is being deleted.`);
  if (!source.status.uniqueID) throw new InvalidInputError("source", `${name} has not been created on a host yet; there is no disk to copy.`);
  return source;
}

export interface CloneTarget {
  name: string;
  namespace: string;
  /** Empty: vSphere DRS places the clone. */
  host: string;
  storageClass: string;
  powerOn: boolean;
}

/** Checks the host and datastore belong to the cluster of the clone's namespace. */
async function assertPlacement(db: Db, target: CloneTarget): Promise<string> {
  const { rows } = await db.query<{ cluster: string | null; datastore_cluster: string | null; host_cluster: string | null; maintenance: boolean | null; connection: string | null }>(
    `SELECT n.spec->>'cluster' AS cluster,
            (SELECT labels->>'skylight.io/cluster' FROM resources WHERE kind = 'Datastore' AND namespace = '' AND name = $2 AND deletion_timestamp IS NULL) AS datastore_cluster,
            h.spec->>'cluster' AS host_cluster, (h.spec->>'maintenanceMode')::boolean AS maintenance, h.status->>'connectionState' AS connection
       FROM resources n LEFT JOIN resources h ON h.kind = 'Host' AND h.namespace = '' AND h.name = $3
      WHERE n.kind = 'Namespace' AND n.namespace = '' AND n.name = $1 AND n.deletion_timestamp IS NULL`,
    [target.namespace, target.storageClass, target.host],
  );
  const found = rows[0];
  if (!found?.cluster) throw new InvalidInputError("namespace", `Namespace "${target.namespace}" does not exist.`);
  if (found.datastore_cluster !== found.cluster) throw new InvalidInputError("storageClass", `Datastore "${target.storageClass}" is not mounted by the hosts of cluster ${found.cluster}.`);
  if (target.host) {
    if (found.host_cluster !== found.cluster) throw new InvalidInputError("host", `Host "${target.host}" is not in cluster ${found.cluster}.`);
    if (found.maintenance) throw new InvalidInputError("host", `Host ${target.host} is in maintenance mode; choose another host or let DRS place the VM.`);
    if (found.connection !== "connected") throw new InvalidInputError("host", `Host ${target.host} is not connected; choose another host or let DRS place the VM.`);
  }
  return found.cluster;
}

/** VM › Actions › Clone › Clone to Virtual Machine. */
export async function cloneVirtualMachine(
  actor: OperationActor,
  input: { namespace: string; name: string; target: CloneTarget },
  pool: pg.Pool = getPool(),
) {
  const { target } = input;
  const parsed = dns1123LabelSchema.safeParse(target.name);
  if (!parsed.success) throw new InvalidInputError("name", `The clone's name ${parsed.error.issues[0]!.message}.`);
  // The clone is created (and authorized, and held to its namespace's limits) by createVirtualMachine;
  // reading the source needs read access, and choosing a host is for those who operate the inventory.
  await authorize(actor, "read", { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, pool);
  if (target.host) assertCan(actor, "inventory.operate");
  const source = await cloneSource(pool, input.namespace, input.name);
  const cluster = await assertPlacement(pool, target);
  const networks = (source.spec.network?.interfaces ?? []).map((entry) => entry.network?.name ?? "");
  await assertNetworksInDatacenter(pool, cluster, networks);
  const { snapshotRequest: _snapshot, nextRestartTime: _restart, ...kept } = source.spec;
  return createVirtualMachine(
    actor,
    {
      namespace: target.namespace,
      name: parsed.data,
      labels: Object.fromEntries(Object.entries(source.labels).filter(([key]) => key !== "skylight.io/cluster")),
      annotations: { [CLONE_OF_ANNOTATION]: source.uid, ...(target.host && { [REQUESTED_HOST_ANNOTATION]: target.host }) },
      spec: { ...kept, storageClass: target.storageClass, powerState: target.powerOn ? "PoweredOn" : "PoweredOff" },
    },
    pool,
    { operation: "VirtualMachine.clone", description: `Clone virtual machine ${source.name} to ${target.namespace}/${parsed.data}` },
  );
}

/** VM › Actions › Clone › Clone to Template: the template is ready once its disk is copied. */
export async function cloneToTemplate(actor: OperationActor, input: { namespace: string; name: string; templateName: string }, pool: pg.Pool = getPool()) {
  const parsed = dns1123SubdomainSchema.safeParse(input.templateName);
  if (!parsed.success) throw new InvalidInputError("templateName", `The template's name ${parsed.error.issues[0]!.message}.`);
  assertCan(actor, "inventory.operate");
  return withTransaction(pool, async (tx) => {
    const source = await cloneSource(tx, input.namespace, input.name);
    const image = await getObject<unknown, { osInfo?: unknown; firmware?: string }>(tx, { kind: "VirtualMachineImage", namespace: "", name: source.spec.imageName });
    let template: StoredObject<TemplateSpec>;
    try {
      template = await insertObject<TemplateSpec>(tx, {
        apiVersion: VM_OPERATOR_API_VERSION,
        kind: "VirtualMachineImage",
        namespace: "",
        name: parsed.data,
        labels: { [TEMPLATE_LABEL]: "true", "skylight.io/namespace": source.namespace, "skylight.io/cluster": source.labels["skylight.io/cluster"] ?? "" },
        finalizers: [TEMPLATE_FINALIZER],
        spec: {
          providerRef: { kind: "ContentLibraryItem", name: parsed.data },
          contentLibrary: "skylight-library",
          source: { kind: "VirtualMachine", namespace: source.namespace, name: source.name, uid: source.uid },
        },
        status: { name: parsed.data, ...(image?.status.osInfo ? { osInfo: image.status.osInfo } : {}), ...(image?.status.firmware ? { firmware: image.status.firmware } : {}) },
      });
    } catch (error) {
      if (error instanceof AlreadyExistsError) throw new InvalidInputError("templateName", `The content library already has an image or template named "${parsed.data}".`);
      throw error;
    }
    const taskId = await createTaskWithEvent(
      tx,
      { operation: "VirtualMachine.cloneToTemplate", description: `Clone virtual machine ${source.name} to template ${parsed.data}`, target: template, targetGeneration: template.generation, initiator: actor.username },
      { reason: "VirtualMachine.cloneToTemplate", message: `${actor.username} cloned ${source.namespace}/${source.name} to template ${parsed.data}`, actor: actor.username, after: { spec: template.spec } },
    );
    await enqueue(tx, objectKeyString(template));
    return { object: template, taskId };
  });
}
