// Property-based: every server action (each "use server" module under lib/actions), called the way
// the browser calls it, with generated hostile input (lib/testing/hostile-input.ts): prototype keys
// at any depth, huge and fractional numbers, wrong types, unstorable and long strings, deep
// nesting, values JSON has no word for. As an administrator and as a developer with no access,
// whatever is sent: no unexpected server error (the action's 500), no change to the prototypes,
// the developer changes no row they have no right to, and the heap stays bounded. Runs for a
// bounded time; a failure prints fast-check's seed and path (replay with FUZZ_SEED).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { heapAfterCollection, hostileScalar, hostileTree, prototypeProperties, toValue, toYaml } from "@/lib/testing/hostile-input";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

// Actions read the session from the request's headers, which outside Next.js we supply (the session behind them is real).
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => request.headers,
  cookies: async () => ({ get: () => undefined, getAll: () => [], set: () => {}, delete: () => {}, has: () => false }),
}));
// Outside a Next.js request there is no cache to revalidate.
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_MS ?? 6_000);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PASSWORD = "fuzz-password";
/** No call may take longer, whatever its input: a few megabytes of YAML once took seconds and gigabytes. */
const MAX_CALL_MS = 3_000;
/** What safe-action.ts answers for an error it did not expect: the action's 500. */
const UNEXPECTED = "Something went wrong on the server";

type Action = (input: unknown) => Promise<{ serverError?: { message: string } } | undefined>;

/** Drawn by name, so a counterexample prints the action's name rather than its code. */
const actionNamed = new Map<string, Action>();

/** Every exported action, by module; signing out is left out, since it would end the session the test acts in. */
async function loadActions(): Promise<void> {
  const root = path.join(import.meta.dirname);
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"));
  for (const file of files.sort()) {
    if (!readFileSync(path.join(root, file), "utf8").startsWith('"use server"') || file === path.join("auth", "sign-out.ts")) continue;
    const exports = (await import(/* @vite-ignore */ path.join(root, file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exports)) if (typeof value === "function") actionNamed.set(`${file}:${name}`, value as Action);
  }
}

let developerId: string;

beforeAll(async () => {
  await seedDemoInventory(prisma);
  await createUser("system", { username: "admin", name: "admin", role: "administrator", password: PASSWORD });
  developerId = (await createUser("system", { username: "eve", name: "eve", role: "developer", password: PASSWORD })).id;
  await seedDemoAccess(prisma);
  await loadActions();
}, 120_000);

/** The names the actions' inputs use, so hostile values reach past the first check. */
const FIELDS = ["name", "namespace", "uid", "uids", "userId", "username", "password", "role", "disabled", "cluster", "limits", "permissions", "groupId", "members", "kind", "yaml", "openedYaml", "operation", "powerOffMode", "className", "cpus", "memoryMiB", "spec", "expectedResourceVersion", "generation", "host", "datastore", "definitionId", "id", "enabled", "view", "columns", "list", "next", "newName", "snapshot", "targets", "drs", "ha", "tagId", "categoryId", "category", "tag", "attribute", "attributeId", "value", "expectedValue", "expectedVersion", "folder", "destination", "parent", "datacenter", "vms", "type", "__proto__", "constructor"];
const REFERENCES = ["Production", "dc-boston", "web-team", "ml-team", "data-team", "web-01", "db-03", "dev-cluster-01", "prod-cluster-01", "esx-01.boston.lab", "VirtualMachine", "Namespace", "powerOff", "owner", "administrator"];
const notJson = fc.constantFrom(undefined, Number.NaN, Number.POSITIVE_INFINITY, -0, 10n, new Date(Number.NaN), new Map([["__proto__", 1]]), new Set([1]));
const value = fc.oneof(
  { weight: 4, arbitrary: hostileTree.map(toValue) },
  { weight: 2, arbitrary: fc.constantFrom(...REFERENCES) },
  { weight: 1, arbitrary: hostileScalar },
  { weight: 1, arbitrary: notJson },
);
/** Mostly an object of the fields actions read ("__proto__" among them, as an own property, as the browser's decoding makes it). */
const actionInput = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(fc.constantFrom(...FIELDS), value), { maxLength: 6 }).map((entries) => Object.fromEntries(entries)) },
  { weight: 1, arbitrary: value },
);

/** YAML for the YAML tab: prototype keys, aliases that multiply, nesting and width past the bounds, or anything. */
const yamlText = fc.oneof(
  fc.constantFrom(
    "apiVersion: vmoperator.vmware.com/v1alpha3\nkind: VirtualMachine\nmetadata:\n  name: web-01\n  namespace: web-team\nspec:\n  __proto__:\n    cpu: 0\n",
    "metadata:\n  labels:\n    constructor:\n      prototype:\n        polluted: yes\n",
    ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, index) => `a${index + 1}: &a${index + 1} [${Array(10).fill(`*a${index}`).join(", ")}]`)].join("\n"),
    `spec: ${"[".repeat(400_000)}`,
    `spec:\n  list:\n${"  - 1\n".repeat(50_000)}`,
  ),
  hostileTree.map(toYaml),
);
const yamlTabInput = fc.record({
  kind: fc.constantFrom("VirtualMachine", "Namespace", "Host"),
  namespace: fc.constantFrom("web-team", "ml-team", ""),
  name: fc.constantFrom("web-01", "db-03", "web-team", "ml-team"),
  openedYaml: yamlText,
  yaml: yamlText,
});

/** What a developer could change: everything but their own preferences, tokens and sessions. */
async function snapshot(): Promise<string> {
  const { rows } = await getPool().query<{ state: string }>(
    `SELECT md5(string_agg(row, ',' ORDER BY row)) AS state FROM (
       SELECT 'r ' || kind || '/' || namespace || '/' || name || '@' || resource_version AS row FROM resources
       UNION ALL SELECT 'tasks ' || count(*) FROM tasks
       UNION ALL SELECT 'events ' || count(*) FROM events
       UNION ALL SELECT 'u ' || u::text FROM (SELECT id, name, username, role, banned FROM users) u
       UNION ALL SELECT 'g ' || g::text FROM user_groups g
       UNION ALL SELECT 'm ' || m::text FROM user_group_members m
       UNION ALL SELECT 't ' || t::text FROM namespace_templates t
       UNION ALL SELECT 'k ' || k.id::text FROM api_tokens k WHERE k.user_id <> $1
       UNION ALL SELECT 'a ' || a::text FROM alarm_definitions a
       UNION ALL SELECT 's ' || s::text FROM alarm_states s
       UNION ALL SELECT 'p ' || p.user_id || p.key || p.value::text FROM user_preferences p WHERE p.user_id <> $1
       UNION ALL SELECT 'sim ' || v::text FROM (SELECT owner_key, power_state FROM sim_vms) v
       UNION ALL SELECT 'tc ' || c::text FROM tag_categories c
       UNION ALL SELECT 'tg ' || t::text FROM tags t
       UNION ALL SELECT 'ta ' || a.tag_id || a.object_uid FROM tag_assignments a
       UNION ALL SELECT 'ca ' || c::text FROM custom_attributes c
       UNION ALL SELECT 'cv ' || v::text FROM custom_attribute_values v
     ) rows`,
    [developerId],
  );
  return rows[0]!.state;
}

const describeInput = (input: unknown) => {
  try {
    return JSON.stringify(input, (_key, item: unknown) => (typeof item === "bigint" ? `${item}n` : item))?.slice(0, 2_000);
  } catch {
    return String(input);
  }
};

async function fuzz(username: string, changesNothing: boolean) {
  request.headers = await signInAs(username, PASSWORD);
  const prototypes = prototypeProperties();
  const heap = heapAfterCollection();
  let calls = 0;
  // The YAML tab's action parses a document of its own, so it is drawn more often.
  const call = fc
    .oneof(...[...actionNamed.keys()].map((name) => ({ weight: name.includes("yaml") ? 8 : 1, arbitrary: fc.constant(name) })))
    .chain((name) => fc.tuple(fc.constant(name), name.includes("yaml") ? fc.oneof(yamlTabInput, actionInput) : actionInput));
  await fc.assert(
    fc.asyncProperty(call, async ([name, input]) => {
      calls++;
      const before = changesNothing ? await snapshot() : "";
      const started = Date.now();
      const result = await actionNamed.get(name)!(input);
      const what = `${name}(${describeInput(input)}) → ${JSON.stringify(result)?.slice(0, 500)}`;
      expect(Date.now() - started, what).toBeLessThan(MAX_CALL_MS);
      expect(result?.serverError?.message ?? "", what).not.toContain(UNEXPECTED);
      expect(prototypeProperties(), what).toEqual(prototypes);
      if (changesNothing) expect(await snapshot(), what).toBe(before);
    }),
    { seed: SEED, numRuns: 100_000, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
  );
  expect(calls).toBeGreaterThan(20);
  expect(heapAfterCollection() - heap).toBeLessThan(64 * 1024 * 1024);
}

describe("hostile input to every server action", () => {
  it("finds the actions", () => expect(actionNamed.size).toBeGreaterThan(40));
  it("a developer with no access: no unexpected error, no prototype touched, nothing changed", () => fuzz("eve", true), TIME_LIMIT_MS + 45_000);
  it("an administrator: no unexpected error, no prototype touched, and the heap stays bounded", () => fuzz("admin", false), TIME_LIMIT_MS + 45_000);
});
