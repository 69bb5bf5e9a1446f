// The Tags & Custom Attributes server actions as the browser calls them, signed in for real: who
// may do what, a rule broken naming its field, a stale edit answered as a conflict, and a bulk
// assignment past its bound refused before anything is written.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { assignTag } from "@/lib/actions/tags/assign-tag";
import { saveTag } from "@/lib/actions/tags/save-tag";
import { saveTagCategory } from "@/lib/actions/tags/save-tag-category";
import { setCustomAttributeValue } from "@/lib/actions/tags/set-custom-attribute-value";
import { saveCustomAttribute } from "@/lib/actions/tags/save-custom-attribute";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { seedDemoInventory } from "@/lib/seed/demo-inventory";
import { signedInUsers } from "@/lib/testing/test-auth";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "tag-actions-password";
const sessions: Record<string, Headers> = {};
const as = (username: string) => {
  request.headers = sessions[username]!;
};
let vm: string;

beforeAll(async () => {
  await seedDemoInventory(prisma);
  Object.assign(sessions, await signedInUsers(PASSWORD, [["admin", "administrator"], ["olivia", "operator"], ["dev", "developer"]]));
  vm = (await getPool().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' ORDER BY name LIMIT 1`)).rows[0]!.uid;
});

const category = { name: "Environment", description: "", cardinality: "single" as const, objectKinds: ["VirtualMachine" as const] };

describe("tag actions", () => {
  it("let administrators manage the catalogue and operators assign; a developer and an operator are refused where they may not act", async () => {
    as("olivia");
    expect((await saveTagCategory(category))?.serverError?.message).toBe("Only administrators can create, edit and delete tag categories, tags and custom attributes.");
    as("admin");
    expect((await saveTagCategory({ ...category, name: "Env\nironment" }))?.validationErrors?.fieldErrors).toEqual({ name: ["must not contain control characters"] });
    expect((await saveTagCategory({ ...category, name: "x".repeat(10_000) }))?.validationErrors?.fieldErrors).toEqual({ name: ["must be at most 80 characters"] });
    const created = (await saveTagCategory(category))!.data!;
    expect(created.status).toBe("saved");
    const { id: categoryId, version } = created as { id: string; version: number };
    expect((await saveTagCategory({ id: categoryId, expectedVersion: version, ...category, description: "Where it runs" }))?.data?.status).toBe("saved");
    const stale = await saveTagCategory({ id: categoryId, expectedVersion: version, ...category, cardinality: "multiple" });
    expect(stale?.data).toEqual({ status: "conflict", message: 'Tag category "Environment" was changed by someone else since you opened it. Reload to see the current state, then try again.' });
    expect((await saveTag({ categoryId: "00000000-0000-4000-8000-000000000000", name: "prod", description: "" }))?.serverError).toEqual({ field: "categoryId", message: "categoryId names no tag category: it may have been deleted." });
    const tag = (await saveTag({ categoryId, name: "prod", description: "" }))!.data as { id: string };

    as("dev");
    expect((await assignTag({ tagId: tag.id, uids: [vm] }))?.serverError?.message).toBe("Only administrators and operators can operate the inventory.");
    as("olivia");
    expect((await assignTag({ tagId: tag.id, uids: [vm] }))?.data).toEqual({ assigned: 1, unchanged: 0, notFound: 0 });
    const tooMany = await assignTag({ tagId: tag.id, uids: Array.from({ length: 1001 }, () => vm) });
    expect(tooMany?.validationErrors?.fieldErrors.uids).toEqual(["must name at most 1,000 objects"]);

    as("admin");
    const owner = (await saveCustomAttribute({ name: "Owner", objectKind: null }))!.data as { id: string };
    as("dev");
    expect((await setCustomAttributeValue({ attributeId: owner.id, uid: vm, value: "dev", expectedValue: null }))?.serverError?.message).toBe("Only administrators and operators can operate the inventory.");
    as("olivia");
    expect((await setCustomAttributeValue({ attributeId: owner.id, uid: vm, value: "x".repeat(1025), expectedValue: null }))?.validationErrors?.fieldErrors.value).toEqual(["must be at most 1,024 characters"]);
    expect((await setCustomAttributeValue({ attributeId: owner.id, uid: vm, value: "olivia", expectedValue: null }))?.data).toEqual({ status: "saved" });
    expect((await setCustomAttributeValue({ attributeId: owner.id, uid: vm, value: "someone else", expectedValue: null }))?.data?.status).toBe("conflict");
    const rows = await getPool().query(`SELECT value FROM custom_attribute_values`);
    expect(rows.rows).toEqual([{ value: "olivia" }]);
  });
});
