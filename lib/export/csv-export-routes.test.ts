// The CSV export routes (GET /api/lists/<list>/export, /api/events/export, an object's
// /events/export and /tasks/export) against the real database and real sessions: a developer
// exports only what their list shows; every page of the current filter and sort; a param the
// route cannot honour is refused with 400 naming it; rows are read a chunk at a time and reading
// stops when the client goes away; hostile text cannot become a formula, and hostile params never
// fail the server.
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { actorForUser, readAccessScope } from "@/lib/auth/authorize";
import { cursorRows } from "@/lib/db/cursor-rows";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createTask, recordEvent } from "@/lib/engine/activity";
import { insertObject } from "@/lib/engine/object-store";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { csvDownload, EXPORT_CONCURRENCY, EXPORT_IDLE_MS } from "@/lib/export/csv-response";
import { parseListParams } from "@/lib/inventory/list-definitions";
import { readListPage } from "@/lib/inventory/object-lists";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { hostileKey, hostileScalar } from "@/lib/testing/hostile-input";
import { readCsv } from "@/lib/testing/read-csv";
import { signedInUsers } from "@/lib/testing/test-auth";

// Route handlers read the session from the request's headers, which outside Next.js we supply (the session behind them is real).
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "export-password";
const sessions: Record<string, Headers> = {};

beforeAll(async () => {
  await seedDemoInventory(prisma);
  Object.assign(sessions, await signedInUsers(PASSWORD, [["admin", "administrator"], ["dev", "developer"]]));
  await seedDemoAccess(prisma);
  // More VMs than one page holds, half of them powered off, so "every page" and the power filter show.
  for (let index = 0; index < 80; index++) {
    await insertObject(getPool(), {
      apiVersion: KIND_API_VERSIONS.VirtualMachine,
      kind: "VirtualMachine",
      namespace: index % 2 ? "web-team" : "ml-team",
      name: `bulk-${String(index).padStart(3, "0")}`,
      spec: { className: "best-effort-small" },
      status: { powerState: index % 4 < 2 ? "PoweredOn" : "PoweredOff", hardware: { cpus: 2, memoryMiB: 4096 } },
    });
  }
});

const listRoute = () => import("@/app/api/lists/[list]/export/route");

async function exportList(username: string, list: string, query: string): Promise<Response> {
  request.headers = sessions[username]!;
  return (await listRoute()).GET(new Request(`http://skylight.test/api/lists/${list}/export${query}`), { params: Promise.resolve({ list }) });
}

async function exportEvents(username: string, query: string): Promise<Response> {
  request.headers = sessions[username]!;
  const route = await import("@/app/api/events/export/route");
  return route.GET(new Request(`http://skylight.test/api/events/export${query}`), { params: Promise.resolve({}) });
}

async function rowsOf(response: Response): Promise<string[][]> {
  expect(response.status, await response.clone().text()).toBe(200);
  return readCsv(await response.text());
}

const uidOf = async (kind: string, name: string, namespace = "") =>
  (await getPool().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = $1 AND name = $2 AND namespace = $3`, [kind, name, namespace])).rows[0]!.uid;

describe("GET /api/lists/<list>/export", () => {
  it("writes a header and every row of the filter and sort, all pages, as a dated CSV attachment in UTF-8", async () => {
    const response = await exportList("admin", "vms", "?q=bulk&sort=namespace&dir=desc&columns=name,namespace,memoryMiB");
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="vms-${new Date().toISOString().slice(0, 10)}.csv"`);
    const [header, ...rows] = await rowsOf(response);
    expect(header).toEqual(["Name", "Namespace", "Memory (MiB)"]);
    const admin = await readAccessScope((await actorForUser((await prisma.user.findFirstOrThrow({ where: { username: "admin" } })).id))!);
    const everyPage = await readListPage("vms", parseListParams("vms", { q: "bulk", sort: "namespace", dir: "desc", size: "200" }), admin);
    expect(everyPage!.total).toBe(80);
    expect(rows.map((row) => row[0])).toEqual(everyPage!.rows.map((row) => row.name));
    expect(rows.map((row) => row[1])).toEqual([...Array(40).fill("web-team"), ...Array(40).fill("ml-team")]);
    expect(new Set(rows.map((row) => row[2]))).toEqual(new Set(["4096"]));
  });

  it("exports the list's default columns when none are named, and honours the power filter", async () => {
    const [header, ...rows] = await rowsOf(await exportList("admin", "vms", "?power=PoweredOff"));
    expect(header).toEqual(["Name", "State", "Status", "Host", "Cluster", "Namespace", "IP Address", "VM Class", "CPUs", "Memory (MiB)"]);
    expect(rows.length).toBe(40);
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(["PoweredOff"]));
  });

  it("gives a developer only the VMs of their namespaces, and not a list scoped to a namespace they cannot see", async () => {
    const [, ...rows] = await rowsOf(await exportList("dev", "vms", "?columns=name,namespace"));
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(["web-team", "data-team"]));
    expect(rows.length).toBe(20 + 20 + 40);
    const [, ...all] = await rowsOf(await exportList("admin", "vms", "?columns=name,namespace"));
    expect(all.some((row) => row[1] === "ml-team")).toBe(true);

    const mlTeam = await uidOf("Namespace", "ml-team");
    const refused = await exportList("dev", "vms", `?scope=${mlTeam}`);
    expect(refused.status).toBe(404);
    const [, ...own] = await rowsOf(await exportList("dev", "vms", `?scope=${await uidOf("Namespace", "web-team")}&columns=name,namespace`));
    expect(own.length).toBe(20 + 40);
    expect(new Set(own.map((row) => row[1]))).toEqual(new Set(["web-team"]));
    const [, ...hosts] = await rowsOf(await exportList("dev", "hosts", ""));
    expect(hosts).toEqual([]);
  });

  it("refuses a param it cannot honour with 400, naming the param and the rule", async () => {
    const cases: [query: string, param: string][] = [
      ["?sort=secret", "sort"],
      ["?sort=status", "sort"],
      ["?dir=up", "dir"],
      ["?power=On", "power"],
      ["?columns=name,spec", "columns"],
      ["?scope=not-a-uid", "scope"],
      ["?q=" + "x".repeat(201), "q"],
      ["?page=2", "page"],
      ["?q=a&q=b", "q"],
    ];
    for (const [query, param] of cases) {
      const refused = await exportList("admin", "vms", query);
      expect([query, refused.status]).toEqual([query, 400]);
      expect((await refused.json()).error.message, query).toContain(`"${param}"`);
    }
    // A name every object inherits is no parameter of the route either.
    const inherited = await exportList("admin", "vms", "?toString=1");
    expect(inherited.status).toBe(400);
    expect((await inherited.json()).error.message).toMatch(/^Unknown parameter "toString"/);
    expect((await exportList("admin", "secrets", "")).status).toBe(404);
    expect((await rowsOf(await exportList("admin", "vms", "?sort=memoryMiB&dir=desc"))).length).toBe(141);
  });

  it("refuses an anonymous caller", async () => {
    request.headers = new Headers();
    const response = await (await listRoute()).GET(new Request("http://skylight.test/api/lists/vms/export"), { params: Promise.resolve({ list: "vms" }) });
    expect(response.status).toBe(401);
  });
});

describe("GET /api/events/export and an object's events and tasks", () => {
  it("exports the filtered events, guards hostile text against formulas, and shows a developer only their namespaces' events", async () => {
    const web = { kind: "VirtualMachine" as const, namespace: "web-team", name: "web-01", uid: await uidOf("VirtualMachine", "web-01", "web-team") };
    const ml = { kind: "VirtualMachine" as const, namespace: "ml-team", name: "db-03", uid: await uidOf("VirtualMachine", "db-03", "ml-team") };
    await recordEvent(getPool(), { reason: "ExportProbe", message: '=HYPERLINK("http://evil.example","click")', object: web, severity: "warning", actor: "dev" });
    await recordEvent(getPool(), { reason: "ExportProbe", message: "@SUM(1+1), quoted \"text\"", object: ml, severity: "warning" });
    await recordEvent(getPool(), { reason: "OtherReason", message: "not this one", object: web, severity: "warning" });

    const [header, ...rows] = await rowsOf(await exportEvents("admin", "?type=ExportProbe&severity=warning"));
    expect(header).toEqual(["Time (UTC)", "Severity", "Object Kind", "Object", "Description", "Event Type", "User", "Task ID"]);
    expect(rows.map((row) => [row[3], row[4], row[5], row[6]])).toEqual([
      ["ml-team/db-03", "'@SUM(1+1), quoted \"text\"", "ExportProbe", "System"],
      ["web-team/web-01", "'=HYPERLINK(\"http://evil.example\",\"click\")", "ExportProbe", "dev"],
    ]);
    // The global Events view is the whole inventory's, for administrators and operators; so is its export.
    expect((await exportEvents("dev", "?type=ExportProbe")).status).toBe(403);

    for (const [query, param] of [["?severity=fatal", "severity"], ["?from=yesterday", "from"], ["?uid=x", "uid"]] as const) {
      const refused = await exportEvents("admin", query);
      expect([query, refused.status]).toEqual([query, 400]);
      expect((await refused.json()).error.message).toContain(`"${param}"`);
    }

    request.headers = sessions.dev!;
    const objectEvents = await import("@/app/api/objects/[uid]/events/export/route");
    const own = await objectEvents.GET(new Request(`http://skylight.test/api/objects/${web.uid}/events/export?type=ExportProbe`), { params: Promise.resolve({ uid: web.uid }) });
    expect((await rowsOf(own)).slice(1).map((row) => row[4])).toEqual(["'=HYPERLINK(\"http://evil.example\",\"click\")"]);
    const foreign = await objectEvents.GET(new Request(`http://skylight.test/api/objects/${ml.uid}/events/export`), { params: Promise.resolve({ uid: ml.uid }) });
    expect(foreign.status).toBe(404);
  });

  it("exports an object's tasks, newest first, and refuses a developer another namespace's", async () => {
    const web = { kind: "VirtualMachine" as const, namespace: "web-team", name: "api-02", uid: await uidOf("VirtualMachine", "api-02", "web-team") };
    await createTask(getPool(), { operation: "PowerOff", description: "Power Off virtual machine", target: web, initiator: "dev" });
    await createTask(getPool(), { operation: "PowerOn", description: "Power On virtual machine", target: web, initiator: "-dev" });
    request.headers = sessions.dev!;
    const tasks = await import("@/app/api/objects/[uid]/tasks/export/route");
    const [header, ...rows] = await rowsOf(await tasks.GET(new Request(`http://skylight.test/api/objects/${web.uid}/tasks/export`), { params: Promise.resolve({ uid: web.uid }) }));
    expect(header![0]).toBe("Task Name");
    expect(rows.map((row) => [row[0], row[1], row[4]])).toEqual([
      ["Power On virtual machine", "queued", "'-dev"],
      ["Power Off virtual machine", "queued", "dev"],
    ]);
    const refused = await tasks.GET(new Request(`http://skylight.test/api/objects/${web.uid}/tasks/export?page=2`), { params: Promise.resolve({ uid: web.uid }) });
    expect(refused.status).toBe(400);
    const ml = await uidOf("VirtualMachine", "db-03", "ml-team");
    expect((await tasks.GET(new Request(`http://skylight.test/api/objects/${ml}/tasks/export`), { params: Promise.resolve({ uid: ml }) })).status).toBe(404);
  });
});

describe("hostile params", () => {
  it("are refused by name or honoured, never failing the server, for an administrator and a developer", async () => {
    const names = fc.oneof(
      fc.constantFrom("q", "sort", "dir", "power", "namespace", "scope", "columns", "severity", "type", "object", "user", "from", "to"),
      hostileKey,
    );
    const values = fc.oneof(
      hostileScalar.map((value) => String(value)),
      fc.constantFrom("name", "desc", "name,spec", "name,,host", "name,".repeat(40), "status", "00000000-0000-0000-0000-000000000000", "0000-01-01T00:00:00Z", "%", "_", "\\"),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("admin", "dev"), fc.constantFrom("vms", "hosts", "pods", "events"), fc.array(fc.tuple(names, values), { maxLength: 4 }), async (username, target, params) => {
        const query = `?${new URLSearchParams(params)}`;
        const response = target === "events" ? await exportEvents(username, query) : await exportList(username, target, query);
        // 403: the whole inventory's events are not a developer's; 422: text PostgreSQL cannot store.
        expect([200, 400, 403, 404, 422], `${username} ${target}${query}: ${await response.clone().text()}`).toContain(response.status);
        if (response.status === 403) expect([username, target]).toEqual(["dev", "events"]);
        await response.body?.cancel();
      }),
      { numRuns: 150 },
    );
  });
});

describe("streaming", () => {
  const openCursors = async () =>
    (await getPool().query<{ count: number }>(`SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'FETCH FORWARD%' AND state = 'idle in transaction'`)).rows[0]!.count;

  it("reads rows a chunk at a time through a cursor, in order, and closes it when the reader stops early", async () => {
    const sql = `SELECT name FROM resources WHERE kind = 'VirtualMachine' ORDER BY name, uid`;
    const all = (await getPool().query<{ name: string }>(sql)).rows.map((row) => row.name);
    const chunks: string[][] = [];
    for await (const rows of cursorRows<{ name: string }>(sql, [], 7)) chunks.push(rows.map((row) => row.name));
    expect(chunks.length).toBe(Math.ceil(all.length / 7));
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 7)).toBe(true);
    expect(chunks.flat()).toEqual(all);

    const before = await openCursors();
    for await (const rows of cursorRows<{ name: string }>(sql, [], 7)) {
      expect(rows.length).toBe(7);
      expect(await openCursors()).toBe(before + 1);
      break;
    }
    expect(await openCursors()).toBe(before);
  });

  it("writes chunk by chunk as the client reads, stops at the row cap, and stops reading when the client goes away", async () => {
    let pulled = 0;
    let closed = false;
    async function* chunks() {
      try {
        for (let chunk = 0; chunk < 1_000; chunk++) {
          pulled++;
          yield Array.from({ length: 10 }, (_, row) => [`row-${chunk * 10 + row}`]);
        }
      } finally {
        closed = true;
      }
    }
    const client = new AbortController();
    const response = await csvDownload({ subject: "probe", header: ["Name"], chunks: chunks(), signal: client.signal });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    expect(pulled).toBeLessThan(5);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(closed).toBe(true);
    expect(pulled).toBeLessThan(5);

    const capped = await csvDownload({ subject: "probe", header: ["Name"], chunks: chunks(), signal: new AbortController().signal, rowCap: 25 });
    const rows = readCsv(await capped.text());
    expect(rows.length).toBe(26);
    expect(rows.at(-1)).toEqual(["row-24"]);
  });

  it(`runs at most ${EXPORT_CONCURRENCY} exports at once, refusing more with 503 until one ends`, async () => {
    const open = await Promise.all(Array.from({ length: EXPORT_CONCURRENCY }, () => exportList("admin", "vms", "")));
    const refused = await exportList("admin", "vms", "");
    expect(refused.status).toBe(503);
    expect((await refused.json()).error.message).toBe(`${EXPORT_CONCURRENCY} exports are running already; try again when one has finished.`);
    await open[0]!.body!.cancel();
    expect((await rowsOf(await exportList("admin", "vms", "?columns=name"))).length).toBe(141);
    await Promise.all(open.slice(1).map((response) => response.text()));
  });

  it("gives up a download the client stopped reading, freeing its place and its cursor", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const before = await openCursors();
      const stalled = await exportList("admin", "vms", "");
      expect(await openCursors()).toBe(before + 1);
      vi.advanceTimersByTime(EXPORT_IDLE_MS);
      await vi.waitFor(async () => expect(await openCursors()).toBe(before));
      const [, ...rows] = readCsv(await stalled.text());
      expect(rows).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("stops reading the database when the request is aborted mid-export", async () => {
    const client = new AbortController();
    request.headers = sessions.admin!;
    const route = await listRoute();
    const before = await openCursors();
    const response = await route.GET(new Request("http://skylight.test/api/lists/vms/export", { signal: client.signal }), { params: Promise.resolve({ list: "vms" }) });
    expect(await openCursors()).toBe(before + 1);
    client.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await openCursors()).toBe(before);
    await response.body?.cancel().catch(() => undefined);
  });
});
