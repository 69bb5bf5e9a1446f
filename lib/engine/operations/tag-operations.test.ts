// Tags & Custom Attributes on the real PostgreSQL, over the demo inventory: the catalogue's rules
// and versions, cardinality, bulk assignment, the lists' tag filter, search by tag, attribute
// values, who may do what, and an object's tags and values leaving with it.
import { beforeAll, describe, expect, it } from "vitest";
import { EVERYTHING } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import {
  assignTag,
  createCustomAttribute,
  createTag,
  createTagCategory,
  deleteCustomAttribute,
  deleteTag,
  deleteTagCategory,
  setCustomAttributeValue,
  unassignTag,
  updateTag,
  updateTagCategory,
} from "@/lib/engine/operations/tag-operations";
import { ConflictError, ForbiddenError, InvalidInputError } from "@/lib/errors";
import { readListExport, readListPage } from "@/lib/inventory/object-lists";
import { parseListParams } from "@/lib/inventory/list-definitions";
import { searchInventory } from "@/lib/inventory/search-reads";
import { readObjectTagging, readTagCatalog } from "@/lib/inventory/tag-reads";
import { seedDemoInventory } from "@/lib/seed/demo-inventory";
import { OPERATOR } from "@/lib/testing/engine-harness";

const ADMIN = { id: "test-admin", username: "admin", role: "administrator" as const };
const DEVELOPER = { id: "test-dev", username: "dev", role: "developer" as const };

let vms: { uid: string; name: string }[];
let host: { uid: string; name: string };

beforeAll(async () => {
  await seedDemoInventory(prisma);
  vms = (await getPool().query<{ uid: string; name: string }>(`SELECT uid::text, name FROM resources WHERE kind = 'VirtualMachine' ORDER BY name`)).rows;
  host = (await getPool().query<{ uid: string; name: string }>(`SELECT uid::text, name FROM resources WHERE kind = 'Host' ORDER BY name LIMIT 1`)).rows[0]!;
});

const environment = { name: "Environment", description: "Where it runs", cardinality: "single" as const, objectKinds: ["VirtualMachine" as const] };
const tagNames = async (uid: string) => (await readObjectTagging(uid)).tags.map((tag) => `${tag.category}: ${tag.name}`);
const vmList = (raw: Record<string, string>) => readListPage("vms", parseListParams("vms", raw), EVERYTHING);

describe("the tag catalogue", () => {
  it("refuses bad names naming the field, duplicates, non-administrators and a stale edit; narrowing One/Many only when nothing breaks", async () => {
    await expect(createTagCategory(ADMIN, { ...environment, name: "Env\u0007ironment" })).rejects.toThrow(new InvalidInputError("name", "name must not contain control characters"));
    await expect(createTagCategory(ADMIN, { ...environment, name: "x".repeat(81) })).rejects.toThrow("name must be at most 80 characters");
    await expect(createTagCategory(ADMIN, { ...environment, objectKinds: ["Pod" as never] })).rejects.toThrow(/^objectKinds must be inventory object types/);
    await expect(createTagCategory(OPERATOR, environment)).rejects.toThrow(ForbiddenError);
    await expect(createTagCategory(DEVELOPER, environment)).rejects.toThrow(ForbiddenError);

    const created = await createTagCategory(ADMIN, { ...environment, name: "Team", cardinality: "multiple" });
    await expect(createTagCategory(ADMIN, { ...environment, name: "team" })).resolves.toBeDefined();
    await expect(createTagCategory(ADMIN, { ...environment, name: "Team" })).rejects.toThrow('A tag category named "Team" already exists.');
    const edited = await updateTagCategory(ADMIN, created.id, created.version, { ...environment, name: "Team", cardinality: "multiple", description: "Who owns it" });
    expect(edited.version).toBe(created.version + 1);
    await expect(updateTagCategory(ADMIN, created.id, created.version, { ...environment, name: "Team" })).rejects.toThrow(ConflictError);

    const web = await createTag(ADMIN, created.id, { name: "web", description: "" });
    const data = await createTag(ADMIN, created.id, { name: "data", description: "" });
    await expect(createTag(ADMIN, created.id, { name: "web", description: "" })).rejects.toThrow(`Category 'Team' already has a tag named "web".`);
    await expect(createTag(OPERATOR, created.id, { name: "ops", description: "" })).rejects.toThrow(ForbiddenError);
    await expect(createTag(ADMIN, "00000000-0000-4000-8000-000000000000", { name: "x", description: "" })).rejects.toThrow(/^categoryId names no tag category/);
    await assignTag(OPERATOR, web.id, [vms[0]!.uid]);
    await assignTag(OPERATOR, data.id, [vms[0]!.uid]);
    await expect(updateTagCategory(ADMIN, created.id, edited.version, { ...environment, name: "Team" })).rejects.toThrow(
      new InvalidInputError("cardinality", `cardinality cannot become One tag: ${vms[0]!.name} holds more than one tag of 'Team'.`),
    );
    await expect(updateTagCategory(ADMIN, created.id, edited.version, { ...environment, name: "Team", cardinality: "multiple", objectKinds: ["Host"] })).rejects.toThrow(
      "objectKinds must keep VirtualMachine: objects of that type hold tags of 'Team'.",
    );
    await expect(updateTag(ADMIN, web.id, web.version + 1, { name: "frontend", description: "" })).rejects.toThrow(ConflictError);

    // Deleting a tag unassigns it; deleting a category takes its tags.
    await deleteTag(ADMIN, { id: data.id, expectedVersion: data.version });
    expect(await tagNames(vms[0]!.uid)).toEqual(["Team: web"]);
    await deleteTagCategory(ADMIN, { id: created.id, expectedVersion: edited.version });
    expect(await tagNames(vms[0]!.uid)).toEqual([]);
    const events = await getPool().query<{ message: string }>(`SELECT message FROM events WHERE reason LIKE 'Tag%' ORDER BY id`);
    expect(events.rows.map((row) => row.message)).toContain("admin deleted tag category 'Team' with 1 tag(s), unassigned from 1 object(s)");
    expect((await readTagCatalog()).categories.map((category) => category.name)).toEqual(["team"]);
  });
});

describe("assigning tags", () => {
  it("keeps One tag per object of a One-tag category, refuses a type the category does not apply to, an unknown tag and a developer", async () => {
    const category = await createTagCategory(ADMIN, environment);
    const prod = await createTag(ADMIN, category.id, { name: "prod", description: "Production" });
    const test = await createTag(ADMIN, category.id, { name: "test", description: "" });
    const vm = vms[1]!;
    expect(await assignTag(OPERATOR, prod.id, [vm.uid])).toEqual({ assigned: 1, unchanged: 0, notFound: 0 });
    expect(await assignTag(OPERATOR, test.id, [vm.uid])).toEqual({ assigned: 1, unchanged: 0, notFound: 0 });
    expect(await tagNames(vm.uid)).toEqual(["Environment: test"]);
    const replaced = await getPool().query<{ message: string }>(`SELECT message FROM events WHERE object_uid = $1 AND reason = 'Tag.assigned' ORDER BY id DESC LIMIT 1`, [vm.uid]);
    expect(replaced.rows[0]!.message).toBe(`olivia assigned tag 'Environment: test' to ${vm.name} (replacing 'prod': One tag per object)`);

    await expect(assignTag(OPERATOR, prod.id, [host.uid])).rejects.toThrow(new InvalidInputError("uids", `Category 'Environment' applies to VirtualMachine: ${host.name} is a Host.`));
    await expect(assignTag(OPERATOR, "00000000-0000-4000-8000-000000000000", [vm.uid])).rejects.toThrow(/^tagId names no tag/);
    await expect(assignTag(DEVELOPER, prod.id, [vm.uid])).rejects.toThrow(ForbiddenError);
    await expect(assignTag(OPERATOR, prod.id, Array.from({ length: 1001 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`))).rejects.toThrow(
      "uids must name 1 to 1,000 objects.",
    );
    expect(await tagNames(vm.uid)).toEqual(["Environment: test"]);

    expect(await unassignTag(OPERATOR, test.id, vm.uid)).toEqual({ removed: true });
    expect(await unassignTag(OPERATOR, test.id, vm.uid)).toEqual({ removed: false });
    await expect(unassignTag(DEVELOPER, test.id, vm.uid)).rejects.toThrow(ForbiddenError);
    expect(await tagNames(vm.uid)).toEqual([]);
  });

  it("assigns one tag to many VMs in one call, then lists, exports and search find them by tag; a deleted VM's tags and values go with it", async () => {
    const category = await createTagCategory(ADMIN, { name: "Tier", description: "", cardinality: "multiple", objectKinds: [] });
    const gold = await createTag(ADMIN, category.id, { name: "gold", description: "" });
    const chosen = vms.slice(0, 30);
    const missing = "00000000-0000-4000-8000-00000000abcd";
    expect(await assignTag(OPERATOR, gold.id, [...chosen.map((vm) => vm.uid), missing])).toEqual({ assigned: 30, unchanged: 0, notFound: 1 });
    expect(await assignTag(OPERATOR, gold.id, [chosen[0]!.uid, host.uid])).toEqual({ assigned: 1, unchanged: 1, notFound: 0 });
    const perObject = await getPool().query(`SELECT 1 FROM events WHERE reason = 'Tag.assigned' AND message LIKE '%''Tier: gold''%'`);
    expect(perObject.rowCount).toBe(31);

    for (const tag of ["Tier:gold", "tier:GOLD", "gold", gold.id]) {
      const page = await vmList({ tag, size: "25" });
      expect(page!.total).toBe(30);
      expect(page!.rows.map((row) => row.name)).toEqual(chosen.slice(0, 25).map((vm) => vm.name));
    }
    expect((await vmList({ tag: "Tier:silver" }))!.total).toBe(0);
    expect((await vmList({ tag: "Environment:gold" }))!.total).toBe(0);
    const hosts = await readListPage("hosts", parseListParams("hosts", { tag: "Tier:gold" }), EVERYTHING);
    expect(hosts!.rows.map((row) => row.name)).toEqual([host.name]);

    const byPrefix = await searchInventory("tag:Tier:gold", 5, EVERYTHING);
    expect(byPrefix.map((group) => [group.kind, group.total])).toEqual([["VirtualMachine", 30], ["Host", 1]]);
    expect(byPrefix[0]!.hits[0]).toMatchObject({ matched: "tag", matchedValue: "Tier:gold" });
    const byName = await searchInventory("gold", 5, EVERYTHING);
    expect(byName.find((group) => group.kind === "VirtualMachine")).toMatchObject({ total: 30 });
    expect(await searchInventory("tag:nothing-tagged", 5, EVERYTHING)).toEqual([]);

    const owner = await createCustomAttribute(ADMIN, { name: "Owner", objectKind: "VirtualMachine" });
    const vm = chosen[2]!;
    await setCustomAttributeValue(OPERATOR, { attributeId: owner.id, uid: vm.uid, value: "olivia@example.com", expectedValue: null });
    await getPool().query(`DELETE FROM resources WHERE uid = $1`, [vm.uid]);
    const left = await getPool().query(
      `SELECT (SELECT count(*) FROM tag_assignments WHERE object_uid = $1)::int AS tags, (SELECT count(*) FROM custom_attribute_values WHERE object_uid = $1)::int AS values`,
      [vm.uid],
    );
    expect(left.rows[0]).toEqual({ tags: 0, values: 0 });
    expect((await vmList({ tag: "Tier:gold" }))!.total).toBe(29);
    // The CSV export reads the same filter.
    const exported = await readListExport("vms", parseListParams("vms", { tag: "Tier:gold" }), EVERYTHING, ["name"], 10);
    let exportedRows = 0;
    for await (const chunk of exported!) exportedRows += chunk.length;
    expect(exportedRows).toBe(29);
  });
});

describe("custom attributes", () => {
  it("sets, changes and clears a value from the value the form opened with; refuses long values, the wrong type, stale edits and a developer", async () => {
    const costCenter = await createCustomAttribute(ADMIN, { name: "Cost center", objectKind: null });
    const backup = await createCustomAttribute(ADMIN, { name: "Backup policy", objectKind: "Host" });
    await expect(createCustomAttribute(ADMIN, { name: "Cost center", objectKind: "Host" })).rejects.toThrow('A custom attribute named "Cost center" already exists.');
    await expect(createCustomAttribute(OPERATOR, { name: "Rack", objectKind: null })).rejects.toThrow(ForbiddenError);
    const vm = vms[40]!;
    const set = (value: string, expectedValue: string | null, actor = OPERATOR, attributeId = costCenter.id) => setCustomAttributeValue(actor, { attributeId, uid: vm.uid, value, expectedValue });

    await set("CC-1001", null);
    await expect(set("CC-2002", null)).rejects.toThrow(ConflictError);
    await set("CC-2002\nshared with finance", "CC-1001");
    await expect(set("x".repeat(1025), "CC-2002\nshared with finance")).rejects.toThrow(new InvalidInputError("value", "value must be at most 1,024 characters"));
    await expect(set("bell\u0007", "CC-2002\nshared with finance")).rejects.toThrow("value must not contain control characters");
    await expect(set("nightly", null, OPERATOR, backup.id)).rejects.toThrow("'Backup policy' is an attribute of Host objects, not of a VirtualMachine.");
    await expect(set("CC-3", "CC-2002\nshared with finance", DEVELOPER)).rejects.toThrow(ForbiddenError);
    const costCenterOf = async () => (await readObjectTagging(vm.uid)).attributes.find((attribute) => attribute.id === costCenter.id);
    expect(await costCenterOf()).toEqual({ id: costCenter.id, name: "Cost center", objectKind: null, value: "CC-2002\nshared with finance" });
    // A Host attribute is not one of a VM's.
    expect((await readObjectTagging(vm.uid)).attributes.map((attribute) => attribute.name)).not.toContain("Backup policy");

    await set("", "CC-2002\nshared with finance");
    expect((await costCenterOf())!.value).toBeNull();
    await set("CC-4", null);
    await deleteCustomAttribute(ADMIN, costCenter.id);
    expect((await readTagCatalog()).attributes.map((attribute) => attribute.name)).not.toContain("Cost center");
    const changes = await getPool().query<{ message: string }>(`SELECT message FROM events WHERE reason LIKE 'CustomAttribute.%' ORDER BY id`);
    expect(changes.rows.map((row) => row.message)).toContain("admin deleted custom attribute 'Cost center' and its value on 1 object(s)");
  });
});
