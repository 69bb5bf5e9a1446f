// The Tasks view through its routes (GET /api/tasks/history and /api/tasks/export), with real
// sessions: every task the reader may see, newest first, filtered by status, initiator and target;
// a developer never sees another namespace's tasks or the hosts'; hostile params never fail the server.
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createTask } from "@/lib/engine/activity";
import type { ActivityPage } from "@/lib/inventory/object-activity";
import type { TaskHistoryRow } from "@/lib/inventory/task-history";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { hostileKey, hostileScalar } from "@/lib/testing/hostile-input";
import { readCsv } from "@/lib/testing/read-csv";
import { signedInUsers } from "@/lib/testing/test-auth";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "tasks-password";
const sessions: Record<string, Headers> = {};

const target = async (kind: string, name: string, namespace = "") => ({
  kind: kind as "VirtualMachine",
  namespace,
  name,
  uid: (await getPool().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = $1 AND name = $2 AND namespace = $3`, [kind, name, namespace])).rows[0]!.uid,
});

beforeAll(async () => {
  await seedDemoInventory(prisma);
  Object.assign(sessions, await signedInUsers(PASSWORD, [["admin", "administrator"], ["dev", "developer"]]));
  await seedDemoAccess(prisma);
  const pool = getPool();
  const host = (await pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Host' ORDER BY name LIMIT 1`)).rows[0]!.name;
  const tasks = [
    { operation: "Host.enterMaintenanceMode", description: "Enter maintenance mode", target: await target("Host", host), initiator: "admin", state: "success" },
    { operation: "VirtualMachine.powerOn", description: "Power On virtual machine", target: await target("VirtualMachine", "db-03", "ml-team"), initiator: "admin", state: "error" },
    { operation: "VirtualMachine.powerOff", description: "Power Off virtual machine", target: await target("VirtualMachine", "web-01", "web-team"), initiator: "dev", state: "running" },
    { operation: "VirtualMachine.powerOn", description: "Power On virtual machine", target: await target("VirtualMachine", "api-02", "web-team"), initiator: "admin", state: "success" },
  ] as const;
  // A second apart, after anything the seed queued, so "newest first" has one answer.
  for (const [index, task] of tasks.entries()) {
    const id = await createTask(pool, task);
    await pool.query(`UPDATE tasks SET queued_at = now() + make_interval(secs => $2) WHERE id = $1`, [id, index + 1]);
  }
});

async function history(username: string | null, query = ""): Promise<Response> {
  request.headers = username ? sessions[username]! : new Headers();
  const { GET } = await import("@/app/api/tasks/history/route");
  return GET(new Request(`http://skylight.test/api/tasks/history${query}`), { params: Promise.resolve({}) });
}

async function exported(username: string | null, query = ""): Promise<Response> {
  request.headers = username ? sessions[username]! : new Headers();
  const { GET } = await import("@/app/api/tasks/export/route");
  return GET(new Request(`http://skylight.test/api/tasks/export${query}`), { params: Promise.resolve({}) });
}

const pageOf = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as ActivityPage<TaskHistoryRow>;
};
const targets = (page: ActivityPage<TaskHistoryRow>) => page.rows.map((task) => task.targetName);

describe("the Tasks view", () => {
  it("lists every task to an administrator, newest first, with its target linked while it exists", async () => {
    const page = await pageOf(await history("admin"));
    expect(targets(page).slice(0, 4)).toEqual(["web-team/api-02", "web-team/web-01", "ml-team/db-03", expect.stringMatching(/^esx/)]);
    expect(page.rows[0]).toMatchObject({ targetKind: "VirtualMachine", targetUid: expect.any(String), state: "success", initiator: "admin" });
  });

  it("gives a developer only the tasks of their namespaces: not another team's, not the hosts'", async () => {
    const page = await pageOf(await history("dev"));
    expect(targets(page).sort()).toEqual(["web-team/api-02", "web-team/web-01"]);
    expect(page.total).toBe(2);
  });

  it("filters by status (running includes queued), initiator and target name, where % and _ are plain characters", async () => {
    expect(targets(await pageOf(await history("admin", "?status=failed")))).toEqual(["ml-team/db-03"]);
    expect(targets(await pageOf(await history("admin", "?status=running")))).toEqual(["web-team/web-01"]);
    expect(targets(await pageOf(await history("admin", "?initiator=dev")))).toEqual(["web-team/web-01"]);
    expect(targets(await pageOf(await history("admin", "?target=api&status=completed")))).toEqual(["web-team/api-02"]);
    expect((await pageOf(await history("admin", "?target=%25"))).total).toBe(0);
    // The view forgives a filter it cannot read: it shows everything rather than an error.
    expect((await pageOf(await history("admin", "?status=sideways"))).total).toBeGreaterThanOrEqual(4);
  });

  it("refuses an anonymous caller", async () => {
    expect((await history(null)).status).toBe(401);
    expect((await exported(null)).status).toBe(401);
  });
});

describe("the Tasks export", () => {
  it("writes what the filter keeps and the reader may see, with the target, as CSV", async () => {
    const response = await exported("dev", "?status=running");
    expect(response.status).toBe(200);
    const [header, ...rows] = readCsv(await response.text());
    expect(header).toEqual(["Task Name", "Target Kind", "Target", "Status", "Progress (%)", "Error", "Initiator", "Queued (UTC)", "Completed (UTC)", "Task ID"]);
    expect(rows.map((row) => [row[0], row[1], row[2], row[3], row[6]])).toEqual([["Power Off virtual machine", "VirtualMachine", "web-team/web-01", "running", "dev"]]);
  });

  it("refuses a param it cannot honour with 400, naming it", async () => {
    for (const [query, param] of [["?status=sideways", "status"], ["?page=2", "page"], ["?toString=1", "toString"], ["?target=" + "x".repeat(201), "target"]] as const) {
      const refused = await exported("admin", query);
      expect([query, refused.status]).toEqual([query, 400]);
      expect((await refused.json()).error.message).toContain(`"${param}"`);
    }
  });

  it("answers hostile params with 200 or a refusal, never a server error, for an administrator and a developer", async () => {
    const names = fc.oneof(fc.constantFrom("status", "initiator", "target", "page"), hostileKey);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("admin", "dev"), fc.boolean(), fc.array(fc.tuple(names, hostileScalar.map(String)), { maxLength: 3 }), async (username, asExport, params) => {
        const query = `?${new URLSearchParams(params)}`;
        const response = asExport ? await exported(username, query) : await history(username, query);
        expect([200, 400, 422], `${username} ${asExport ? "export" : "history"}${query}: ${await response.clone().text()}`).toContain(response.status);
        await response.body?.cancel();
      }),
      { numRuns: 80 },
    );
  });
});
