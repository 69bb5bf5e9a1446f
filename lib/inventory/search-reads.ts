// Global search over the inventory: any object by name substring, a VM's or host's IP address,
// an exact label (`key=value`), or a tag (`tag:prod`, `tag:Environment:prod`, or a term that is a
// tag's whole name), grouped by kind with each group's total. Name and VM IP matches use the
// trigram indexes, labels the GIN index, tags tag_assignments' (tag, object) key, so a search
// stays an index lookup at 45,000 VMs; hosts (a few thousand) are filtered by kind.
import { visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import { CUSTOM_KINDS_SQL } from "@/lib/inventory/custom-kinds-sql";
import type { CustomResourceKind, Kind, WorkloadKind } from "@/lib/inventory/kinds";
import { parseTagReference, tagIdsSql } from "@/lib/inventory/tag-filter-sql";
import { containsPattern, escapeLike } from "@/lib/db/like-pattern";

export type SearchMatch = "name" | "IP address" | "label" | "tag";

/** The kinds search finds: those with an object page. */
export type SearchKind = Kind | WorkloadKind | CustomResourceKind;

export interface SearchHit {
  uid: string;
  kind: SearchKind;
  name: string;
  namespace: string;
  matched: SearchMatch;
  /** The IP address, label or tag that matched; null for a name match. */
  matchedValue: string | null;
  /** Where the object sits: a VM's namespace and host, a host's cluster, a cluster's datacenter. */
  context: string | null;
}

export interface SearchGroup {
  kind: SearchKind;
  total: number;
  hits: SearchHit[];
}

/** Groups in the order the console shows them; custom resources' follow, by kind. */
export const SEARCH_KIND_ORDER: SearchKind[] = [
  "VirtualMachine",
  "Pod",
  "Deployment",
  "ReplicaSet",
  "Host",
  "Cluster",
  "Datacenter",
  "Datastore",
  "Network",
  "Namespace",
  "Folder",
  "VirtualMachineClass",
  "VirtualMachineImage",
];

export const MAX_SEARCH_TERM = 200;


/** `key=value` as a label filter for `labels @> …`, or null when the term is not one. */
function labelFilter(term: string): string | null {
  const match = /^([^=\s]+)=([^=]*)$/.exec(term);
  return match ? JSON.stringify({ [match[1]!]: match[2]! }) : null;
}

// Trigrams need three characters: a shorter term would read every name, so it matches whole names.
export const MIN_SUBSTRING_TERM = 3;

/** The prefix that makes a search a tag search only. */
export const TAG_SEARCH_PREFIX = "tag:";

export async function searchInventory(rawTerm: string, perKind: number, access: AccessScope): Promise<SearchGroup[]> {
  const term = rawTerm.trim().slice(0, MAX_SEARCH_TERM);
  if (!term) return [];
  const tagOnly = term.toLowerCase().startsWith(TAG_SEARCH_PREFIX);
  const tag = parseTagReference(tagOnly ? term.slice(TAG_SEARCH_PREFIX.length) : term);
  if (tagOnly && !tag) return [];
  const label = tagOnly ? null : labelFilter(term);
  const short = term.length < MIN_SUBSTRING_TERM;
  const values: unknown[] = [];
  const bind = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  const prefix = bind(`${escapeLike(term)}%`);
  const exact = bind(term);
  const limit = bind(perKind);
  const ways: string[] = [];
  if (!tagOnly) {
    const pattern = bind(short ? term : containsPattern(term));
    ways.push(`SELECT uid, kind, name, namespace, 1 AS priority, 'name' AS matched FROM resources WHERE name ${short ? "=" : "ILIKE"} ${pattern}`);
    if (!short) {
      ways.push(
        `SELECT uid, kind, name, namespace, 2 AS priority, 'IP address' AS matched FROM resources WHERE kind = 'VirtualMachine' AND status->'network'->>'primaryIP4' ILIKE ${pattern}`,
        `SELECT uid, kind, name, namespace, 2 AS priority, 'IP address' AS matched FROM resources WHERE kind = 'Host' AND status->>'managementIP' ILIKE ${pattern}`,
      );
    }
  }
  if (label) ways.push(`SELECT uid, kind, name, namespace, 3 AS priority, 'label' AS matched FROM resources WHERE labels @> ${bind(label)}::jsonb`);
  if (tag) {
    ways.push(
      `SELECT r.uid, r.kind, r.name, r.namespace, 3 AS priority, 'tag' AS matched FROM tag_assignments ta JOIN resources r ON r.uid = ta.object_uid WHERE ta.tag_id IN (${tagIdsSql(tag, bind)})`,
    );
  }
  const visible = visibilitySql(access, { kind: "kind", namespace: "namespace", name: "name", labels: "(SELECT l.labels FROM resources l WHERE l.uid = matches.uid)" }, bind);

  values.push(SEARCH_KIND_ORDER);
  const searchable = `$${values.length}`;

  // Each way of matching is its own index scan over narrow columns; only the rows shown are then
  // read whole for their context, so a label shared by 9,000 VMs costs no 9,000 status reads.
  const rows = await prisma.$queryRawUnsafe<(SearchHit & { total: number })[]>(
    `WITH matches AS (${ways.join(" UNION ALL ")}),
     hits AS (
       SELECT DISTINCT ON (uid) * FROM matches
        WHERE ${visible} AND (kind = ANY(${searchable}::text[]) OR kind IN (${CUSTOM_KINDS_SQL}))
        ORDER BY uid, priority),
     ranked AS (
       SELECT *, row_number() OVER (PARTITION BY kind ORDER BY lower(name) = lower(${exact}) DESC, name ILIKE ${prefix} DESC, name COLLATE "C", namespace COLLATE "C") AS rank,
              count(*) OVER (PARTITION BY kind)::int AS total
         FROM hits)
     SELECT r.uid::text, r.kind, r.name, r.namespace, ranked.matched, ranked.total,
            CASE ranked.matched
              WHEN 'IP address' THEN COALESCE(r.status->'network'->>'primaryIP4', r.status->>'managementIP')
              WHEN 'label' THEN ${exact}
              WHEN 'tag' THEN ${tagOnly ? `substr(${exact}, ${TAG_SEARCH_PREFIX.length + 1})` : exact} END AS "matchedValue",
            NULLIF(CASE r.kind
              WHEN 'VirtualMachine' THEN concat_ws(' · ', r.namespace, r.status->>'host')
              WHEN 'Host' THEN r.spec->>'cluster'
              WHEN 'Namespace' THEN r.spec->>'cluster'
              ELSE COALESCE(NULLIF(r.namespace, ''), r.spec->>'datacenter') END, '') AS context
       FROM ranked JOIN resources r ON r.uid = ranked.uid
      WHERE ranked.rank <= ${limit}
      ORDER BY r.kind, ranked.rank`,
    ...values,
  );

  const groups = new Map<SearchKind, SearchGroup>();
  for (const { total, ...hit } of rows) {
    const group = groups.get(hit.kind) ?? { kind: hit.kind, total, hits: [] };
    group.hits.push(hit);
    groups.set(hit.kind, group);
  }
  const order = (kind: SearchKind) => (SEARCH_KIND_ORDER.includes(kind) ? SEARCH_KIND_ORDER.indexOf(kind) : SEARCH_KIND_ORDER.length);
  return [...groups.values()].sort((a, b) => order(a.kind) - order(b.kind) || a.kind.localeCompare(b.kind));
}
