import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { accessChangesReady, onAccessChange, type AccessChange } from "@/lib/auth/access-changes";
import type { Actor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createApiToken, revokeApiToken } from "@/lib/kube/api-tokens";
import { signInAs } from "@/lib/testing/test-auth";
import { getAuth } from "@/lib/auth/auth";
import { createGroup, setGroupMembers } from "@/lib/users/group-admin";
import { createUser, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/users/user-admin";

let administrator: Actor;
let userId: string;
let heard: AccessChange[] = [];
let stopListening = () => {};

beforeAll(async () => {
  administrator = { id: (await createUser("system", { username: "root", name: "Root", role: "administrator", password: "root-password" })).id, role: "administrator" };
  userId = (await createUser("system", { username: "tess", name: "Tess", role: "developer", password: "tess-password" })).id;
  stopListening = onAccessChange((change) => heard.push(change));
  await accessChangesReady();
});

afterEach(() => {
  heard = [];
});

/** The changes heard within a moment of `change` committing. */
async function changesAfter(change: () => Promise<unknown>): Promise<AccessChange[]> {
  heard = [];
  await change();
  await new Promise((resolve) => setTimeout(resolve, 300));
  return heard;
}

describe("access change notices", () => {
  it.each([
    ["a role change", () => setUserRole(administrator, { userId, role: "operator" })],
    ["disabling a user", () => setUserDisabled(administrator, { userId, disabled: true })],
    ["enabling a user", () => setUserDisabled(administrator, { userId, disabled: false })],
    ["a password reset", () => resetUserPassword(administrator, { userId, password: "tess-new-password" })],
    ["signing out", async () => getAuth().api.signOut({ headers: await signInAs("tess", "tess-new-password") })],
    ["revoking an API token", async () => revokeApiToken(getPool(), { id: (await createApiToken(getPool(), { userId, name: "laptop" })).id })],
    ["joining a group", async () => setGroupMembers(administrator, { groupId: (await createGroup(administrator, { name: "testers" })).id, usernames: ["tess"] })],
  ])("name the user after %s", async (_change, change) => {
    expect(await changesAfter(change)).toContainEqual({ userIds: [userId] });
  });

  it("concern anyone when a namespace's permissions change", async () => {
    await prisma.resource.create({ data: { apiVersion: "v1", kind: "Namespace", name: "access-test", spec: { cluster: "c", permissions: [] }, status: {} } });
    const changes = await changesAfter(() =>
      getPool().query(`UPDATE resources SET spec = jsonb_set(spec, '{permissions}', '[{"kind":"User","name":"tess","role":"view"}]') WHERE name = 'access-test'`),
    );
    expect(changes).toEqual([{ userIds: null }]);
  });

  it("concern anyone when a folder's permissions or place change, or a VM changes folder", async () => {
    const folder = await prisma.resource.create({ data: { apiVersion: "skylight.io/v1alpha1", kind: "Folder", name: "access-folder", spec: { datacenter: "dc", parent: null, permissions: [] }, status: {} } });
    await prisma.resource.create({ data: { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "access-test", name: "access-vm", spec: {}, status: {} } });
    expect(await changesAfter(() => getPool().query(`UPDATE resources SET spec = jsonb_set(spec, '{permissions}', '[{"kind":"User","name":"tess","role":"view"}]') WHERE name = 'access-folder'`))).toEqual([{ userIds: null }]);
    expect(await changesAfter(() => getPool().query(`UPDATE resources SET spec = jsonb_set(spec, '{parent}', to_jsonb(gen_random_uuid()::text)) WHERE name = 'access-folder'`))).toEqual([{ userIds: null }]);
    expect(await changesAfter(() => getPool().query(`UPDATE resources SET labels = jsonb_build_object('skylight.io/folder', $1::text) WHERE name = 'access-vm'`, [folder.uid]))).toEqual([{ userIds: null }]);
    expect(await changesAfter(() => getPool().query(`UPDATE resources SET labels = labels || '{"app":"web"}' WHERE name = 'access-vm'`))).toEqual([]);
    expect(await changesAfter(() => getPool().query(`DELETE FROM resources WHERE name = 'access-folder'`))).toEqual([{ userIds: null }]);
  });

  it("are not sent for changes that leave access as it was", async () => {
    expect(await changesAfter(() => prisma.user.update({ where: { id: userId }, data: { name: "Tess T." } }))).toEqual([]);
    expect(await changesAfter(() => getPool().query(`UPDATE resources SET spec = jsonb_set(spec, '{note}', '"x"') WHERE name = 'access-test'`))).toEqual([]);
    expect(await changesAfter(() => signInAs("tess", "tess-new-password"))).toEqual([]);
  });

  it("stop reaching a listener once it unsubscribes", async () => {
    stopListening();
    expect(await changesAfter(() => setUserRole(administrator, { userId, role: "developer" }))).toEqual([]);
  });
});
