// The demo inventory a fresh installation starts with (unless SKYLIGHT_DEMO=0): two datacenters,
// three clusters, twelve hosts, sixty VMs in three namespaces, and vm-operator's standard VM
// classes and a small content library. Deterministic, so screenshots and tests can name objects.
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { NAMESPACE_FINALIZER, VM_FINALIZER } from "@/lib/vocabulary/engine-owned-metadata";
import { virtualMachineSpecSchema } from "@/lib/engine/schemas";
import { INSERT_MISSING_DEFAULT_SERVICE_ACCOUNTS } from "@/lib/engine/operations/service-account-operations";
import { KIND_API_VERSIONS, type Kind } from "@/lib/inventory/kinds";
import type { AddDatastoreRequest, AddHostRequest } from "@/lib/provider/provider";

interface SeedObject {
  kind: Kind;
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  finalizers?: string[];
  spec: Prisma.InputJsonObject;
  status?: Prisma.InputJsonObject;
}

const GIB = 1024;

/** vm-operator's default class sizes: vCPUs and memory in GiB. */
const CLASS_SIZES = [
  ["xsmall", 2, 2],
  ["small", 2, 4],
  ["medium", 2, 8],
  ["large", 4, 16],
  ["xlarge", 4, 32],
  ["2xlarge", 8, 64],
  ["4xlarge", 16, 128],
  ["8xlarge", 32, 128],
] as const;

/** The tiny bootable image real hosts run in tests and a newcomer's first real VM (lib/hypervisor/tiny-image.ts). */
export const TINY_IMAGE_NAME = "skylight-tiny";

const IMAGES = [
  { name: "ubuntu-24.04-server", os: "Ubuntu 24.04 LTS", osType: "Linux", diskGiB: 20, firmware: "efi" },
  { name: "ubuntu-22.04-server", os: "Ubuntu 22.04 LTS", osType: "Linux", diskGiB: 20, firmware: "efi" },
  { name: "photon-5", os: "VMware Photon OS 5.0", osType: "Linux", diskGiB: 16, firmware: "efi" },
  { name: "rhel-9", os: "Red Hat Enterprise Linux 9", osType: "Linux", diskGiB: 30, firmware: "efi" },
  { name: "windows-server-2022", os: "Microsoft Windows Server 2022", osType: "Windows", diskGiB: 60, firmware: "efi" },
] as const;

// Who may use each demo namespace besides administrators and operators: the developers `dev` and
// `dana` through the group "developers", and each directly somewhere.
const CLUSTERS = [
  { name: "prod-cluster-01", datacenter: "dc-boston", hosts: 5, namespace: "web-team", permissions: [{ kind: "User", name: "dev", role: "owner" }] },
  { name: "dev-cluster-01", datacenter: "dc-boston", hosts: 4, namespace: "data-team", permissions: [{ kind: "Group", name: "developers", role: "edit" }] },
  { name: "edge-cluster-01", datacenter: "dc-seattle", hosts: 3, namespace: "ml-team", permissions: [{ kind: "User", name: "dana", role: "view" }] },
] as const;

const VM_ROLES = ["web", "api", "db", "cache", "worker"] as const;

function condition(type: string, status: "True" | "False", reason: string, at: string) {
  return { type, status, reason, message: "", lastTransitionTime: at };
}

export function demoInventory(now = new Date()): SeedObject[] {
  const at = now.toISOString();
  const ready = [condition("Ready", "True", "Ready", at), condition("Synced", "True", "ReconcileSuccess", at)];
  const objects: SeedObject[] = [];

  for (const [datacenter, city] of [["dc-boston", "Boston"], ["dc-seattle", "Seattle"]] as const) {
    objects.push({ kind: "Datacenter", name: datacenter, labels: { "skylight.io/location": city.toLowerCase() }, spec: {}, status: { conditions: ready } });
    objects.push({
      kind: "Network",
      name: `${datacenter}-vm-network`,
      spec: { datacenter, portGroup: "VM Network", vlanId: 0 },
      status: { conditions: ready },
    });
    objects.push({
      kind: "Network",
      name: `${datacenter}-vlan-120`,
      spec: { datacenter, portGroup: "dvPG-App-120", vlanId: 120 },
      status: { conditions: ready },
    });
  }

  for (const [size, cpus, memoryGiB] of CLASS_SIZES) {
    for (const policy of ["best-effort", "guaranteed"] as const) {
      objects.push({
        kind: "VirtualMachineClass",
        name: `${policy}-${size}`,
        spec: {
          hardware: { cpus, memory: `${memoryGiB}Gi` },
          policies: policy === "guaranteed"
            ? { resources: { requests: { cpu: `${cpus * 1000}m`, memory: `${memoryGiB}Gi` } } }
            : { resources: {} },
        },
        status: { conditions: ready },
      });
    }
  }

  for (const image of IMAGES) {
    objects.push({
      kind: "VirtualMachineImage",
      name: image.name,
      spec: { providerRef: { kind: "ContentLibraryItem", name: image.name }, contentLibrary: "skylight-library" },
      status: {
        name: image.name,
        osInfo: { type: image.osType, version: image.os },
        firmware: image.firmware,
        disks: [{ capacity: `${image.diskGiB}Gi` }],
        conditions: ready,
      },
    });
  }

  // What a host running the Skylight agent boots: `npm run images -- build-tiny` puts it on the datastore.
  objects.push({
    kind: "VirtualMachineImage",
    name: TINY_IMAGE_NAME,
    spec: { providerRef: { kind: "ContentLibraryItem", name: TINY_IMAGE_NAME }, contentLibrary: "skylight-library" },
    status: {
      name: TINY_IMAGE_NAME,
      osInfo: { type: "Linux", version: "Debian kernel with a busybox initramfs" },
      firmware: "bios",
      disks: [{ capacity: "1Gi" }],
      conditions: ready,
    },
  });

  let hostNumber = 0;
  for (const cluster of CLUSTERS) {
    objects.push({
      kind: "Cluster",
      name: cluster.name,
      spec: {
        datacenter: cluster.datacenter,
        drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 },
        ha: { enabled: true, hostFailuresToTolerate: 1 },
        overcommit: { cpu: 4, memory: 1.25 },
      },
      status: { conditions: ready },
    });
    objects.push({
      kind: "Namespace",
      name: cluster.namespace,
      labels: { "skylight.io/cluster": cluster.name },
      finalizers: [NAMESPACE_FINALIZER],
      spec: { cluster: cluster.name, limits: {}, permissions: cluster.permissions.map((permission) => ({ ...permission })) },
    });
    const datastore = `${cluster.name}-vsan`;
    const hostNames: string[] = [];
    for (let index = 0; index < cluster.hosts; index++) {
      hostNumber++;
      const name = `esx-${String(hostNumber).padStart(2, "0")}.${cluster.datacenter.slice(3)}.lab`;
      hostNames.push(name);
      objects.push({
        kind: "Host",
        name,
        labels: { "skylight.io/cluster": cluster.name },
        spec: { cluster: cluster.name, maintenanceMode: false },
        status: { managementIP: `10.20.${hostNumber}.10` },
      });
    }
    objects.push({
      kind: "Datastore",
      name: datastore,
      labels: { "skylight.io/cluster": cluster.name },
      spec: { datacenter: cluster.datacenter, type: "vsan", capacityGiB: cluster.hosts * 8 * GIB },
      status: { freeGiB: Math.round(cluster.hosts * 8 * GIB * 0.58), hosts: hostNames, conditions: ready },
    });

    for (let index = 0; index < 20; index++) {
      const role = VM_ROLES[index % VM_ROLES.length]!;
      const [size] = CLASS_SIZES[index % 4]!;
      const image = IMAGES[index % IMAGES.length]!;
      const poweredOn = index % 7 !== 3;
      objects.push({
        kind: "VirtualMachine",
        namespace: cluster.namespace,
        name: `${role}-${String(index + 1).padStart(2, "0")}`,
        labels: { app: role, "skylight.io/cluster": cluster.name },
        finalizers: [VM_FINALIZER],
        spec: virtualMachineSpecSchema.parse({
          className: `${index % 3 === 0 ? "guaranteed" : "best-effort"}-${size}`,
          imageName: image.name,
          storageClass: datastore,
          powerState: poweredOn ? "PoweredOn" : "PoweredOff",
        }) as Prisma.InputJsonObject,
      });
    }
  }
  return objects;
}

export async function seedDemoInventory(db: PrismaClient): Promise<number> {
  const objects = demoInventory();
  const { count } = await db.resource.createMany({
    data: objects.map((object) => ({
      apiVersion: KIND_API_VERSIONS[object.kind],
      kind: object.kind,
      namespace: object.namespace ?? "",
      name: object.name,
      labels: object.labels ?? {},
      finalizers: object.finalizers ?? [],
      spec: object.spec,
      status: { observedGeneration: 1, ...object.status },
    })),
    skipDuplicates: true,
  });
  await db.$executeRawUnsafe(INSERT_MISSING_DEFAULT_SERVICE_ACCOUNTS);
  return count;
}

/** The simulated ESXi hosts behind the demo's Host objects. */
export function demoSimulatedHosts(): AddHostRequest[] {
  return demoInventory()
    .filter((object) => object.kind === "Host")
    .map((host) => ({
      name: host.name,
      cluster: String(host.spec.cluster),
      cpuCores: 32,
      cpuMhz: 2600,
      memoryMiB: 512 * GIB,
      datastores: [`${host.spec.cluster}-vsan`],
    }));
}

/**
 * The simulated datastores behind the demo's Datastore objects. What their seeded free space does
 * not leave is other files; the VMs the engine creates on them take the rest.
 */
export function demoSimulatedDatastores(): AddDatastoreRequest[] {
  return demoInventory()
    .filter((object) => object.kind === "Datastore")
    .map((datastore) => {
      const capacityGiB = Number(datastore.spec.capacityGiB);
      return { name: datastore.name, capacityGiB, otherUsedGiB: capacityGiB - Number(datastore.status?.freeGiB) };
    });
}

/**
 * The demo's group "developers" (dev and dana) and the self-service template of dev-cluster-01
 * that lets its members create namespaces there. Run after the demo users exist.
 */
export async function seedDemoAccess(db: PrismaClient): Promise<void> {
  const members = await db.user.findMany({ where: { username: { in: ["dev", "dana"] } }, select: { id: true } });
  const group = await db.userGroup.upsert({
    where: { name: "developers" },
    create: { name: "developers", description: "Application developers" },
    update: {},
  });
  await db.userGroupMember.createMany({ data: members.map((member) => ({ groupId: group.id, userId: member.id })), skipDuplicates: true });
  await db.namespaceTemplate.upsert({
    where: { cluster: "dev-cluster-01" },
    update: {},
    create: {
      cluster: "dev-cluster-01",
      defaultCpu: 8,
      defaultMemoryMiB: 32 * GIB,
      defaultStorageGiB: 200,
      maxCpu: 32,
      maxMemoryMiB: 128 * GIB,
      maxStorageGiB: 1000,
      perUserCpu: 64,
      perUserMemoryMiB: 256 * GIB,
      perUserStorageGiB: 2000,
      vmClasses: ["best-effort-xsmall", "best-effort-small", "best-effort-medium", "best-effort-large", "guaranteed-small", "guaranteed-medium"],
      images: ["ubuntu-24.04-server", "ubuntu-22.04-server", "photon-5"],
      groups: ["developers"],
    },
  });
}

export const DEMO_USERS = [
  { username: "olivia", name: "Olivia Ortega", role: "operator" },
  { username: "dev", name: "Dev Patel", role: "developer" },
  { username: "dana", name: "Dana Kim", role: "developer" },
] as const;
