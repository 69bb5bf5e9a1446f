// New Virtual Machine › Finish through the real server action, signed in for real: the Customize
// step's cloud-init and Sysprep land in vm-operator's spec.bootstrap and spec.network.hostName;
// user data that is not YAML, carries what vm-operator's cloudConfig does not, or passes 64 KiB is
// refused beside its field, as is a class the namespace does not allow, and nothing is created.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVirtualMachine } from "@/lib/actions/vms/create-virtual-machine";
import { NO_CUSTOMIZATION } from "@/lib/actions/vms/guest-customization";
import type { NewVmValues } from "@/lib/actions/vms/new-vm-schema";
import { getObject, insertObject } from "@/lib/engine/object-store";
import { setNamespacePermissions, updateNamespace } from "@/lib/engine/operations/namespace-operations";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { createHarness, DATASTORE, NAMESPACE, type Harness } from "@/lib/testing/engine-harness";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const ADMIN: OperationActor = { id: "test-admin", username: "admin", role: "administrator" };
const PASSWORD = "customize-password";
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMk3 dev@laptop";
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Network, kind: "Network", namespace: "", name: "net-a", spec: { datacenter: "dc-test", portGroup: "VM Network" } });
  await createUser("system", { username: "dev", name: "Dev", role: "developer", password: PASSWORD });
  await setNamespacePermissions(ADMIN, { name: NAMESPACE, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, harness.pool);
  await updateNamespace(ADMIN, { name: NAMESPACE, vmClasses: ["best-effort-small", "best-effort-medium"] }, harness.pool);
  request.headers = await signInAs("dev", PASSWORD);
});
afterAll(() => harness?.stop());

const wizard = (name: string, values: Partial<NewVmValues> = {}): NewVmValues => ({
  ...NO_CUSTOMIZATION,
  name,
  namespace: NAMESPACE,
  host: "",
  className: "best-effort-small",
  imageName: "ubuntu-24.04-server",
  storageClass: DATASTORE,
  network: "net-a",
  powerOn: false,
  ...values,
});
const specOf = async (name: string) => (await getObject<Record<string, unknown>, unknown>(harness.pool, { kind: "VirtualMachine", namespace: NAMESPACE, name }))?.spec;

describe("New Virtual Machine's Customize step", () => {
  it("writes cloud-init's user data, SSH key and host name as vm-operator carries them", async () => {
    const userData = "#cloud-config\nusers:\n  - name: ops\n    sudo: ALL=(ALL) NOPASSWD:ALL\nruncmd:\n  - echo hello\n  - [systemctl, enable, nginx]\n";
    const result = await createVirtualMachine(wizard("web-1", { userData, sshAuthorizedKey: SSH_KEY, hostName: "web-1" }));
    expect(result?.serverError).toBeUndefined();
    expect(await specOf("web-1")).toMatchObject({
      bootstrap: {
        cloudInit: {
          cloudConfig: { users: [{ name: "ops", sudo: "ALL=(ALL) NOPASSWD:ALL" }], runcmd: ["echo hello", ["systemctl", "enable", "nginx"]] },
          sshAuthorizedKeys: [SSH_KEY],
        },
      },
      network: { hostName: "web-1", interfaces: [{ name: "eth0", network: { kind: "Network", name: "net-a" } }] },
    });
  });

  it("writes Sysprep's answer file, with the administrator password as a Secret's key, for a Windows image", async () => {
    const values = { guestCustomization: "sysprep" as const, imageName: "windows-server-2022", hostName: "win-01", sysprepFullName: "Dev Patel", sysprepOrgName: "Skylight", sysprepPasswordSecret: "win-admin" };
    expect((await createVirtualMachine(wizard("win-01", values)))?.serverError).toBeUndefined();
    const spec = await specOf("win-01");
    expect(spec).toMatchObject({
      bootstrap: { sysprep: { sysprep: { userData: { fullName: "Dev Patel", orgName: "Skylight" }, guiUnattended: { password: { name: "win-admin", key: "password" } } } } },
      network: { hostName: "win-01" },
    });
    expect(JSON.stringify(spec)).not.toContain("cloudInit");
  });

  it("writes no bootstrap when the step is left empty", async () => {
    expect((await createVirtualMachine(wizard("plain")))?.serverError).toBeUndefined();
    const spec = await specOf("plain");
    expect(spec?.bootstrap).toBeUndefined();
    expect(spec?.network).toEqual({ interfaces: [{ name: "eth0", network: { kind: "Network", name: "net-a" } }] });
  });

  it.each([
    ["not YAML", "users: [ops", /^is not valid YAML: /],
    ["not a mapping", "- echo hello", /^must be a cloud-config mapping/],
    ["a key vm-operator's cloudConfig does not carry", "packages:\n  - nginx\n", /^packages is not among what vm-operator's cloudConfig carries \(timezone, defaultUserEnabled, users, runcmd, write_files, ssh_pwauth\)$/],
    ["a field of the wrong shape", "users:\n  - sudo: ALL\n", /^users\.0\.name: /],
    ["over 64 KiB", `runcmd:\n${"  - echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n".repeat(900)}`, /^must be at most 64 KiB, vSphere's guestinfo limit; it is 80 KiB$/],
  ])("refuses user data that is %s beside userData, and creates nothing", async (_what, userData, message) => {
    const result = await createVirtualMachine(wizard("refused", { userData }));
    expect(result?.validationErrors?.fieldErrors).toEqual({ userData: [expect.stringMatching(message)] });
    expect(await specOf("refused")).toBeUndefined();
  });

  it("refuses a malformed SSH key and half a Sysprep answer file beside their fields", async () => {
    expect((await createVirtualMachine(wizard("refused", { sshAuthorizedKey: "not a key" })))?.validationErrors?.fieldErrors).toEqual({ sshAuthorizedKey: [expect.stringContaining("must be one OpenSSH public key line")] });
    const half = await createVirtualMachine(wizard("refused", { guestCustomization: "sysprep", imageName: "windows-server-2022", sysprepFullName: "Dev Patel", hostName: "a-very-long-computer-name" }));
    expect(half?.validationErrors?.fieldErrors).toEqual({ sysprepOrgName: ["is required for Sysprep: the owner's organization"], hostName: ["must be at most 15 characters for a Windows computer name"] });
    expect(await specOf("refused")).toBeUndefined();
  });

  it("refuses a class the namespace does not allow beside spec.className, whatever the wizard offered", async () => {
    const result = await createVirtualMachine(wizard("refused", { className: "guaranteed-8xlarge" }));
    expect(result?.serverError).toEqual({ field: "spec.className", message: `VM class guaranteed-8xlarge is not allowed in namespace ${NAMESPACE}; it allows best-effort-small, best-effort-medium.` });
    expect(await specOf("refused")).toBeUndefined();
  });
});
