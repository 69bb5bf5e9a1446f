// The console's search params: paged route handlers read `page` through one parser (1e20 used to
// reach SQL's OFFSET and answer 500); text PostgreSQL cannot store is refused by every route
// handler and, for pages, by the proxy; a timestamp before year 1 is ignored like any malformed
// one. Each is refused with the param's name, and every real value still answers.
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { proxy } from "@/proxy";
import { getPool } from "@/lib/db/pool";
import { insertObject } from "@/lib/engine/object-store";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

// Route handlers read the session from the request's headers, which outside Next.js we supply (the session behind them is real).
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

let uid: string;

beforeAll(async () => {
  await createUser("system", { username: "pager", name: "pager", role: "administrator", password: "pager-password" });
  request.headers = await signInAs("pager", "pager-password");
  uid = (await insertObject(getPool(), { apiVersion: KIND_API_VERSIONS.Datacenter, kind: "Datacenter", namespace: "", name: "dc-paged", spec: {} })).uid;
});

describe("?page= on the console's paged route handlers", () => {
  it("refuses a page that names no page, naming the param, and serves every real one", async () => {
    const events = await import("@/app/api/events/route");
    const objectEvents = await import("@/app/api/objects/[uid]/events/route");
    const objectTasks = await import("@/app/api/objects/[uid]/tasks/route");
    const context = { params: Promise.resolve({ uid }) };
    const routes = [
      (query: string) => events.GET(new Request(`http://skylight.test/api/events${query}`), { params: Promise.resolve({}) }),
      (query: string) => objectEvents.GET(new Request(`http://skylight.test/api/objects/${uid}/events${query}`), context),
      (query: string) => objectTasks.GET(new Request(`http://skylight.test/api/objects/${uid}/tasks${query}`), context),
    ];
    for (const route of routes) {
      for (const page of ["1e20", "0", "-1", "1.5", "abc", "1000001"]) {
        const refused = await route(`?page=${page}`);
        expect([page, refused.status]).toEqual([page, 422]);
        expect((await refused.json()).error.message).toBe("page must be a whole number from 1 to 1000000.");
      }
      for (const query of ["", "?page=1", "?page=2", "?page=1000000"]) expect([query, (await route(query)).status]).toEqual([query, 200]);
    }
  });
});

describe("text and timestamps in the console's search params", () => {
  // (A URL cannot carry half a surrogate pair: its UTF-8 decodes to U+FFFD. A NUL it can.)
  it("refuses a NUL character in any param of a route handler or a page, naming the param", async () => {
    const events = await import("@/app/api/events/route");
    const search = await import("@/app/api/search/route");
    for (const [route, query, param] of [
      [events.GET, "type=%00", "type"],
      [events.GET, "object=a%00b", "object"],
      [search.GET, "q=%00", "q"],
      [search.GET, "limit=5&q=x%00", "q"],
    ] as const) {
      const refused = await route(new Request(`http://skylight.test/api/x?${query}`), { params: Promise.resolve({}) });
      expect([query, refused.status]).toEqual([query, 422]);
      expect((await refused.json()).error.message).toBe(`${param} must not contain a NUL character or half of a surrogate pair.`);
    }
    expect((await search.GET(new Request("http://skylight.test/api/search?q=web"), { params: Promise.resolve({}) })).status).toBe(200);

    const page = proxy(new NextRequest("http://skylight.test/vms?q=%00"));
    expect(page.status).toBe(400);
    expect(await page.text()).toBe("The search parameter q contains a NUL character or half of a surrogate pair.");
    expect(proxy(new NextRequest("http://skylight.test/vms?q=web")).status).toBe(200);
  });

  it("ignores a timestamp PostgreSQL cannot hold, as any malformed one, instead of failing", async () => {
    const events = await import("@/app/api/events/route");
    const performance = await import("@/app/api/objects/[uid]/performance/route");
    for (const query of ["from=0000-01-01T00:00:00Z", "to=0000-12-31T23:59:59Z"]) {
      expect([query, (await events.GET(new Request(`http://skylight.test/api/events?${query}`), { params: Promise.resolve({}) })).status]).toEqual([query, 200]);
    }
    const custom = await performance.GET(new Request(`http://skylight.test/api/objects/${uid}/performance?range=custom&from=0000-01-01T00:00:00Z&to=0001-01-01T00:00:00Z`), { params: Promise.resolve({ uid }) });
    expect(custom.status).toBe(422);
    expect((await custom.json()).error.message).toBe("A custom range needs a start before its end.");
  });
});
