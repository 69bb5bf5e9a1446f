// The folder actions as a browser (or an attacker with a developer's session) calls them: a
// developer is refused before anything is read, an operator's hostile input is refused naming the
// field and the rule, and nothing changes either way.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFolder } from "@/lib/actions/folders/create-folder";
import { deleteFolder } from "@/lib/actions/folders/delete-folder";
import { moveClusterToFolder } from "@/lib/actions/folders/move-cluster-to-folder";
import { moveFolder } from "@/lib/actions/folders/move-folder";
import { moveVmsToFolder } from "@/lib/actions/folders/move-vms-to-folder";
import { renameFolder } from "@/lib/actions/folders/rename-folder";
import { setFolderPermissions } from "@/lib/actions/folders/set-folder-permissions";
import { insertObject } from "@/lib/engine/object-store";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER, createHarness, NAMESPACE, type Harness } from "@/lib/testing/engine-harness";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";
import { CLUSTER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "folder-actions-password";
let harness: Harness;
let operator: Headers;
let developer: Headers;
let vmUid: string;

beforeAll(async () => {
  harness = await createHarness({ hosts: 1 });
  vmUid = (await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.VirtualMachine, kind: "VirtualMachine", namespace: NAMESPACE, name: "web-1", labels: { [CLUSTER_LABEL]: CLUSTER }, spec: {} })).uid;
  await createUser("system", { username: "otto", name: "Otto", role: "operator", password: PASSWORD });
  await createUser("system", { username: "devon", name: "Devon", role: "developer", password: PASSWORD });
  operator = await signInAs("otto", PASSWORD);
  developer = await signInAs("devon", PASSWORD);
}, 60_000);
afterAll(() => harness?.stop());

const snapshot = async () => (await harness.pool.query(`SELECT kind, name, labels, spec, resource_version::text FROM resources WHERE kind IN ('Folder', 'VirtualMachine', 'Cluster') ORDER BY kind, name`)).rows;

describe("folder actions", () => {
  it("refuse a developer every folder write, changing nothing", async () => {
    request.headers = operator;
    expect((await createFolder({ name: "Production", datacenter: "dc-test" }))?.data).toBeDefined();
    expect((await createFolder({ name: "Racks", datacenter: "dc-test", type: "host" }))?.data).toBeDefined();
    const before = await snapshot();
    request.headers = developer;
    const refusal = { serverError: { message: "Only administrators and operators can operate the inventory." } };
    expect(await createFolder({ name: "Mine", datacenter: "dc-test" })).toMatchObject(refusal);
    expect(await renameFolder({ name: "Production", newName: "Mine" })).toMatchObject(refusal);
    expect(await moveFolder({ name: "Production", destination: null })).toMatchObject(refusal);
    expect(await deleteFolder({ name: "Production" })).toMatchObject(refusal);
    expect(await moveVmsToFolder({ uids: [vmUid], folder: "Production" })).toMatchObject(refusal);
    expect(await createFolder({ name: "Mine", datacenter: "dc-test", type: "host" })).toMatchObject(refusal);
    expect(await moveClusterToFolder({ name: CLUSTER, folder: "Racks" })).toMatchObject(refusal);
    expect(await snapshot()).toEqual(before);
  });

  it("refuse an operator's hostile input by field and rule, changing nothing", async () => {
    request.headers = operator;
    const before = await snapshot();
    expect(await createFolder({ name: "..\\etc", datacenter: "dc-test" })).toMatchObject({ validationErrors: { fieldErrors: { name: ["Folder name must not contain / \\ or %."] } } });
    expect(await moveVmsToFolder({ uids: Array.from({ length: 501 }, () => vmUid), folder: "Production" })).toMatchObject({ validationErrors: { fieldErrors: { uids: ["at most 500 VMs at once"] } } });
    expect(await moveVmsToFolder({ uids: ["not-a-uid"], folder: "Production" })).toMatchObject({ validationErrors: expect.anything() });
    expect(await moveFolder({ name: "Production", destination: "Production" })).toMatchObject({ serverError: { message: 'Folder "Production" cannot be moved into itself.', field: "destination" } });
    expect(await renameFolder({ name: "Production", newName: "Other", expectedResourceVersion: "1" })).toMatchObject({ data: { status: "conflict" } });
    expect(await moveVmsToFolder({ uids: [vmUid], folder: "Nowhere" })).toMatchObject({ serverError: { field: "folder", message: 'Folder "Nowhere" does not exist.' } });
    expect(await createFolder({ name: "Pods", datacenter: "dc-test", type: "storage" as "host" })).toMatchObject({ validationErrors: { fieldErrors: { type: ['must be "vm" (a VM and Template folder) or "host" (a Host and Cluster folder)'] } } });
    expect(await moveClusterToFolder({ name: CLUSTER, folder: "Production" })).toMatchObject({
      serverError: { field: "folder", message: 'Folder "Production" is a VM folder: it holds VMs and VM folders, not clusters.' },
    });
    expect(await moveVmsToFolder({ uids: [vmUid], folder: "Racks" })).toMatchObject({ serverError: { field: "folder", message: 'Folder "Racks" is a host folder: it holds clusters and host folders, not VMs.' } });
    expect(await moveClusterToFolder({ name: CLUSTER, folder: "Racks", expectedResourceVersion: "1" })).toMatchObject({ data: { status: "conflict" } });
    expect(await snapshot()).toEqual(before);
  });

  it("let a developer with edit on a folder operate its VMs but not give anyone, themselves included, more", async () => {
    request.headers = operator;
    const version = async () => String((await harness.pool.query(`SELECT resource_version FROM resources WHERE kind = 'Folder' AND name = 'Production'`)).rows[0].resource_version);
    expect(await setFolderPermissions({ name: "Production", permissions: [{ kind: "User", name: "devon", role: "edit" }], expectedResourceVersion: await version() })).toMatchObject({ data: { status: "saved" } });
    const before = await snapshot();
    request.headers = developer;
    expect(await setFolderPermissions({ name: "Production", permissions: [{ kind: "User", name: "devon", role: "owner" }], expectedResourceVersion: await version() })).toMatchObject({
      serverError: { message: "Only owners of folder Production, administrators and operators can change who may use it." },
    });
    expect(await moveVmsToFolder({ uids: [vmUid], folder: "Production" })).toMatchObject({ serverError: { message: "Only administrators and operators can operate the inventory." } });
    // Hostile shapes are refused by the schema before anything is read.
    expect(await setFolderPermissions({ name: "Production", permissions: [{ kind: "ServiceAccount", name: "default", role: "owner" } as unknown as { kind: "User"; name: string; role: "owner" }], expectedResourceVersion: await version() })).toMatchObject({ validationErrors: expect.anything() });
    expect(await setFolderPermissions({ name: "Production", permissions: Array.from({ length: 201 }, (_, index) => ({ kind: "User", name: `u${index}`, role: "view" })), expectedResourceVersion: await version() })).toMatchObject({ validationErrors: expect.anything() });
    expect(await snapshot()).toEqual(before);
  });
});
