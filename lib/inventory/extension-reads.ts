// Read model of Administration › Extensions: each installed CustomResourceDefinition with its
// versions, scope and state, how many objects it has, and whether a controller looks after them.
// A controller counts as active while it watches the kind (through any app process:
// lib/kube/custom-kind-watches.ts) or holds a Lease (client-go's leader election, as operators run
// it) in a namespace that has objects of the kind, or anywhere for a cluster-scoped kind.
import "server-only";
import { assertCan, type Actor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { storedKindSql } from "@/lib/inventory/custom-kinds-sql";
import { OPEN_WATCH_SECONDS } from "@/lib/kube/custom-kind-watches";
import type { DefinitionSpec, DefinitionStatus } from "@/lib/vocabulary/custom-resource-definition";

export interface ExtensionRow {
  uid: string;
  name: string;
  group: string;
  kind: string;
  scope: "Namespaced" | "Cluster";
  versions: { name: string; served: boolean; storage: boolean }[];
  /** Established, or why not: NamesAccepted's reason, Terminating while its objects are deleted. */
  state: { established: boolean; text: string };
  objects: number;
  /** Who looks after its objects now: each watcher of the kind, and each Lease held where its objects are. */
  controllers: { who: string; how: string }[];
}

interface LeaseSpec {
  holderIdentity?: string;
  renewTime?: string;
  leaseDurationSeconds?: number;
}

/** Held: named a holder that renewed within its duration. */
function held(spec: LeaseSpec, now: number): boolean {
  const renewed = Date.parse(spec.renewTime ?? "");
  return Boolean(spec.holderIdentity) && !Number.isNaN(renewed) && renewed + (spec.leaseDurationSeconds ?? 0) * 1000 > now;
}

function stateOf(status: DefinitionStatus | undefined): ExtensionRow["state"] {
  const conditions = status?.conditions ?? [];
  const terminating = conditions.find((condition) => condition.type === "Terminating" && condition.status === "True");
  if (terminating) return { established: false, text: `Terminating: ${terminating.message}` };
  const names = conditions.find((condition) => condition.type === "NamesAccepted");
  if (names?.status === "False") return { established: false, text: `Names not accepted (${names.reason}): ${names.message}` };
  const established = conditions.some((condition) => condition.type === "Established" && condition.status === "True");
  return established ? { established, text: "Established" } : { established, text: "Not established yet" };
}

export async function readExtensions(actor: Actor): Promise<ExtensionRow[]> {
  assertCan(actor, "customResourceDefinitions.manage");
  const pool = getPool();
  const { rows } = await pool.query<{ uid: string; name: string; spec: DefinitionSpec; status: DefinitionStatus; stored_kind: string; objects: number; namespaces: string[] }>(
    `WITH definitions AS (
       SELECT uid, name, spec, status, ${storedKindSql("resources")} AS stored_kind
         FROM resources WHERE kind = 'CustomResourceDefinition')
     SELECT d.uid::text, d.name, d.spec, d.status, d.stored_kind, COALESCE(c.objects, 0)::int AS objects, COALESCE(c.namespaces, '{}') AS namespaces
       FROM definitions d
       LEFT JOIN LATERAL (
         SELECT count(*) AS objects, array_agg(DISTINCT r.namespace) AS namespaces FROM resources r WHERE r.kind = d.stored_kind) c ON true
      ORDER BY d.spec->>'group', d.name`,
  );
  const namespaces = [...new Set(rows.flatMap((row) => (row.spec.scope === "Namespaced" ? row.namespaces : [])))];
  const anywhere = rows.some((row) => row.spec.scope === "Cluster");
  const { rows: leases } = await pool.query<{ namespace: string; name: string; spec: LeaseSpec }>(
    `SELECT namespace, name, spec FROM resources WHERE kind = 'Lease' AND namespace <> 'kube-node-lease' AND ($2 OR namespace = ANY($1::text[]))`,
    [namespaces, anywhere],
  );
  const { rows: watches } = await pool.query<{ kind: string; watcher: string; watches: number }>(
    `SELECT kind, watcher, count(*)::int AS watches FROM custom_kind_watches WHERE seen_at > now() - make_interval(secs => $1) GROUP BY kind, watcher ORDER BY watcher`,
    [OPEN_WATCH_SECONDS],
  );
  const now = Date.now();
  const heldLeases = leases.filter((lease) => held(lease.spec, now));
  return rows.map((row) => ({
    uid: row.uid,
    name: row.name,
    group: row.spec.group,
    kind: row.spec.names.kind,
    scope: row.spec.scope,
    versions: row.spec.versions.map(({ name, served, storage }) => ({ name, served, storage })),
    state: stateOf(row.status),
    objects: row.objects,
    controllers: [
      ...watches
        .filter((watch) => watch.kind === row.stored_kind)
        .map((watch) => ({ who: watch.watcher, how: `${watch.watches} ${watch.watches === 1 ? "watch" : "watches"} open` })),
      ...heldLeases
        .filter((lease) => row.spec.scope === "Cluster" || row.namespaces.includes(lease.namespace))
        .map((lease) => ({ who: lease.spec.holderIdentity!, how: `holds Lease ${lease.namespace}/${lease.name}` })),
    ],
  }));
}
