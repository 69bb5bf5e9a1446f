// The kinds established CustomResourceDefinitions define, served beside the built-in ones. Each
// request first asks PostgreSQL whether any definition changed (how many there are and the newest
// resourceVersion: one index read), and reads them again only then, so a definition created or
// deleted through another Skylight process is served or gone at this one's next request. Each
// served version becomes an ApiResource; what is built from a definition is keyed by its
// resourceVersion, so an unchanged definition is never rebuilt.
import { getPool, type Db } from "@/lib/db/pool";
import { READ_VERBS, serveCustomResources, WRITE_VERBS, type ApiResource, type TableColumn } from "@/lib/kube/api-resources";
import { conditionIs, storedKindOf, type DefinitionSpec, type DefinitionStatus } from "@/lib/vocabulary/custom-resource-definition";

const AGE: TableColumn = { name: "Age", type: "date", description: "Time since the object was created.", path: "age" };

interface DefinitionRow {
  name: string;
  resource_version: string;
  deleting: boolean;
  spec: DefinitionSpec;
  status: DefinitionStatus;
}

const STABILITY = { "": 3, beta: 2, alpha: 1 } as const;

/**
 * kube's version priority, highest first: GA before beta before alpha, a larger major (then minor)
 * first within each, and any other name after them all, alphabetically (v2, v1, v1beta2, v1alpha1, foo).
 */
export function byVersionPriority(a: string, b: string): number {
  const parse = (name: string) => {
    const match = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(name);
    return match ? { stability: STABILITY[(match[2] ?? "") as keyof typeof STABILITY], major: Number(match[1]), minor: Number(match[3] ?? 0) } : null;
  };
  const [left, right] = [parse(a), parse(b)];
  if (left && right) return right.stability - left.stability || right.major - left.major || right.minor - left.minor;
  if (left || right) return left ? -1 : 1;
  return a.localeCompare(b);
}

/** One ApiResource per served version of an established definition, named as it was accepted, the preferred version (kube's priority) first. */
export function resourcesOfDefinition(row: DefinitionRow): ApiResource[] {
  const { spec, status } = row;
  if (!conditionIs(status, "Established") || !status.acceptedNames) return [];
  const names = status.acceptedNames;
  return spec.versions
    .filter((version) => version.served)
    .sort((a, b) => byVersionPriority(a.name, b.name))
    .map((version) => ({
      group: spec.group,
      version: version.name,
      kind: storedKindOf(spec),
      plural: names.plural,
      singular: names.singular || names.kind.toLowerCase(),
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      namespaced: spec.scope === "Namespaced",
      verbs: [...READ_VERBS, ...WRITE_VERBS],
      hasStatus: version.subresources?.status !== undefined,
      hasScale: version.subresources?.scale !== undefined,
      columns: [AGE],
      fields: {},
      custom: {
        kind: names.kind,
        listKind: names.listKind || `${names.kind}List`,
        definition: { name: row.name, resourceVersion: row.resource_version },
        schema: version.schema?.openAPIV3Schema ?? { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        printerColumns: version.additionalPrinterColumns ?? [],
        scale: version.subresources?.scale,
        terminating: row.deleting,
      },
    }));
}

let servedMarker = "";
let built = new Map<string, ApiResource[]>();

/** Serves the definitions as they are now in `db`, reading them only when something changed since the last call. */
export async function refreshServedCustomKinds(db: Db = getPool()): Promise<void> {
  const { rows: markers } = await db.query<{ marker: string }>(
    `SELECT count(*) || ':' || coalesce(max(resource_version), 0) AS marker FROM resources WHERE kind = 'CustomResourceDefinition'`,
  );
  const marker = markers[0]!.marker;
  if (marker === servedMarker) return;
  const { rows } = await db.query<DefinitionRow>(
    `SELECT name, resource_version::text, deletion_timestamp IS NOT NULL AS deleting, spec, status FROM resources WHERE kind = 'CustomResourceDefinition' ORDER BY name`,
  );
  const next = new Map<string, ApiResource[]>();
  for (const row of rows) {
    const key = `${row.name}@${row.resource_version}`;
    next.set(key, built.get(key) ?? resourcesOfDefinition(row));
  }
  built = next;
  servedMarker = marker;
  serveCustomResources([...next.values()].flat());
}
