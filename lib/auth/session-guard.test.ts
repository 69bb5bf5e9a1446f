import { beforeAll, describe, expect, it } from "vitest";
import { accessChangesReady } from "@/lib/auth/access-changes";
import { getAuth } from "@/lib/auth/auth";
import type { Actor } from "@/lib/auth/authorize";
import { readSessionUser, type SessionUser } from "@/lib/auth/session";
import { guardSession, type SessionEnd } from "@/lib/auth/session-guard";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createApiToken, userForToken } from "@/lib/kube/api-tokens";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/users/user-admin";

let administrator: Actor;

beforeAll(async () => {
  administrator = { id: (await createUser("system", { username: "root", name: "Root", role: "administrator", password: "root-password" })).id, role: "administrator" };
  await accessChangesReady();
});

/** A signed-in user with a guarded stream that checks only on notices (its timer is an hour). */
async function guardedStream(username: string, intervalMs = 3_600_000) {
  await createUser("system", { username, name: username, role: "developer", password: `${username}-password` });
  const headers = await signInAs(username, `${username}-password`);
  const user = (await readSessionUser(headers)) as SessionUser;
  let checks = 0;
  let endedAt: number | null = null;
  const ended = new Promise<SessionEnd>((resolve) => {
    guardSession({
      headers,
      user,
      intervalMs,
      onStillValid: async () => void (checks += 1),
      onEnd: (reason) => {
        endedAt = Date.now();
        resolve(reason);
      },
    });
  });
  return { user, headers, ended, checks: () => checks, endedAt: () => endedAt };
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

describe("a guarded stream", () => {
  it("ends at once when its user is disabled", async () => {
    const stream = await guardedStream("uma");
    await setUserDisabled(administrator, { userId: stream.user.id, disabled: true });
    expect(await within(stream.ended, 2_000)).toBe("signed-out");
  });

  it("ends at once when its session is signed out elsewhere", async () => {
    const stream = await guardedStream("vic");
    await getAuth().api.signOut({ headers: stream.headers });
    expect(await within(stream.ended, 2_000)).toBe("signed-out");
  });

  it("ends at once when its user's role changes, so a reconnect serves the new role", async () => {
    const stream = await guardedStream("wes");
    await setUserRole(administrator, { userId: stream.user.id, role: "operator" });
    expect(await within(stream.ended, 2_000)).toBe("role-changed");
  });

  it("ends when its session expires, found by the periodic check", async () => {
    const stream = await guardedStream("xia", 200);
    await prisma.session.updateMany({ where: { userId: stream.user.id }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await within(stream.ended, 2_000)).toBe("signed-out");
  });

  it("re-reads what its user may see while the session holds, without extending the session's idle expiry", async () => {
    const stream = await guardedStream("yara", 100);
    // Old enough that any use would slide the expiry forward.
    const expiresAt = new Date(Date.now() + 60_000);
    await prisma.session.updateMany({ where: { userId: stream.user.id }, data: { expiresAt, updatedAt: new Date(Date.now() - 3_600_000) } });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(stream.checks()).toBeGreaterThanOrEqual(3);
    expect(stream.endedAt()).toBeNull();
    expect((await prisma.session.findFirstOrThrow({ where: { userId: stream.user.id } })).expiresAt).toEqual(expiresAt);
  });
});

describe("a password reset", () => {
  it("ends the user's streams, and their old session cookie and API tokens are refused", async () => {
    const stream = await guardedStream("zed");
    const { token } = await createApiToken(getPool(), { userId: stream.user.id, name: "laptop" });
    expect(await userForToken(getPool(), token)).toMatchObject({ username: "zed" });

    await resetUserPassword(administrator, { userId: stream.user.id, password: "zed-new-password" });
    expect(await within(stream.ended, 2_000)).toBe("signed-out");
    expect(await readSessionUser(stream.headers)).toBeNull();
    expect(await userForToken(getPool(), token)).toBeNull();
    expect(await readSessionUser(await signInAs("zed", "zed-new-password"))).toMatchObject({ username: "zed" });
  });
});
