import { beforeAll, describe, expect, it } from "vitest";
import { actorForUser, type UserActor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { prisma } from "@/lib/db/prisma";
import { createNoticeFilter } from "@/lib/live/notice-filter";
import { seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { createUser } from "@/lib/users/user-admin";

let dev: UserActor;
let olivia: UserActor;
const uids: Record<string, string> = {};

beforeAll(async () => {
  await seedDemoInventory(prisma);
  dev = (await actorForUser((await createUser("system", { username: "dev", name: "Dev", role: "developer", password: "dev-password" })).id))!;
  olivia = (await actorForUser((await createUser("system", { username: "olivia", name: "Olivia", role: "operator", password: "olivia-password" })).id))!;
  await seedDemoAccess(prisma);
  const { rows } = await getPool().query<{ namespace: string; uid: string }>(`SELECT DISTINCT ON (namespace) namespace, uid::text FROM resources WHERE kind = 'VirtualMachine' ORDER BY namespace, name`);
  for (const row of rows) uids[row.namespace] = row.uid;
});

describe("live notices for a developer", () => {
  it("carry only the uids of objects they can see, and nothing when none is theirs", async () => {
    const { filter } = createNoticeFilter(dev);
    const notice = { source: "resources" as const, kinds: ["VirtualMachine"], uids: [uids["web-team"]!, uids["ml-team"]!], count: 2 };
    expect(await filter(notice)).toEqual({ ...notice, uids: [uids["web-team"]], count: 1 });
    expect(await filter({ ...notice, uids: [uids["ml-team"]!], count: 1 })).toBeNull();
    expect(await filter({ source: "tasks", kinds: ["VirtualMachine"], uids: [uids["data-team"]!], ids: ["a-task"], count: 1 })).toMatchObject({ uids: [uids["data-team"]], ids: null });
  });

  it("still carry the deletion of an object they saw, once its row is gone", async () => {
    const { filter } = createNoticeFilter(dev);
    const notice = { source: "resources" as const, kinds: ["VirtualMachine"], uids: [uids["data-team"]!], count: 1 };
    expect(await filter(notice)).toEqual(notice);
    await getPool().query(`DELETE FROM resources WHERE uid = $1`, [uids["data-team"]]);
    expect(await filter(notice)).toEqual(notice);
  });

  it("reach operators whole", async () => {
    const notice = { source: "resources" as const, kinds: ["VirtualMachine"], uids: [uids["ml-team"]!], count: 1 };
    expect(await createNoticeFilter(olivia).filter(notice)).toBe(notice);
  });

  it("stop carrying an object they saw once they lose access to its namespace", async () => {
    const { filter, revalidate } = createNoticeFilter(dev);
    const notice = { source: "resources" as const, kinds: ["VirtualMachine"], uids: [uids["web-team"]!], count: 1 };
    expect(await filter(notice)).toEqual(notice);
    await getPool().query(`UPDATE resources SET spec = jsonb_set(spec, '{permissions}', '[]') WHERE kind = 'Namespace' AND name = 'web-team'`);
    await revalidate();
    expect(await filter(notice)).toBeNull();
  });
});
