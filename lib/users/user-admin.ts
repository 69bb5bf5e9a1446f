// User management: list, create, change role, disable or enable, reset password. Every function
// authorizes its actor first; better-auth hashes passwords and owns the session tables. Disabling
// a user or resetting their password ends their sessions; a reset also revokes their API tokens.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { getAuth, type SkylightAuth } from "@/lib/auth/auth";
import { assertCan, type Actor } from "@/lib/auth/authorize";
import { getSignInThrottle } from "@/lib/auth/sign-in-with-password";
import type { Role } from "@/lib/auth/roles";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/prisma";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import {
  createUserInputSchema,
  resetPasswordInputSchema,
  setUserDisabledInputSchema,
  setUserRoleInputSchema,
} from "@/lib/users/user-schemas";

export interface UserRow {
  id: string;
  username: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: Date;
  activeSessions: number;
}

export async function listUsers(actor: Actor): Promise<UserRow[]> {
  assertCan(actor, "users.manage");
  const users = await prisma.user.findMany({
    orderBy: { username: "asc" },
    include: { _count: { select: { sessions: { where: { expiresAt: { gt: new Date() } } } } } },
  });
  return users.map((user) => ({
    id: user.id,
    username: user.username ?? user.email,
    name: user.name,
    role: user.role,
    disabled: user.banned,
    createdAt: user.createdAt,
    activeSessions: user._count.sessions,
  }));
}

export async function createUser(
  actor: Actor | "system",
  input: z.input<typeof createUserInputSchema>,
  auth: SkylightAuth = getAuth(),
  db: PrismaClient = prisma,
): Promise<{ id: string }> {
  if (actor !== "system") assertCan(actor, "users.manage");
  const { username, name, role, password } = createUserInputSchema.parse(input);
  if (await db.user.findUnique({ where: { username } })) {
    throw new InvalidInputError("username", `A user named "${username}" already exists.`);
  }
  const { user } = await auth.api.createUser({
    body: { email: `${username}@users.skylight.invalid`, name, password, role, data: { username, displayUsername: username } },
  });
  return { id: user.id };
}

export async function setUserRole(actor: Actor, input: z.input<typeof setUserRoleInputSchema>): Promise<void> {
  assertCan(actor, "users.manage");
  const { userId, role } = setUserRoleInputSchema.parse(input);
  const user = await findUser(userId);
  if (user.role === "administrator" && role !== "administrator") await assertAnotherActiveAdministrator(userId, "role");
  await updateUser(userId, { role });
}

export async function setUserDisabled(actor: Actor, input: z.input<typeof setUserDisabledInputSchema>): Promise<void> {
  assertCan(actor, "users.manage");
  const { userId, disabled } = setUserDisabledInputSchema.parse(input);
  const user = await findUser(userId);
  if (disabled) {
    if (userId === actor.id) throw new InvalidInputError("userId", "You cannot disable your own account.");
    if (user.role === "administrator") await assertAnotherActiveAdministrator(userId, "userId");
  }
  const context = await getAuth().$context;
  await context.internalAdapter.updateUser(userId, {
    banned: disabled,
    banReason: disabled ? `Disabled by ${actor.id}` : null,
    banExpires: null,
  });
  if (disabled) await context.internalAdapter.deleteUserSessions(userId);
}

/**
 * Sets a new password and signs the user out everywhere, at once: their sessions end and their
 * API tokens are revoked (whoever knew the old password may have made them), and a sign-in
 * lockout on the account ends, so the new password works straight away.
 */
export async function resetUserPassword(actor: Actor, input: z.input<typeof resetPasswordInputSchema>): Promise<void> {
  assertCan(actor, "users.manage");
  const { userId, password } = resetPasswordInputSchema.parse(input);
  const user = await findUser(userId);
  const hash = await (await getAuth().$context).password.hash(password);
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.account.updateMany({ where: { userId, providerId: "credential" }, data: { password: hash } });
    if (count === 0) await tx.account.create({ data: { id: randomUUID(), userId, providerId: "credential", accountId: userId, password: hash } });
    await tx.session.deleteMany({ where: { userId } });
    await tx.apiToken.deleteMany({ where: { userId } });
  });
  await getSignInThrottle().unlockAccount(user.username ?? user.email);
}

async function findUser(userId: string) {
  const user = await prisma.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("That user no longer exists.");
  return user;
}

async function updateUser(userId: string, fields: { role: Role }) {
  const context = await getAuth().$context;
  await context.internalAdapter.updateUser(userId, fields);
}

async function assertAnotherActiveAdministrator(userId: string, field: string) {
  const others = await prisma.user.count({ where: { role: "administrator", banned: false, id: { not: userId } } });
  if (others === 0) {
    throw new InvalidInputError(field, "Skylight needs at least one enabled administrator; make someone else an administrator first.");
  }
}
