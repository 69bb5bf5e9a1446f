// Namespace › Permissions › Service Accounts › Create Token, the server action behind the button:
// an owner gets a token, shown once, inside a kubeconfig for the API at the host the console was
// reached at, and the token is the service account's; a viewer and someone without a role are
// refused naming why, and a lifetime out of bounds is refused; none of those mints anything.
import { parse } from "yaml";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { kubeApiUrl } from "@/lib/kube/kube-api-url";
import { tokenHolder } from "@/lib/kube/token-holders";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

// The action reads the session and the Host header from the request; the session behind the cookie is real.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "token-action-password";
const HOST = "console.example.test";

beforeAll(async () => {
  await seedDemoInventory(prisma);
  for (const username of ["dev", "dana"]) await createUser("system", { username, name: username, role: "developer", password: PASSWORD });
  await seedDemoAccess(prisma);
});

async function signedIn(username: string) {
  const session = await signInAs(username, PASSWORD);
  request.headers = new Headers({ cookie: session.get("cookie") ?? "", host: `${HOST}:3000` });
  return (await import("@/lib/actions/namespaces/create-service-account-token")).createServiceAccountToken;
}

const tokenCount = async () => (await getPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM service_account_tokens`)).rows[0]!.n;

describe("Create Token on a namespace's service account", () => {
  it("gives an owner a token and a kubeconfig for the API at the console's host; the token is the service account", async () => {
    const create = await signedIn("dev");
    const result = await create({ namespace: "web-team", name: "default", seconds: 24 * 3600 });
    const issued = result?.data;
    expect(issued?.token).toMatch(/^skylight-sa_/);
    expect(new Date(issued!.expiresAt).getTime() - Date.now()).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
    const kubeconfig = parse(issued!.kubeconfig) as { clusters: { cluster: { server: string } }[]; users: { user: { token: string } }[]; contexts: { context: { namespace?: string } }[] };
    expect(kubeconfig.clusters[0]!.cluster.server).toBe(kubeApiUrl(HOST));
    expect(kubeconfig.users[0]!.user.token).toBe(issued!.token);
    expect(kubeconfig.contexts[0]!.context.namespace).toBe("web-team");
    expect(await tokenHolder(getPool(), issued!.token)).toMatchObject({ username: "system:serviceaccount:web-team:default", role: "developer" });
  });

  it("a service account's token is no console session: the console answers it as signed out", async () => {
    const create = await signedIn("dev");
    const token = (await create({ namespace: "web-team", name: "default", seconds: 3600 }))?.data?.token;
    request.headers = new Headers({ authorization: `Bearer ${token}`, cookie: `better-auth.session_token=${token}`, host: HOST });
    expect((await create({ namespace: "web-team", name: "default", seconds: 3600 }))?.serverError?.message).toBe("Your session has ended. Sign in again.");
  });

  it("refuses a viewer, someone without a role and an out-of-bounds lifetime, and mints nothing", async () => {
    const before = await tokenCount();
    const asDana = await signedIn("dana");
    expect((await asDana({ namespace: "ml-team", name: "default", seconds: 3600 }))?.serverError?.message).toBe(
      "Only owners of namespace ml-team, administrators and operators can change its labels, annotations and who may use it.",
    );
    const asDev = await signedIn("dev");
    expect((await asDev({ namespace: "ml-team", name: "default", seconds: 3600 }))?.serverError?.message).toBe("You have no access to namespace ml-team.");
    expect((await asDev({ namespace: "web-team", name: "default", seconds: 60 }))?.validationErrors).toBeDefined();
    expect((await asDev({ namespace: "web-team", name: "nobody", seconds: 3600 }))?.serverError?.message).toBe("There is no service account nobody in namespace web-team.");
    expect(await tokenCount()).toBe(before);
  });
});
