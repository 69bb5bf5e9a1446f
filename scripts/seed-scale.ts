// Fills a database with an inventory at vCenter 8's maximums (lib/seed/scale-inventory.ts): the
// database of DATABASE_URL, or the embedded PostgreSQL of SKYLIGHT_DATA_DIR as `npm start` would
// use it. The database is migrated and prepared first (administrator, secret) and must hold no
// inventory yet; the demo inventory is never added to it afterwards.
// Usage: npm run -s seed:scale -- [--vms 45000] [--hosts 2500] [--clusters 40] [--namespaces 300]
//        [--events 200000] [--tasks 3000] [--datacenters 4]; one JSON line on stdout.
import { parseArgs } from "node:util";
import { claimOnce } from "@/lib/boot/system-settings";
import { prepareInstallation } from "@/lib/boot/prepare-installation";
import { readConfig } from "@/lib/config";
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { createPool } from "@/lib/db/pool";
import { createPrismaClient } from "@/lib/db/prisma";
import { seedScaleInventory, VCENTER_MAXIMUMS, type ScaleSize } from "@/lib/seed/scale-inventory";

const log = (message: string) => process.stderr.write(`[seed:scale] ${message}\n`);
// Progress goes to stderr; stdout carries only the result line.
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({
  options: Object.fromEntries(Object.keys(VCENTER_MAXIMUMS).map((name) => [name, { type: "string" as const }])),
  strict: true,
});
const size = Object.fromEntries(
  Object.entries(VCENTER_MAXIMUMS).map(([name, fallback]) => {
    const value = args[name] === undefined ? fallback : Number(args[name]);
    if (!Number.isInteger(value) || value < 0) {
      console.error(`--${name} must be a whole number ≥ 0 (got ${String(args[name])}).`);
      process.exit(2);
    }
    return [name, value];
  }),
) as unknown as ScaleSize;

const started = performance.now();
const config = { ...readConfig(), seedDemoInventory: false };
let embedded: RunningPostgres | undefined;
let databaseUrl = config.databaseUrl;
let exitCode = 0;
try {
  if (!databaseUrl) {
    log(`DATABASE_URL is unset: using the embedded PostgreSQL in ${config.dataDir}`);
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort });
    await ensureDatabase(embedded.serverUrl, "skylight");
    databaseUrl = embedded.urlFor("skylight");
  }
  await prepareInstallation(databaseUrl, config, log);

  // createPool's error handler: the embedded PostgreSQL stopping must not crash us over an idle connection.
  const pool = createPool(databaseUrl, 2);
  try {
    const { rows } = await pool.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM resources WHERE kind IN ('Host', 'VirtualMachine')) AS found`);
    if (rows[0]!.found) throw new Error("This database already has hosts or VMs; seed:scale needs one without an inventory (a fresh SKYLIGHT_DATA_DIR or an empty database).");
    const db = createPrismaClient(databaseUrl, 1);
    // The demo's clusters and VMs would only blur the figures: mark the demo as done.
    await claimOnce(db, "demo.seeded").finally(() => db.$disconnect());
    log(`seeding ${size.hosts} hosts in ${size.clusters} clusters, ${size.vms} VMs, ${size.namespaces} namespaces, ${size.events} events`);
    const counts = await seedScaleInventory(pool, size);
    process.stdout.write(`${JSON.stringify({ ...counts, seconds: Math.round((performance.now() - started) / 10) / 100 })}\n`);
  } finally {
    await pool.end();
  }
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  exitCode = 1;
} finally {
  await embedded?.stop();
}
process.exit(exitCode);
