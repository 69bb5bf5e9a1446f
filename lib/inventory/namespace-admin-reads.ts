// Read model of Administration › Namespaces: every namespace with its limits, usage, allowances
// and permissions, for the administrators' table.
import "server-only";
import { assertCan, type Actor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import type { NamespaceLimits, NamespacePermission } from "@/lib/engine/schemas";

export interface NamespaceAdminRow {
  uid: string;
  name: string;
  /** Null for default, Skylight's system namespace, which belongs to no cluster. */
  cluster: string | null;
  deleting: boolean;
  limits: NamespaceLimits;
  vms: number;
  restricted: string[];
  permissions: NamespacePermission[];
}

export async function readNamespacesForAdmin(actor: Actor): Promise<NamespaceAdminRow[]> {
  assertCan(actor, "namespaces.manage");
  const { rows } = await getPool().query<{ uid: string; name: string; cluster: string | null; deleting: boolean; spec: Record<string, unknown>; vms: number }>(
    `SELECT n.uid::text, n.name, n.spec->>'cluster' AS cluster, n.deletion_timestamp IS NOT NULL AS deleting, n.spec,
            (SELECT count(*) FROM resources v WHERE v.kind = 'VirtualMachine' AND v.namespace = n.name)::int AS vms
       FROM resources n WHERE n.kind = 'Namespace' AND n.namespace = '' ORDER BY n.name`,
  );
  return rows.map((row) => ({
    uid: row.uid,
    name: row.name,
    cluster: row.cluster,
    deleting: row.deleting,
    vms: row.vms,
    limits: (row.spec.limits ?? {}) as NamespaceLimits,
    restricted: (["vmClasses", "images", "storageClasses"] as const).filter((key) => Array.isArray(row.spec[key])).map((key) => ({ vmClasses: "VM classes", images: "images", storageClasses: "storage" })[key]),
    permissions: (row.spec.permissions ?? []) as NamespacePermission[],
  }));
}
