// get and list: one object, or a page of objects filtered by namespace, labelSelector and
// fieldSelector, ordered by namespace and name. A list's resourceVersion is a watch frontier
// that every listed object is at or below, so a watch started from it misses nothing and repeats
// nothing; `continue` carries that version and the last key, so pages keep going from where the
// last one ended.
import type pg from "pg";
import type { ApiResource } from "@/lib/kube/api-resources";
import type { KubeVisibility } from "@/lib/kube/kube-access";
import { badRequest, gone, notFound } from "@/lib/kube/api-status";
import { RESOURCE_COLUMNS, storedObjectFromRow, type ResourceRow } from "@/lib/engine/object-store";
import { readKubeObject, toKubeObject, type KubeObject } from "@/lib/kube/kube-objects";
import { servedAs } from "@/lib/kube/custom-resource-writes";
import { addFieldSelector, addLabelSelector, type SqlFilter } from "@/lib/kube/selectors";
import { parseResourceVersion } from "@/lib/kube/request-params";
import type { WatchFrontier } from "@/lib/kube/watch-frontier";

export interface ListOptions {
  namespace?: string;
  /** Only these namespaces' objects (the caller's visible namespaces), or all when absent. */
  /** What the caller may see (lib/kube/kube-access.ts); absent for everything. */
  visible?: KubeVisibility;
  labelSelector: string | null;
  fieldSelector: string | null;
  limit?: number;
  continueToken?: string | null;
}

export interface ListResult {
  objects: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
}

interface ContinueToken {
  rv: string;
  ns: string;
  name: string;
}

const isKeyPart = (value: unknown) => typeof value === "string" && value.length <= 253;

/** A token this server issued: a resourceVersion and the last key listed; anything else is 400, as kube-apiserver answers. */
function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString()) as ContinueToken;
    if (isKeyPart(parsed.ns) && isKeyPart(parsed.name) && typeof parsed.rv === "string" && parseResourceVersion(parsed.rv, "continue") !== null) return parsed;
  } catch {
    // falls through to the error below
  }
  throw badRequest("continue key is not valid: the token was not issued by this server");
}

export const resourceRef = (resource: ApiResource, name = "") => ({ group: resource.group, plural: resource.plural, kind: resource.kind, name });

export async function getObjectOrThrow(db: pg.Pool, resource: ApiResource, namespace: string | undefined, name: string): Promise<KubeObject> {
  const object = await readKubeObject(db, { kind: resource.kind, namespace: namespace ?? "", name });
  if (!object) throw notFound(resourceRef(resource, name));
  return servedAs(resource, object);
}

/** The compaction point: watches and continue tokens from before it get 410 Gone. */
export async function compactedResourceVersion(db: pg.Pool): Promise<bigint> {
  const { rows } = await db.query<{ value: string }>(`SELECT value FROM system_settings WHERE key = 'kube.compactedResourceVersion'`);
  return rows[0] ? BigInt(rows[0].value) : 0n;
}

export async function listObjects(db: pg.Pool, frontier: WatchFrontier, resource: ApiResource, options: ListOptions): Promise<ListResult> {
  const filter: SqlFilter = { clauses: ["kind = $1"], values: [resource.kind] };
  if (options.namespace) filter.clauses.push(`namespace = $${filter.values.push(options.namespace)}`);
  if (options.visible?.namespaces) filter.clauses.push(`namespace = ANY($${filter.values.push(options.visible.namespaces)})`);
  if (options.visible?.names) filter.clauses.push(`name = ANY($${filter.values.push(options.visible.names)})`);
  addLabelSelector(filter, options.labelSelector);
  addFieldSelector(filter, options.fieldSelector, resource.fields);

  let position: ContinueToken | null = null;
  if (options.continueToken) {
    position = decodeContinue(options.continueToken);
    if (BigInt(position.rv) < (await compactedResourceVersion(db))) {
      throw gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
    }
    filter.clauses.push(`(namespace, name) > ($${filter.values.push(position.ns)}, $${filter.values.push(position.name)})`);
  }
  const limit = options.limit && options.limit > 0 ? options.limit : undefined;
  const sql = `SELECT ${RESOURCE_COLUMNS} FROM resources WHERE ${filter.clauses.join(" AND ")} ORDER BY namespace, name${limit ? ` LIMIT ${limit + 1}` : ""}`;

  let rows: ResourceRow[] = [];
  let resourceVersion: bigint;
  if (position) {
    resourceVersion = BigInt(position.rv);
    rows = (await db.query<ResourceRow>(sql, filter.values)).rows;
  } else {
    // The list's version must be a frontier no listed object is beyond; a write that committed
    // between reading the frontier and the rows makes us read both again. Under constant writes
    // the last attempt keeps the frontier: a watch from it may repeat an object, never miss one.
    for (let attempt = 0; ; attempt++) {
      resourceVersion = await frontier.current();
      rows = (await db.query<ResourceRow>(sql, filter.values)).rows;
      const version = resourceVersion;
      if (attempt >= 3 || rows.every((row) => BigInt(row.resource_version) <= version)) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const more = limit !== undefined && rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    objects: page.map((row) => servedAs(resource, toKubeObject(storedObjectFromRow(row)))),
    resourceVersion: String(resourceVersion),
    continueToken: more && last ? Buffer.from(JSON.stringify({ rv: String(resourceVersion), ns: last.namespace, name: last.name })).toString("base64url") : undefined,
  };
}

export function listBody(resource: ApiResource, result: ListResult) {
  return {
    kind: resource.custom?.listKind ?? `${resource.kind}List`,
    apiVersion: resource.group ? `${resource.group}/${resource.version}` : resource.version,
    metadata: { resourceVersion: result.resourceVersion, ...(result.continueToken ? { continue: result.continueToken } : {}) },
    items: result.objects,
  };
}
