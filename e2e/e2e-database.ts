// The suite's embedded database (playwright.config starts it in DATA_DIR), shared by the app
// processes; specs read it to find objects whose placement the engine decided.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { DATA_DIR, PG_PORT } from "../playwright.config";

export function openE2eDatabase(): pg.Pool {
  const password = readFileSync(path.join(DATA_DIR, "postgres-password"), "utf8").trim();
  return new pg.Pool({ connectionString: `postgresql://skylight:${encodeURIComponent(password)}@127.0.0.1:${PG_PORT}/skylight`, max: 2 });
}

/** The cluster's host running the most powered-on VMs (DRS placed them, so it varies by run). */
export async function busiestHost(pool: pg.Pool, cluster: string, excluding: string[] = []): Promise<string> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT h.name FROM resources h
       LEFT JOIN resources v ON v.kind = 'VirtualMachine' AND v.status->>'host' = h.name AND v.status->>'powerState' = 'PoweredOn'
      WHERE h.kind = 'Host' AND h.spec->>'cluster' = $1 AND NOT (h.name = ANY($2::text[]))
      GROUP BY h.name ORDER BY count(v.uid) DESC, h.name LIMIT 1`,
    [cluster, excluding],
  );
  return rows[0]!.name;
}
