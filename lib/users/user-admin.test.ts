import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { sessionUsername, signInAs } from "@/lib/testing/test-auth";
import { createUser, listUsers, resetUserPassword, setUserDisabled, setUserRole } from "@/lib/users/user-admin";

let administrator: Actor;
let operator: Actor;
let developer: Actor;

beforeAll(async () => {
  administrator = { id: (await createUser("system", { username: "root", name: "Root", role: "administrator", password: "root-password" })).id, role: "administrator" };
  operator = { id: (await createUser("system", { username: "ops", name: "Ops", role: "operator", password: "ops-password" })).id, role: "operator" };
  developer = { id: (await createUser("system", { username: "devon", name: "Devon", role: "developer", password: "devon-password" })).id, role: "developer" };
});

describe("sign-in", () => {
  it("signs in with the right password and refuses a wrong one", async () => {
    expect(await sessionUsername(await signInAs("ops", "ops-password"))).toBe("ops");
    await expect(signInAs("ops", "wrong-password")).rejects.toMatchObject({ body: { code: "INVALID_USERNAME_OR_PASSWORD" } });
    await expect(signInAs("nobody", "ops-password")).rejects.toMatchObject({ body: { code: "INVALID_USERNAME_OR_PASSWORD" } });
  });

  it("gives each session an expiry one idle period ahead", async () => {
    await signInAs("ops", "ops-password");
    const session = await prisma.session.findFirstOrThrow({ where: { userId: operator.id }, orderBy: { createdAt: "desc" } });
    const idleMinutes = (session.expiresAt.getTime() - session.createdAt.getTime()) / 60_000;
    expect(idleMinutes).toBeCloseTo(120, 0);
  });

  it("stores only a hash of the password", async () => {
    const account = await prisma.account.findFirstOrThrow({ where: { userId: operator.id } });
    expect(account.password).not.toContain("ops-password");
    expect(account.password?.length).toBeGreaterThan(40);
  });
});

describe("user administration", () => {
  it.each([
    ["operator", () => operator],
    ["developer", () => developer],
  ])("refuses every user-management action to a %s", async (_role, actor) => {
    const target = { userId: developer.id };
    await expect(listUsers(actor())).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createUser(actor(), { username: "sneaky", name: "S", role: "administrator", password: "password-1" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setUserRole(actor(), { ...target, role: "administrator" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setUserDisabled(actor(), { ...target, disabled: true })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resetUserPassword(actor(), { ...target, password: "password-2" })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await prisma.user.findUnique({ where: { username: "sneaky" } })).toBeNull();
    expect((await prisma.user.findUniqueOrThrow({ where: { id: developer.id } })).role).toBe("developer");
  });

  it("creates users and names the field when the username is taken or invalid", async () => {
    await createUser(administrator, { username: "Alice", name: "Alice", role: "operator", password: "alice-password" });
    expect((await listUsers(administrator)).map((user) => user.username)).toContain("alice");
    await expect(createUser(administrator, { username: "alice", name: "Again", role: "operator", password: "alice-password" })).rejects.toMatchObject({
      field: "username",
      message: 'A user named "alice" already exists.',
    });
    await expect(createUser(administrator, { username: "-bad name", name: "X", role: "operator", password: "password-1" })).rejects.toThrow(/letters, digits/);
  });

  it("disabling a user ends their sessions and stops them signing in; enabling lets them back", async () => {
    const { id } = await createUser(administrator, { username: "temp", name: "Temp", role: "developer", password: "temp-password" });
    const session = await signInAs("temp", "temp-password");
    expect(await sessionUsername(session)).toBe("temp");

    await setUserDisabled(administrator, { userId: id, disabled: true });
    expect(await sessionUsername(session)).toBeNull();
    await expect(signInAs("temp", "temp-password")).rejects.toMatchObject({ body: { code: "BANNED_USER" } });

    await setUserDisabled(administrator, { userId: id, disabled: false });
    expect(await sessionUsername(await signInAs("temp", "temp-password"))).toBe("temp");
  });

  it("resets a password: the old one stops working, the new one works", async () => {
    await resetUserPassword(administrator, { userId: developer.id, password: "devon-new-password" });
    await expect(signInAs("devon", "devon-password")).rejects.toMatchObject({ body: { code: "INVALID_USERNAME_OR_PASSWORD" } });
    expect(await sessionUsername(await signInAs("devon", "devon-new-password"))).toBe("devon");
  });

  it("changes roles but never leaves Skylight without an enabled administrator", async () => {
    await setUserRole(administrator, { userId: operator.id, role: "developer" });
    expect((await prisma.user.findUniqueOrThrow({ where: { id: operator.id } })).role).toBe("developer");
    await expect(setUserRole(administrator, { userId: administrator.id, role: "operator" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(setUserDisabled(administrator, { userId: administrator.id, disabled: true })).rejects.toThrow("You cannot disable your own account.");
    expect((await prisma.user.findUniqueOrThrow({ where: { id: administrator.id } })).role).toBe("administrator");
  });
});
