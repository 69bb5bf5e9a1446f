// Everything that must be true of a database before Skylight serves from it: schema migrated,
// an auth secret shared by all processes, the first administrator, and (once) the demo
// inventory. Idempotent, and serialized across processes by an advisory lock.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createAuth } from "@/lib/auth/auth";
import { claimOnce, getOrCreateSetting } from "@/lib/boot/system-settings";
import type { SkylightConfig } from "@/lib/config";
import { migrate } from "@/lib/db/migrate";
import { createPrismaClient } from "@/lib/db/prisma";
import { DEMO_USERS, demoSimulatedDatastores, demoSimulatedHosts, seedDemoAccess, seedDemoInventory } from "@/lib/seed/demo-inventory";
import { createSimulator } from "@/lib/simulator/simulator";
import { createUser } from "@/lib/users/user-admin";

const PREPARE_LOCK_KEY = 7_240_002;
export const DEMO_USER_PASSWORD = "skylight-demo";

export interface PreparedInstallation {
  authSecret: string;
}

export async function prepareInstallation(
  databaseUrl: string,
  config: SkylightConfig,
  log: (message: string) => void,
): Promise<PreparedInstallation> {
  const applied = await migrate(databaseUrl);
  if (applied.length > 0) log(`Applied migrations: ${applied.join(", ")}`);

  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  const db = createPrismaClient(databaseUrl, 2);
  try {
    await lock.query("SELECT pg_advisory_lock($1)", [PREPARE_LOCK_KEY]);
    const authSecret =
      process.env.BETTER_AUTH_SECRET ?? (await getOrCreateSetting(db, "auth.secret", () => randomBytes(32).toString("base64url")));
    const auth = createAuth({ database: db, secret: authSecret, baseURL: config.publicUrl, idleMinutes: config.sessionIdleMinutes });

    if ((await db.user.count()) === 0) {
      const password = config.adminPassword ?? randomBytes(12).toString("base64url");
      await createUser("system", { username: "admin", name: "Administrator", role: "administrator", password }, auth, db);
      log(
        config.adminPassword
          ? "Created the administrator 'admin' with the password from SKYLIGHT_ADMIN_PASSWORD."
          : `Created the administrator 'admin' with the generated password: ${password}  (shown once; change it under Administration)`,
      );
    }

    if (config.seedDemoInventory && (await claimOnce(db, "demo.seeded"))) {
      const objects = await seedDemoInventory(db);
      // The demo's hosts and datastores exist in the embedded simulator too; the engine creates the VMs on them.
      const simulator = createSimulator({ db: lock as unknown as pg.Pool, speed: 1, failureRate: 0 });
      for (const datastore of demoSimulatedDatastores()) await simulator.addDatastore(datastore);
      for (const host of demoSimulatedHosts()) await simulator.addHost(host);
      for (const user of DEMO_USERS) {
        if (!(await db.user.findUnique({ where: { username: user.username } }))) {
          await createUser("system", { ...user, password: DEMO_USER_PASSWORD }, auth, db);
        }
      }
      await seedDemoAccess(db);
      log(`Seeded the demo inventory (${objects} objects) and demo users ${DEMO_USERS.map((u) => u.username).join(", ")}.`);
    }
    return { authSecret };
  } finally {
    await lock.query("SELECT pg_advisory_unlock($1)", [PREPARE_LOCK_KEY]).catch(() => undefined);
    await lock.end();
    await db.$disconnect();
  }
}
