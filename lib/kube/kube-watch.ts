// watch: a stream of ADDED, MODIFIED, DELETED (and BOOKMARK) events in resourceVersion order,
// from a given resourceVersion or, without one, from the objects as they are now. Each time the
// watch frontier moves, a source reads the changes in (last delivered, frontier]. For the
// resources table: objects whose resourceVersion falls there (ADDED when resource_changes records
// their creation in that range) and the removals resource_changes recorded; an object changed
// twice in a range is sent once, at its newest version, as kube-apiserver's watch cache may do.
// Who may see a change is decided by identity (canSeeByIdentity), not by the namespace name it
// carries: the change log keeps removed objects a while, and a namespace re-created under a name
// must not bring the removals of the old one's objects to the new one's members.
// Tasks and events bring their own source (lib/kube/activity-resources.ts). A watch counts against
// its user's limit (lib/kube/watch-registry.ts) and re-checks its credential and visibility every
// few seconds: when they no longer hold it ends with an ERROR event carrying the Status, and the
// client's next request is refused.
import type { ServerResponse } from "node:http";
import type pg from "pg";
import { canSeeByIdentity } from "@/lib/auth/authorize";
import { servedKind, type ApiResource } from "@/lib/kube/api-resources";
import type { KubeVisibility } from "@/lib/kube/kube-access";
import { gone, statusBody, type KubeApiError } from "@/lib/kube/api-status";
import { RESOURCE_COLUMNS, storedObjectFromRow, type ResourceRow } from "@/lib/engine/object-store";
import { toKubeObject, type KubeObject } from "@/lib/kube/kube-objects";
import { servedAs } from "@/lib/kube/custom-resource-writes";
import { compactedResourceVersion, listObjects } from "@/lib/kube/kube-reads";
import { withManagedFields } from "@/lib/kube/managed-fields";
import { matchesSelectors } from "@/lib/kube/selectors";
import { table, tableRow, TABLE_API_VERSION, type IncludeObject } from "@/lib/kube/table-output";
import type { WatchFrontier } from "@/lib/kube/watch-frontier";
import { logError } from "@/lib/log/rate-limited-log";
import { awaitResourceVersion } from "@/lib/kube/request-params";
import { registerWatch } from "@/lib/kube/watch-registry";
import { recordCustomKindWatch, type RecordedWatch } from "@/lib/kube/custom-kind-watches";

export interface WatchOptions {
  namespace?: string;
  visible: KubeVisibility;
  labelSelector: string | null;
  fieldSelector: string | null;
  /** Where the watch starts; null to start with the objects as they are now. */
  resourceVersion: bigint | null;
  allowBookmarks: boolean;
  timeoutSeconds?: number;
  /** Table rows carrying this much of each object (kubectl get -w), or null for the objects themselves. */
  asTable: IncludeObject | null;
}

/** Who holds the watch, and whether they still may. */
export interface WatchGuard {
  userId: string;
  /** Who watches, as the audit log names them (recorded for a custom kind's watch). */
  watcher: string;
  /** Null while the watch may go on; otherwise the Status that ends it. */
  recheck(): Promise<KubeApiError | null>;
  recheckIntervalMs: number;
}

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchChange {
  event: EventType;
  object: KubeObject;
}

/** Where a watch reads from; both methods return only what the watcher may see and selected. */
export interface WatchSource {
  /** The objects as they are now, and the version they were read at. */
  list(): Promise<{ objects: KubeObject[]; resourceVersion: string }>;
  /** What changed with a resourceVersion in (after, through], oldest first. */
  changes(after: bigint, through: bigint): Promise<WatchChange[]>;
}

interface ChangeRow extends ResourceRow {
  event: EventType;
  /** The uid of the namespace the object lives in (lived in, for a removal); null outside one. */
  namespace_uid: string | null;
}

const BOOKMARK_INTERVAL_MS = 5_000;

async function readChanges(db: pg.Pool, resource: ApiResource, namespace: string | undefined, after: bigint, through: bigint): Promise<ChangeRow[]> {
  const values: unknown[] = [resource.kind, String(after), String(through)];
  const inNamespace = namespace ? `AND namespace = $${values.push(namespace)}` : "";
  const { rows } = await db.query<ChangeRow>(
    `SELECT ${RESOURCE_COLUMNS},
            CASE WHEN EXISTS (SELECT 1 FROM resource_changes c WHERE c.uid = r.uid AND c.type = 'ADDED' AND c.resource_version > $2) THEN 'ADDED' ELSE 'MODIFIED' END AS event,
            (SELECT n.uid::text FROM resources n WHERE r.namespace <> '' AND n.kind = 'Namespace' AND n.namespace = '' AND n.name = r.namespace) AS namespace_uid
       FROM resources r
      WHERE kind = $1 AND resource_version > $2 AND resource_version <= $3 ${inNamespace}
     UNION ALL
     SELECT (o->>'uid'), o->>'api_version', o->>'kind', o->>'namespace', o->>'name', o->'labels', o->'annotations',
            ARRAY(SELECT jsonb_array_elements_text(o->'finalizers')), o->'owner_references', (o->>'generation')::int,
            c.resource_version::text, (o->>'creation_timestamp')::timestamptz, (o->>'deletion_timestamp')::timestamptz,
            o->'spec', o->'status', 'DELETED',
            -- A namespace of that name younger than the object is a later one: the object's was removed before it was created.
            (SELECT n.uid::text FROM resources n WHERE c.namespace <> '' AND n.kind = 'Namespace' AND n.namespace = '' AND n.name = c.namespace
                AND n.creation_timestamp <= (o->>'creation_timestamp')::timestamptz)
       FROM resource_changes c, LATERAL (SELECT c.object AS o) object
      WHERE c.kind = $1 AND c.type = 'DELETED' AND c.resource_version > $2 AND c.resource_version <= $3 ${inNamespace}`,
    values,
  );
  return rows.sort((a, b) => (BigInt(a.resource_version) < BigInt(b.resource_version) ? -1 : 1));
}

function resourceSource(db: pg.Pool, frontier: WatchFrontier, resource: ApiResource, options: WatchOptions): WatchSource {
  const { scope } = options.visible;
  return {
    list: () => listObjects(db, frontier, resource, { namespace: options.namespace, visible: options.visible, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector }),
    async changes(after, through) {
      const rows = await readChanges(db, resource, options.namespace, after, through);
      return rows
        .filter((row) => canSeeByIdentity(scope, { uid: row.uid, namespaceUid: row.namespace_uid }))
        // A namespace whose role does not read this kind (a viewer's, for secrets) is left out of `visible`.
        .filter((row) => options.visible.namespaces === null || options.visible.namespaces.includes(row.namespace))
        .map((row) => ({ event: row.event, object: servedAs(resource, toKubeObject(storedObjectFromRow(row))) }))
        .filter((change) => matchesSelectors(change.object, options.labelSelector, options.fieldSelector, resource.fields));
    },
  };
}

export async function serveWatch(
  db: pg.Pool,
  frontier: WatchFrontier,
  resource: ApiResource,
  options: WatchOptions,
  response: ServerResponse,
  guard: WatchGuard,
  source: WatchSource = resourceSource(db, frontier, resource, options),
): Promise<void> {
  const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  let sentColumns = false;
  const encode = (type: EventType | "BOOKMARK" | "ERROR", object: unknown) => `${JSON.stringify({ type, object })}\n`;
  const { asTable } = options;
  const eventObject = (object: KubeObject) => {
    if (!asTable) return object;
    const withColumns = !sentColumns;
    sentColumns = true;
    return withColumns ? table(resource, [object], { resourceVersion: object.metadata.resourceVersion }, asTable) : { kind: "Table", apiVersion: TABLE_API_VERSION, metadata: { resourceVersion: object.metadata.resourceVersion }, columnDefinitions: [], rows: [tableRow(resource, object, asTable)] };
  };
  const withFields = (objects: KubeObject[]) => (asTable && asTable !== "Object" ? objects : withManagedFields(db, resource, objects));

  // Refused before the stream begins: a version not reached yet (504), or one watch too many (429).
  if (options.resourceVersion !== null) await awaitResourceVersion(frontier, options.resourceVersion);
  let closed = false;
  let unsubscribe = () => {};
  const timers: { timeout?: NodeJS.Timeout; rechecks?: NodeJS.Timeout } = {};
  const unregister = registerWatch(guard.userId, () => recheck());
  let recorded: RecordedWatch | null = null;
  function finish() {
    if (closed) return;
    closed = true;
    unsubscribe();
    unregister();
    recorded?.end();
    clearTimeout(timers.timeout);
    clearInterval(timers.rechecks);
    response.end();
  }
  response.on("close", finish);

  let cursor: bigint;
  try {
    if (resource.custom) recorded = await recordCustomKindWatch(db, { kind: resource.kind, namespace: options.namespace ?? "", watcher: guard.watcher });
    response.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
    response.flushHeaders();
    if (options.resourceVersion !== null) {
      cursor = options.resourceVersion;
      const compacted = await compactedResourceVersion(db);
      if (cursor < compacted) {
        response.write(encode("ERROR", statusBody(gone(`too old resource version: ${cursor} (${compacted})`))));
        finish();
        return;
      }
    } else {
      // No version: first the objects as they are, as ADDED events, then what changes after.
      const initial = await source.list();
      const objects = await withFields(initial.objects);
      response.write(objects.map((object) => encode("ADDED", eventObject(object))).join(""));
      cursor = BigInt(initial.resourceVersion);
    }
  } catch (error) {
    // The caller answers with an ERROR event and ends the response; the registration ends here.
    closed = true;
    unregister();
    recorded?.end();
    throw error;
  }

  let lastSent = Date.now();
  let busy = Promise.resolve();
  const deliver = (through: bigint) => {
    busy = busy.then(async () => {
      if (closed || through <= cursor) return;
      const changes = await source.changes(cursor, through);
      const objects = await withFields(changes.map((change) => change.object));
      const chunk = changes.map((change, index) => encode(change.event, eventObject(objects[index]!))).join("");
      cursor = through;
      if (closed) return;
      if (chunk) {
        response.write(chunk);
        lastSent = Date.now();
      } else if (options.allowBookmarks && Date.now() - lastSent > BOOKMARK_INTERVAL_MS) {
        response.write(encode("BOOKMARK", { kind: servedKind(resource), apiVersion, metadata: { resourceVersion: String(cursor) } }));
        lastSent = Date.now();
      }
    }).catch((error: Error) => {
      logError(`[kube] watch ${resource.plural}`, error);
      finish();
    });
  };

  async function recheck(): Promise<void> {
    if (closed) return;
    recorded?.refresh();
    try {
      const refusal = await guard.recheck();
      if (refusal && !closed) {
        response.write(encode("ERROR", statusBody(refusal)));
        finish();
      }
    } catch (error) {
      console.error(`[kube] watch ${resource.plural}: re-checking access failed: ${(error as Error).message}`);
      finish();
    }
  }

  if (closed) return;
  unsubscribe = frontier.subscribe(deliver);
  if (options.timeoutSeconds) timers.timeout = setTimeout(() => finish(), options.timeoutSeconds * 1000);
  timers.rechecks = setInterval(() => void recheck(), guard.recheckIntervalMs);
  deliver(await frontier.current());
}
