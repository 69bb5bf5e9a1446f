// Read model of a cluster's self-service template (table namespace_templates, written by
// administrators through lib/namespaces/template-admin.ts), in the engine's terms.
import type { Db } from "@/lib/db/pool";
import type { NamespaceLimits } from "@/lib/engine/schemas";

export interface SelfServiceTemplate {
  cluster: string;
  defaults: NamespaceLimits;
  max: NamespaceLimits;
  /** What the namespaces one user creates with the template may total (lib/engine/self-service-totals.ts). */
  perUser: NamespaceLimits;
  /** Empty: every one of that kind. */
  vmClasses: string[];
  images: string[];
  storageClasses: string[];
  /** Groups whose members may create namespaces with it. */
  groups: string[];
  /** Whether the creator of a namespace made with it may delete that namespace. */
  ownersMayDelete: boolean;
}

interface Row {
  cluster: string;
  default_cpu: number | null;
  default_memory_mib: number | null;
  default_storage_gib: number | null;
  max_cpu: number | null;
  max_memory_mib: number | null;
  max_storage_gib: number | null;
  per_user_cpu: number | null;
  per_user_memory_mib: number | null;
  per_user_storage_gib: number | null;
  vm_classes: string[];
  images: string[];
  storage_classes: string[];
  groups: string[];
  owners_may_delete: boolean;
}

const limits = (cpu: number | null, memoryMiB: number | null, storageGiB: number | null): NamespaceLimits => ({
  ...(cpu !== null && { cpu }),
  ...(memoryMiB !== null && { memoryMiB }),
  ...(storageGiB !== null && { storageGiB }),
});

function fromRow(row: Row): SelfServiceTemplate {
  return {
    cluster: row.cluster,
    defaults: limits(row.default_cpu, row.default_memory_mib, row.default_storage_gib),
    max: limits(row.max_cpu, row.max_memory_mib, row.max_storage_gib),
    perUser: limits(row.per_user_cpu, row.per_user_memory_mib, row.per_user_storage_gib),
    vmClasses: row.vm_classes,
    images: row.images,
    storageClasses: row.storage_classes,
    groups: row.groups,
    ownersMayDelete: row.owners_may_delete,
  };
}

export async function readSelfServiceTemplates(db: Db, cluster?: string): Promise<SelfServiceTemplate[]> {
  const { rows } = await db.query<Row>(`SELECT * FROM namespace_templates WHERE $1::text IS NULL OR cluster = $1 ORDER BY cluster`, [cluster ?? null]);
  return rows.map(fromRow);
}

export async function readSelfServiceTemplate(db: Db, cluster: string): Promise<SelfServiceTemplate | null> {
  return (await readSelfServiceTemplates(db, cluster))[0] ?? null;
}
