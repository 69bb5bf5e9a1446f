// Per-user console preferences (the navigator's view, later a table's columns), one JSON value
// per dotted key in `user_preferences`.
import type { Prisma } from "@/lib/generated/prisma/client";
import { prisma } from "@/lib/db/prisma";

export async function readUserPreference(userId: string, key: string): Promise<unknown> {
  const preference = await prisma.userPreference.findUnique({ where: { userId_key: { userId, key } } });
  return preference?.value ?? null;
}

export async function writeUserPreference(userId: string, key: string, value: Prisma.InputJsonValue): Promise<void> {
  await prisma.userPreference.upsert({
    where: { userId_key: { userId, key } },
    create: { userId, key, value },
    update: { value },
  });
}
