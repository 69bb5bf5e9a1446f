// Datastore › Files through its route, as the browser reads it: operators see every VM's folder,
// linked to the VM; developers (whose datastores hold other namespaces' VMs) are refused.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { getProvider } from "@/lib/engine/provider-registry";
import { insertObject } from "@/lib/engine/object-store";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "files-password";
const DATASTORE = "files-ds";
let datastoreUid = "";
let vmUid = "";

beforeAll(async () => {
  await seedDemoInventory(prisma);
  await createUser("system", { username: "olivia", name: "olivia", role: "operator", password: PASSWORD });
  await createUser("system", { username: "dev", name: "dev", role: "developer", password: PASSWORD });
  await seedDemoAccess(prisma);
  const provider = getProvider();
  await provider.addDatastore({ name: DATASTORE, capacityGiB: 500, otherUsedGiB: 5 });
  await provider.addHost({ name: "files-esx", cluster: "files-cluster", cpuCores: 8, cpuMhz: 2600, memoryMiB: 32_768, datastores: [DATASTORE] });
  await provider.createVm({ ownerKey: "web-team/files-vm", host: "files-esx", datastore: DATASTORE, cpus: 1, memoryMiB: 1024, diskGiB: 12, imageName: "photon-5" });
  datastoreUid = (await insertObject(getPool(), { apiVersion: "skylight.io/v1alpha1", kind: "Datastore", namespace: "", name: DATASTORE, spec: {} })).uid;
  vmUid = (await insertObject(getPool(), { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "web-team", name: "files-vm", spec: {} })).uid;
});

async function filesOf(uid: string): Promise<[number, unknown]> {
  const { GET } = await import("@/app/api/objects/[uid]/files/route");
  const response = await GET(new Request(`http://skylight.test/api/objects/${uid}/files`), { params: Promise.resolve({ uid }) });
  return [response.status, await response.json()];
}

describe("Datastore › Files", () => {
  it("lists each VM's folder with its files and sizes, linked to the VM, and the datastore's other files", async () => {
    request.headers = await signInAs("olivia", PASSWORD);
    const [status, body] = await filesOf(datastoreUid);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      datastore: DATASTORE,
      folders: [
        { name: "files-vm", vm: { uid: vmUid, kind: "VirtualMachine", namespace: "web-team", name: "files-vm" }, files: expect.arrayContaining([{ name: "files-vm.vmdk", sizeBytes: 12 * 1024 ** 3, type: "Virtual disk" }]) },
        { name: "Other files", vm: null, sizeBytes: 5 * 1024 ** 3 },
      ],
    });
  });

  it("refuses a developer, and answers a uid that is not a datastore as not found", async () => {
    request.headers = await signInAs("dev", PASSWORD);
    expect((await filesOf(datastoreUid))[0]).toBe(403);
    request.headers = await signInAs("olivia", PASSWORD);
    expect((await filesOf(vmUid))[0]).toBe(404);
    expect((await filesOf("not-a-uid"))[0]).toBe(404);
  });
});
