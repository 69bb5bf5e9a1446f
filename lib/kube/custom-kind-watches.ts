// Open watches of custom resources, recorded in PostgreSQL so that the console of any app process
// can tell which kinds a controller is watching (Administration › Extensions): a watch only lives
// in the process that serves it. Each watch has a row it refreshes on every access re-check (every
// few seconds) and deletes when it ends; a row a dead process left behind stops counting once it
// is not refreshed, and is removed when a later watch is recorded.
import type { Db } from "@/lib/db/pool";
import { logError } from "@/lib/log/rate-limited-log";

/** A watch counts as open while its row was refreshed within this long. */
export const OPEN_WATCH_SECONDS = 30;

export interface RecordedWatch {
  refresh(): void;
  end(): void;
}

export async function recordCustomKindWatch(db: Db, watch: { kind: string; namespace: string; watcher: string }): Promise<RecordedWatch> {
  const { rows } = await db.query<{ id: string }>(
    `WITH gone AS (DELETE FROM custom_kind_watches WHERE seen_at < now() - interval '10 minutes')
     INSERT INTO custom_kind_watches (kind, namespace, watcher) VALUES ($1, $2, $3) RETURNING id::text`,
    [watch.kind, watch.namespace, watch.watcher],
  );
  const id = rows[0]!.id;
  // Bookkeeping for the console: a failed write must not end the client's watch.
  const quietly = (sql: string) => void db.query(sql, [id]).catch((error: Error) => logError("[kube] recording a custom resource watch", error));
  return {
    refresh: () => quietly(`UPDATE custom_kind_watches SET seen_at = now() WHERE id = $1`),
    end: () => quietly(`DELETE FROM custom_kind_watches WHERE id = $1`),
  };
}
