// Home's trends (GET /api/dashboard/trends) and a host's live heartbeat (GET
// /api/objects/<uid>/heartbeat) through their routes, with real sessions: who may read them, and
// hostile params and ids answered with a refusal, never a server error.
import fc from "fast-check";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { getProvider } from "@/lib/engine/provider-registry";
import { insertObject } from "@/lib/engine/object-store";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { hostileKey, hostileScalar } from "@/lib/testing/hostile-input";
import { signedInUsers } from "@/lib/testing/test-auth";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "trends-password";
const sessions: Record<string, Headers> = {};
let hostUid = "";
let vmUid = "";

beforeAll(async () => {
  await seedDemoInventory(prisma);
  Object.assign(sessions, await signedInUsers(PASSWORD, [["olivia", "operator"], ["dev", "developer"]]));
  await seedDemoAccess(prisma);
  await getProvider().addHost({ name: "beat-esx", cluster: "beat-cluster", cpuCores: 8, cpuMhz: 2600, memoryMiB: 32_768, datastores: [] });
  hostUid = (await insertObject(getPool(), { apiVersion: "skylight.io/v1alpha1", kind: "Host", namespace: "", name: "beat-esx", spec: {} })).uid;
  vmUid = (await insertObject(getPool(), { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "web-team", name: "beat-vm", spec: {} })).uid;
});

async function trends(username: string | null, query: string): Promise<Response> {
  request.headers = username ? sessions[username]! : new Headers();
  const { GET } = await import("@/app/api/dashboard/trends/route");
  return GET(new Request(`http://skylight.test/api/dashboard/trends${query}`), { params: Promise.resolve({}) });
}

async function heartbeat(username: string | null, uid: string): Promise<Response> {
  request.headers = username ? sessions[username]! : new Headers();
  const { GET } = await import("@/app/api/objects/[uid]/heartbeat/route");
  return GET(new Request("http://skylight.test/api/objects/uid/heartbeat"), { params: Promise.resolve({ uid }) });
}

describe("GET /api/dashboard/trends", () => {
  it("gives an operator each cluster's trend over the hour or the day", async () => {
    for (const range of ["hour", "day"]) {
      const response = await trends("olivia", `?range=${range}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ range, clusters: expect.any(Array), vmStates: expect.any(Array) });
    }
  });

  it("refuses an anonymous caller and a developer, who may not see the whole inventory's clusters", async () => {
    expect((await trends(null, "?range=hour")).status).toBe(401);
    expect((await trends("dev", "?range=hour")).status).toBe(403);
  });

  it("refuses a range it does not know with 400 naming the field, an inherited property name too", async () => {
    for (const range of ["week", "toString", "constructor", "__proto__", "hasOwnProperty"]) {
      const response = await trends("olivia", `?range=${range}`);
      expect([range, response.status]).toEqual([range, 400]);
      expect((await response.json()).error.message).toBe("range must be one of: hour, day.");
    }
  });

  it("answers hostile params with 200 or a refusal, never a server error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.oneof(fc.constant("range"), hostileKey), hostileScalar.map(String)), { maxLength: 3 }), async (params) => {
        const response = await trends("olivia", `?${new URLSearchParams(params)}`);
        expect([200, 400, 422], `${new URLSearchParams(params)}: ${await response.clone().text()}`).toContain(response.status);
      }),
      { numRuns: 60 },
    );
  });
});

describe("GET /api/objects/<uid>/heartbeat", () => {
  it("gives an operator the host's last heartbeat as the infrastructure reports it now", async () => {
    const response = await heartbeat("olivia", hostUid);
    expect(response.status).toBe(200);
    const { lastHeartbeat } = (await response.json()) as { lastHeartbeat: string };
    expect(Date.now() - new Date(lastHeartbeat).getTime()).toBeLessThan(60_000);
  });

  it("answers 404 for a host a developer may not see, an object that is no host, and an id that names nothing; 401 without a session", async () => {
    expect((await heartbeat("dev", hostUid)).status).toBe(404);
    expect((await heartbeat("olivia", vmUid)).status).toBe(404);
    expect((await heartbeat("olivia", "00000000-0000-0000-0000-000000000000")).status).toBe(404);
    expect((await heartbeat(null, hostUid)).status).toBe(401);
  });

  it("answers hostile ids with 404 or 422, never a server error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("olivia", "dev"), fc.oneof(hostileKey, hostileScalar.map(String)), async (username, uid) => {
        const response = await heartbeat(username, uid);
        expect([404, 422], `${username} ${JSON.stringify(uid)}: ${await response.clone().text()}`).toContain(response.status);
      }),
      { numRuns: 60 },
    );
  });
});
