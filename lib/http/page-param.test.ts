// The console's paged route handlers read `page` through one parser: a page that names no page
// (1e20 used to reach SQL's OFFSET and answer 500) is refused with the param and the rule, and
// every real page still answers.
import { beforeAll, describe, expect, it, vi } from "vitest";
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
