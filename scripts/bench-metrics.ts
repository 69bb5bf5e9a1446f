// Measures performance samples at scale on a throwaway PostgreSQL: the cost of one sample round
// (the collector's bulk INSERT for N objects), of rolling up a 5-minute bucket and of the purge,
// and the on-disk size of N objects' samples at steady state (every level full to its retention),
// extrapolated to a full-size inventory. Usage: npm run -s bench:metrics -- [--objects 4800]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";
import { METRIC_LEVELS } from "@/lib/metrics/metric-levels";
import { insertSamples, purgeExpired, rollUp, type ObjectSample } from "@/lib/metrics/metric-store";

/** 45,000 VMs, 2,500 hosts, 40 clusters and their datastores: every object that reports. */
const FULL_SIZE_OBJECTS = 45_000 + 2_500 + 40 + 80;

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({ options: { objects: { type: "string", default: "4800" } }, strict: true });
const objects = Number(args.objects);
if (!Number.isInteger(objects) || objects < 1) {
  console.error("usage: npm run bench:metrics -- [--objects N (≥ 1)]");
  process.exit(2);
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const timed = async (work: () => Promise<unknown>) => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

const scratch = mkdtempSync(path.join(tmpdir(), "skylight-bench-metrics-"));
const server = await startEmbeddedPostgres({ dataDir: scratch, port: 20000 + Math.floor(Math.random() * 10000), ephemeral: true });
try {
  await ensureDatabase(server.serverUrl, "bench");
  const url = server.urlFor("bench");
  await migrate(url);
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // The server stopping at the end closes idle connections; that is expected, not a failure.
  pool.on("error", () => undefined);
  await pool.query(
    `INSERT INTO resources (api_version, kind, namespace, name) SELECT 'vmoperator.vmware.com/v1alpha3', 'VirtualMachine', 'bench', 'vm-' || i FROM generate_series(1, $1) AS i`,
    [objects],
  );
  const sample = (at: number): ObjectSample[] =>
    Array.from({ length: objects }, (_, index) => ({
      kind: "VirtualMachine",
      namespace: "bench",
      name: `vm-${index + 1}`,
      values: { cpu_mhz: 1000 + (index % 900), cpu_pct: 30 + (at % 40), mem_consumed_mib: 3000, mem_active_mib: 1200, mem_pct: 40, disk_kbps: 800, net_kbps: 400 },
    }));

  // A sample round as the leader runs it, every 20 s: the bulk insert of every object's sample.
  progress(`timing sample rounds of ${objects} objects`);
  const start = Date.parse("2026-01-01T00:00:00Z");
  const rounds: number[] = [];
  for (let index = 0; index < 15; index++) rounds.push(await timed(() => insertSamples(pool, new Date(start + index * 20_000), sample(index))));
  rounds.sort((a, b) => a - b);
  const rollupMs = await timed(() => rollUp(pool, new Date(start + 300_000)));
  await pool.query("TRUNCATE metric_samples, metric_rollups");

  // Steady state: each level holds its retention's worth of samples for every object.
  progress("filling every level to its retention");
  const end = Date.parse("2026-12-31T00:00:00Z");
  for (const level of METRIC_LEVELS) {
    const count = level.keepSeconds / level.intervalSeconds;
    await pool.query(
      `INSERT INTO metric_samples (level, object_uid, time, cpu_mhz, cpu_pct, mem_consumed_mib, mem_active_mib, mem_pct, disk_kbps, net_kbps)
       SELECT $1, r.uid, to_timestamp($2::float8 / 1000) - make_interval(secs => k * $3), 1000 + random() * 4000, random() * 100, 4096 * random(),
              2048 * random(), random() * 100, random() * 2000, random() * 1000
         FROM resources r, generate_series(1, $4) AS k ORDER BY 3, 2`,
      [level.level, end, level.intervalSeconds, count],
    );
  }
  await pool.query("VACUUM ANALYZE metric_samples");
  const { rows: sizes } = await pool.query<{ level: string; rows: string; bytes: string }>(
    `SELECT c.relname AS level, c.reltuples::bigint::text AS rows, pg_total_relation_size(c.oid)::text AS bytes
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'metric_samples'::regclass ORDER BY c.relname`,
  );
  const totalBytes = sizes.reduce((sum, row) => sum + Number(row.bytes), 0);
  const totalRows = sizes.reduce((sum, row) => sum + Number(row.rows), 0);
  const purgeMs = await timed(() => purgeExpired(pool, new Date(end + 20_000)));
  await pool.end();
  const gib = (bytes: number) => round(bytes / 1024 ** 3, 2);
  process.stdout.write(
    `${JSON.stringify({
      objects,
      sampleRoundMsP50: round(rounds[7]!),
      sampleRoundMsMax: round(rounds[14]!),
      rollup5MinMs: round(rollupMs),
      purgeOneRoundMs: round(purgeMs),
      rows: totalRows,
      bytesPerRow: round(totalBytes / totalRows),
      sizeGiB: gib(totalBytes),
      byLevelMiB: Object.fromEntries(sizes.map((row) => [row.level.replace("metric_samples_", ""), round(Number(row.bytes) / 1024 ** 2)])),
      fullSizeObjects: FULL_SIZE_OBJECTS,
      fullSizeGiB: gib((totalBytes / objects) * FULL_SIZE_OBJECTS),
    })}\n`,
  );
} finally {
  await server.stop().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}
