// Read models for namespaces beyond their object page: the choices of the namespace forms (clusters,
// VM classes, images, each cluster's datastores), the users and groups a permission can name, the
// namespaces a user belongs to (Home), and the self-service templates a user may use, with what
// their self-service namespaces already hold of each template's per-user totals.
import "server-only";
import { assertCan, authorizeSelfService, visibleNamespaces, type UserActor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { readSelfServiceTemplates, type SelfServiceTemplate } from "@/lib/engine/self-service-template";
import { readSelfServiceUsage, type SelfServiceUsage } from "@/lib/engine/self-service-totals";
import { namespacePermissionSchema, type NamespaceLimits, type NamespacePermission, type NamespaceRole } from "@/lib/engine/schemas";
import { ForbiddenError } from "@/lib/errors";
import { readVmClassOptions, type VmClassOption } from "@/lib/inventory/vm-classes";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

export interface NamespaceFormChoices {
  clusters: string[];
  classes: VmClassOption[];
  images: string[];
  datastoresByCluster: Record<string, string[]>;
}

export async function readNamespaceFormChoices(): Promise<NamespaceFormChoices> {
  const pool = getPool();
  const [classes, others] = await Promise.all([
    readVmClassOptions(),
    pool.query<{ kind: string; name: string; cluster: string | null }>(
      `SELECT kind, name, labels->>'skylight.io/cluster' AS cluster FROM resources
        WHERE kind IN ('Cluster', 'VirtualMachineImage', 'Datastore') AND namespace = '' AND deletion_timestamp IS NULL ORDER BY name`,
    ),
  ]);
  const datastoresByCluster: Record<string, string[]> = {};
  for (const row of others.rows.filter((candidate) => candidate.kind === "Datastore" && candidate.cluster)) {
    (datastoresByCluster[row.cluster!] ??= []).push(row.name);
  }
  return {
    clusters: others.rows.filter((row) => row.kind === "Cluster").map((row) => row.name),
    classes,
    images: others.rows.filter((row) => row.kind === "VirtualMachineImage").map((row) => row.name),
    datastoresByCluster,
  };
}

export function namespacePermissionsOf(spec: Record<string, unknown>): NamespacePermission[] {
  const parsed = namespacePermissionSchema.array().safeParse(spec.permissions ?? []);
  return parsed.success ? parsed.data : [];
}

export interface NamespaceAccess {
  uid: string;
  name: string;
  permissions: NamespacePermission[];
}

/** The namespace an object lives in, with who may use it: the roles its objects inherit. */
export async function readNamespaceAccess(name: string): Promise<NamespaceAccess | null> {
  const { rows } = await getPool().query<{ uid: string; spec: Record<string, unknown> }>(
    `SELECT uid::text, spec FROM resources WHERE kind = 'Namespace' AND namespace = '' AND name = $1`,
    [name],
  );
  return rows[0] ? { uid: rows[0].uid, name, permissions: namespacePermissionsOf(rows[0].spec) } : null;
}

export interface PermissionSubjects {
  users: { username: string; name: string }[];
  groups: string[];
}

export async function readPermissionSubjects(): Promise<PermissionSubjects> {
  const pool = getPool();
  const [users, groups] = await Promise.all([
    pool.query<{ username: string; name: string }>(`SELECT username, name FROM users WHERE username IS NOT NULL AND NOT banned ORDER BY username`),
    pool.query<{ name: string }>(`SELECT name FROM user_groups ORDER BY name`),
  ]);
  return { users: users.rows, groups: groups.rows.map((row) => row.name) };
}

/** The names of a namespace's service accounts, for its Permissions tab. */
export async function readServiceAccountNames(namespace: string): Promise<string[]> {
  const { rows } = await getPool().query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'ServiceAccount' AND namespace = $1 ORDER BY name`, [namespace]);
  return rows.map((row) => row.name);
}

export interface MyNamespace {
  uid: string;
  name: string;
  cluster: string;
  role: NamespaceRole;
  deleting: boolean;
  limits: NamespaceLimits;
  usage: { vms: number; cpu: number; memoryMiB: number; storageGiB: number };
}

/** The namespaces the user can see, with their role, limits and usage; not `default`, which everyone reads and nobody deploys to from here. */
export async function readMyNamespaces(actor: UserActor): Promise<MyNamespace[]> {
  const visible = (await visibleNamespaces(actor)).filter((entry) => entry.name !== SYSTEM_NAMESPACE);
  const roles = new Map(visible.map((entry) => [entry.name, entry.role]));
  const { rows } = await getPool().query<{ uid: string; name: string; cluster: string; deleting: boolean; limits: NamespaceLimits | null; usage: MyNamespace["usage"] | null }>(
    `SELECT uid::text, name, spec->>'cluster' AS cluster, deletion_timestamp IS NOT NULL AS deleting, spec->'limits' AS limits, status->'usage' AS usage
       FROM resources WHERE kind = 'Namespace' AND namespace = '' AND name = ANY($1::text[]) ORDER BY name`,
    [[...roles.keys()]],
  );
  return rows.map((row) => ({
    ...row,
    role: roles.get(row.name)!,
    limits: row.limits ?? {},
    usage: row.usage ?? { vms: 0, cpu: 0, memoryMiB: 0, storageGiB: 0 },
  }));
}

/** Every cluster's template, for administrators. */
export function readTemplatesForAdmin(actor: UserActor): Promise<SelfServiceTemplate[]> {
  assertCan(actor, "namespaces.manage");
  return readSelfServiceTemplates(getPool());
}

/** The templates the user may create a namespace with. */
export async function readUsableTemplates(actor: UserActor): Promise<SelfServiceTemplate[]> {
  const pool = getPool();
  const usable: SelfServiceTemplate[] = [];
  for (const template of await readSelfServiceTemplates(pool)) {
    try {
      await authorizeSelfService(actor, template, pool);
      usable.push(template);
    } catch (error) {
      if (!(error instanceof ForbiddenError)) throw error;
    }
  }
  return usable;
}

/** What the user's self-service namespaces hold on each of the clusters, against the templates' per-user totals. */
export async function readMySelfServiceUsage(actor: UserActor, clusters: string[]): Promise<Record<string, SelfServiceUsage>> {
  const pool = getPool();
  return Object.fromEntries(await Promise.all(clusters.map(async (cluster) => [cluster, await readSelfServiceUsage(pool, actor.id, cluster)] as const)));
}
