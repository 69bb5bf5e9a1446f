// Installation-wide values created once and then shared by every process on the database.
import type { PrismaClient } from "@/lib/generated/prisma/client";

/** Returns the stored value, storing `create()` first if none exists yet (race-safe). */
export async function getOrCreateSetting(db: PrismaClient, key: string, create: () => string): Promise<string> {
  await db.systemSetting.createMany({ data: [{ key, value: create() }], skipDuplicates: true });
  const setting = await db.systemSetting.findUniqueOrThrow({ where: { key } });
  return setting.value;
}

export async function claimOnce(db: PrismaClient, key: string): Promise<boolean> {
  const { count } = await db.systemSetting.createMany({
    data: [{ key, value: new Date().toISOString() }],
    skipDuplicates: true,
  });
  return count === 1;
}
