// Groups of users: list, create, delete, set members. Namespace permissions and self-service
// templates name groups, so access follows membership. Every function authorizes its actor first.
import type { z } from "zod";
import { assertCan, type Actor } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { createGroupInputSchema, setGroupMembersInputSchema, type GroupRow } from "@/lib/users/group-schemas";

export type { GroupRow };

export async function listGroups(actor: Actor): Promise<GroupRow[]> {
  assertCan(actor, "users.manage");
  const groups = await prisma.userGroup.findMany({ orderBy: { name: "asc" }, include: { members: { include: { user: true } } } });
  return groups.map((group) => ({
    id: group.id,
    name: group.name,
    description: group.description,
    members: group.members
      .map((member) => ({ username: member.user.username ?? member.user.email, name: member.user.name }))
      .sort((a, b) => a.username.localeCompare(b.username)),
  }));
}

export async function createGroup(actor: Actor, input: z.input<typeof createGroupInputSchema>): Promise<{ id: string }> {
  assertCan(actor, "users.manage");
  const { name, description } = createGroupInputSchema.parse(input);
  if (await prisma.userGroup.findUnique({ where: { name } })) throw new InvalidInputError("name", `A group named "${name}" already exists.`);
  return prisma.userGroup.create({ data: { name, description }, select: { id: true } });
}

export async function setGroupMembers(actor: Actor, input: z.input<typeof setGroupMembersInputSchema>): Promise<void> {
  assertCan(actor, "users.manage");
  const { groupId, usernames } = setGroupMembersInputSchema.parse(input);
  const users = await prisma.user.findMany({ where: { username: { in: usernames } }, select: { id: true, username: true } });
  const missing = usernames.filter((username) => !users.some((user) => user.username === username));
  if (missing.length) throw new InvalidInputError("usernames", `There is no user named ${missing.join(", ")}.`);
  await prisma.$transaction(async (tx) => {
    if (!(await tx.userGroup.findUnique({ where: { id: groupId } }))) throw new NotFoundError("This group no longer exists.");
    await tx.userGroupMember.deleteMany({ where: { groupId } });
    await tx.userGroupMember.createMany({ data: users.map((user) => ({ groupId, userId: user.id })) });
  });
}

/** Deletes the group and takes it out of every self-service template. Namespace permissions naming it grant nothing until a group of that name exists again. */
export async function deleteGroup(actor: Actor, groupId: string): Promise<void> {
  assertCan(actor, "users.manage");
  await prisma.$transaction(async (tx) => {
    const group = await tx.userGroup.findUnique({ where: { id: groupId } });
    if (!group) throw new NotFoundError("This group no longer exists.");
    await tx.$executeRaw`UPDATE namespace_templates SET groups = array_remove(groups, ${group.name})`;
    await tx.userGroup.delete({ where: { id: groupId } });
  });
}
