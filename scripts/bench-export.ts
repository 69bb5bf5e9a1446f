// Measures the CSV export at vCenter scale: seeds a throwaway embedded PostgreSQL with `seed:scale`
// (45,000 VMs by default, the rest of the inventory scaled alike), then runs the export routes'
// pipeline (the cursor read and the streamed CSV of lib/export, as GET /api/lists/vms/export and
// /api/events/export run it, without the session layer) in this process, which holds nothing else
// (the seed ran in its own), reading the body as a browser would. Prints one JSON line: per export
// the seconds, rows and bytes, and this process's peak RSS and heap growth while it ran. A row
// count other than the database's fails the run.
// Usage: npm run -s bench:export -- [--vms 45000]
import { execFile } from "node:child_process";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { EVERYTHING } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { csvDownload, EXPORT_CHUNK_ROWS } from "@/lib/export/csv-response";
import { EXPORT_ROW_CAP } from "@/lib/export/csv";
import { eventsCsvDownload } from "@/lib/export/event-csv";
import { LIST_COLUMNS, parseListParams } from "@/lib/inventory/list-definitions";
import { readListExport } from "@/lib/inventory/object-lists";
import { VCENTER_MAXIMUMS, type ScaleSize } from "@/lib/seed/scale-inventory";
import { benchResources, BenchExit, runBench, throwawayDatabase } from "./bench-run";

const progress = (message: string) => process.stderr.write(`[bench:export] ${message}\n`);
console.log = (...args: unknown[]) => console.error(...args);

const { values: args } = parseArgs({ options: { vms: { type: "string", default: String(VCENTER_MAXIMUMS.vms) } }, strict: true });
const vms = Number(args.vms);
if (!Number.isInteger(vms) || vms < 100) {
  console.error("usage: npm run bench:export -- [--vms N (≥ 100)]");
  process.exit(2);
}

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;
const MIB = 1024 * 1024;
const mib = (bytes: number) => Math.round((bytes / MIB) * 10) / 10;

/** vCenter's maximums scaled down (never up) to `vms` VMs. */
function scaledSize(): ScaleSize {
  const fraction = Math.min(1, vms / VCENTER_MAXIMUMS.vms);
  const scale = (value: number) => Math.max(1, Math.round(value * fraction));
  const clusters = scale(VCENTER_MAXIMUMS.clusters);
  return {
    datacenters: Math.min(VCENTER_MAXIMUMS.datacenters, clusters),
    clusters,
    hosts: scale(VCENTER_MAXIMUMS.hosts),
    vms,
    namespaces: scale(VCENTER_MAXIMUMS.namespaces),
    events: scale(VCENTER_MAXIMUMS.events),
    tasks: scale(VCENTER_MAXIMUMS.tasks),
  };
}

async function seed(databaseUrl: string, size: ScaleSize): Promise<{ seconds: number }> {
  progress(`seeding ${size.vms} VMs, ${size.hosts} hosts, ${size.events} events`);
  const flags = Object.entries(size).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const tsx = path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs");
  const { stdout } = await promisify(execFile)(process.execPath, [tsx, "scripts/seed-scale.ts", ...flags], {
    env: { ...process.env, DATABASE_URL: databaseUrl, SKYLIGHT_ADMIN_PASSWORD: "bench-admin-password", SKYLIGHT_DEMO: "0" },
    maxBuffer: 16 * MIB,
  });
  return JSON.parse(stdout.trim()) as { seconds: number };
}

interface Measured {
  seconds: number;
  rows: number;
  bytes: number;
  peakRssMiB: number;
  rssGrowthMiB: number;
  heapGrowthMiB: number;
}

/** Reads the download to its end as a browser would, sampling this process's memory meanwhile. */
async function measure(download: () => Promise<Response>): Promise<Measured> {
  collectGarbage();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const sampler = setInterval(sample, 5);
  const started = performance.now();
  const response = await download();
  const reader = response.body!.getReader();
  let bytes = 0;
  let lines = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.byteLength;
    for (const byte of read.value) if (byte === 0x0a) lines++;
    sample();
  }
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  clearInterval(sampler);
  return { seconds, rows: lines - 1, bytes, peakRssMiB: mib(peakRss), rssGrowthMiB: mib(peakRss - before.rss), heapGrowthMiB: mib(peakHeap - before.heapUsed) };
}

const run = benchResources();

await runBench(
  run,
  async () => {
    const size = scaledSize();
    const databaseUrl = await throwawayDatabase(run, "skylight-bench-export-", progress);
    const seeded = await seed(databaseUrl, size);
    process.env.DATABASE_URL = databaseUrl;
    const pool = getPool();
    run.pools.push(pool);

    // A name prefix about a tenth of the VMs share: what "filter by name" exports in practice.
    const { rows: terms } = await pool.query<{ term: string; matches: number }>(
      `SELECT split_part(name, '-', 1) AS term, count(*)::int AS matches FROM resources WHERE kind = 'VirtualMachine'
        GROUP BY 1 ORDER BY abs(count(*) - $1), 1 LIMIT 1`,
      [Math.round(vms / 10)],
    );
    const { term, matches } = terms[0]!;
    const columns = LIST_COLUMNS.vms.map((column) => column.id);
    const { rows: counts } = await pool.query<{ events: number }>(`SELECT count(*)::int AS events FROM events`);
    const vmExport = (q: string) => async () => {
      const chunks = await readListExport("vms", parseListParams("vms", { q }), EVERYTHING, columns, EXPORT_CHUNK_ROWS);
      return csvDownload({ subject: "vms", header: columns, chunks: chunks!, signal: new AbortController().signal });
    };

    progress(`exporting the VMs whose name holds "${term}" (${matches})`);
    const filtered = await measure(vmExport(term));
    progress(`exporting all ${vms} VMs`);
    const unfiltered = await measure(vmExport(""));
    progress(`exporting the events (${counts[0]!.events}, capped at ${EXPORT_ROW_CAP})`);
    const events = await measure(() => eventsCsvDownload("events", {}, EVERYTHING, new AbortController().signal));

    process.stdout.write(
      `${JSON.stringify({
        vms,
        seed: { seconds: seeded.seconds, events: counts[0]!.events },
        chunkRows: EXPORT_CHUNK_ROWS,
        filtered: { q: term, ...filtered },
        unfiltered,
        events,
      })}\n`,
    );
    const expected = { filtered: matches, unfiltered: vms, events: Math.min(counts[0]!.events, EXPORT_ROW_CAP) };
    const wrong = Object.entries({ filtered, unfiltered, events }).filter(([name, result]) => result.rows !== expected[name as keyof typeof expected]);
    if (wrong.length > 0) throw new BenchExit(1, `FAILED: ${wrong.map(([name, result]) => `${name} wrote ${result.rows} rows, the database holds ${expected[name as keyof typeof expected]}`).join("; ")}`);
  },
  progress,
);
