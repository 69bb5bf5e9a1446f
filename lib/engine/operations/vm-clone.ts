// Engine functions for VM › Actions › Clone: Clone to Virtual Machine (a new VM whose disk is a
// copy of the source's, with its class, size and adapters, in any namespace) and Clone to Template
// (a VirtualMachineImage in the content library made from the source's disk, which New Virtual
// Machine can then deploy). Each writes desired state and a task; the VM and image controllers
// carry it out through the provider.
import type pg from "pg";
import { authorize } from "@/lib/auth/authorize";
import { getPool, type Db } from "@/lib/db/pool";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import { getObject, type StoredObject } from "@/lib/engine/object-store";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { dns1123LabelSchema, dns1123SubdomainSchema, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { withDisksOn } from "@/lib/engine/vm-device-rules";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { VM_OPERATOR_API_VERSION } from "@/lib/inventory/kinds";
import { CLUSTER_LABEL, isEngineOwned, TEMPLATE_FINALIZER, TEMPLATE_LABEL, TEMPLATE_NAMESPACE_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

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

/** VM › Actions › Clone › Clone to Virtual Machine. */
export async function cloneVirtualMachine(
  actor: OperationActor,
  input: { namespace: string; name: string; target: CloneTarget },
  pool: pg.Pool = getPool(),
) {
  const { target } = input;
  const parsed = dns1123LabelSchema.safeParse(target.name);
  if (!parsed.success) throw new InvalidInputError("name", `The clone's name ${parsed.error.issues[0]!.message}.`);
  // The clone is created (and authorized, placed in its namespace's cluster and held to its
  // limits) by createVirtualMachine; reading the source needs read access.
  await authorize(actor, "read", { kind: "VirtualMachine", namespace: input.namespace, name: input.name }, pool);
  const source = await cloneSource(pool, input.namespace, input.name);
  const { snapshotRequest: _snapshot, nextRestartTime: _restart, ...kept } = source.spec;
  return createVirtualMachine(
    actor,
    {
      namespace: target.namespace,
      name: parsed.data,
      labels: Object.fromEntries(Object.entries(source.labels).filter(([key]) => !isEngineOwned(key))),
      // The clone's added disks live on its datastore with its boot disk.
      spec: { ...withDisksOn(kept, target.storageClass), powerState: target.powerOn ? "PoweredOn" : "PoweredOff" },
    },
    pool,
    {
      cloneOf: source.uid,
      requestedHost: target.host || undefined,
      task: { operation: "VirtualMachine.clone", description: `Clone virtual machine ${source.name} to ${target.namespace}/${parsed.data}` },
    },
  );
}

/** VM › Actions › Clone › Clone to Template: the template is ready once its disk is copied. */
export async function cloneToTemplate(actor: OperationActor, input: { namespace: string; name: string; templateName: string }, pool: pg.Pool = getPool()) {
  const parsed = dns1123SubdomainSchema.safeParse(input.templateName);
  if (!parsed.success) throw new InvalidInputError("templateName", `The template's name ${parsed.error.issues[0]!.message}.`);
  const name = parsed.data;
  return writeObject<TemplateSpec>({
    actor,
    key: { kind: "VirtualMachineImage", namespace: "", name },
    authority: { permission: "inventory.operate" },
    operation: "VirtualMachine.cloneToTemplate",
    description: `Clone virtual machine ${input.name} to template ${name}`,
    message: `${actor.username} cloned ${input.namespace}/${input.name} to template ${name}`,
    nameTaken: { field: "templateName", message: `The content library already has an image or template named "${name}".` },
    create: async (tx) => {
      const source = await cloneSource(tx, input.namespace, input.name);
      const image = await getObject<unknown, { osInfo?: unknown; firmware?: string }>(tx, { kind: "VirtualMachineImage", namespace: "", name: source.spec.imageName });
      return {
        apiVersion: VM_OPERATOR_API_VERSION,
        kind: "VirtualMachineImage",
        namespace: "",
        name,
        labels: { [TEMPLATE_LABEL]: "true", [TEMPLATE_NAMESPACE_LABEL]: source.namespace, [CLUSTER_LABEL]: source.labels[CLUSTER_LABEL] ?? "" },
        finalizers: [TEMPLATE_FINALIZER],
        spec: {
          providerRef: { kind: "ContentLibraryItem", name },
          contentLibrary: "skylight-library",
          source: { kind: "VirtualMachine", namespace: source.namespace, name: source.name, uid: source.uid },
        },
        status: { name, ...(image?.status.osInfo ? { osInfo: image.status.osInfo } : {}), ...(image?.status.firmware ? { firmware: image.status.firmware } : {}) },
      };
    },
    pool,
  });
}
