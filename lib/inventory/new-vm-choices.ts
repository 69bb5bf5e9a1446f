// Read model of what the New Virtual Machine wizard offers a user: the namespaces they may deploy
// into (each with its cluster; only one cluster's when the wizard opens from it), and, once one is
// chosen, the VM classes (smallest first, each with why the namespace's remaining quota cannot hold
// it), images (templates among them, once published) and datastores it allows, its cluster's hosts
// (for those who may choose one) and its datacenter's networks.
import "server-only";
import { can, visibleNamespaces, type UserActor } from "@/lib/auth/authorize";
import { roleAtLeast } from "@/lib/auth/namespace-access";
import { getPool } from "@/lib/db/pool";
import { readClassShortfalls } from "@/lib/engine/namespace-quota";
import { readVmClassOptions, type VmClassOption } from "@/lib/inventory/vm-classes";
import { IMAGE_KIND_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

export interface NamespaceChoice {
  name: string;
  cluster: string;
}

export interface ImageChoice {
  name: string;
  os: string;
  diskGiB: number | null;
  /** Made from a VM by Clone to Template. */
  template: boolean;
  /** A Windows guest, customized by Sysprep rather than cloud-init. */
  windows: boolean;
  /** An ISO image, which can also back a VM's CD/DVD drive. */
  iso: boolean;
}

export interface DatastoreChoice {
  name: string;
  type: string;
  capacityGiB: number | null;
  freeGiB: number | null;
}

export interface NetworkChoice {
  name: string;
  portGroup: string;
  vlanId: number | null;
}

export interface HostChoice {
  name: string;
  /** Why DRS would not place a VM there right now, or null when it can. */
  unavailable: string | null;
}

export interface ClusterChoices {
  cluster: string;
  datacenter: string;
  hosts: HostChoice[];
  datastores: DatastoreChoice[];
  networks: NetworkChoice[];
}

export interface ClassChoice extends VmClassOption {
  /** Why a powered-on VM of this class would pass the namespace's CPU or memory limit, or null when it fits. */
  shortfall: string | null;
}

export interface NewVmChoices {
  namespaces: NamespaceChoice[];
  /** Administrators and operators may pick the host; for others DRS always places the VM. */
  canChooseHost: boolean;
  classes: ClassChoice[];
  images: ImageChoice[];
  /** Present when a namespace was named and exists. */
  placement: ClusterChoices | null;
}

interface NamespaceRow extends NamespaceChoice {
  vmClasses: string[] | null;
  images: string[] | null;
  storageClasses: string[] | null;
}

const allowedBy = <T extends { name: string }>(items: T[], allowed: string[] | null | undefined) => (allowed ? items.filter((item) => allowed.includes(item.name)) : items);

export async function readNewVmChoices(actor: UserActor, namespace: string | null, cluster: string | null = null): Promise<NewVmChoices> {
  const pool = getPool();
  // default belongs to no cluster: nothing the wizard offers could be placed there.
  const deployable = (await visibleNamespaces(actor)).filter((entry) => roleAtLeast(entry.role, "edit") && entry.name !== SYSTEM_NAMESPACE).map((entry) => entry.name);
  const [namespaces, classes, images] = await Promise.all([
    pool.query<NamespaceRow>(
      `SELECT name, spec->>'cluster' AS cluster, spec->'vmClasses' AS "vmClasses", spec->'images' AS images, spec->'storageClasses' AS "storageClasses"
         FROM resources WHERE kind = 'Namespace' AND deletion_timestamp IS NULL AND name = ANY($1::text[]) AND ($2::text IS NULL OR spec->>'cluster' = $2) ORDER BY name`,
      [deployable, cluster],
    ),
    readVmClassOptions(),
    pool.query<ImageChoice>(
      `SELECT name, COALESCE(status->'osInfo'->>'version', status->'osInfo'->>'type', '') AS os,
              NULLIF(regexp_replace(status->'disks'->0->>'capacity', '[^0-9]', '', 'g'), '')::int AS "diskGiB",
              COALESCE(labels->>'skylight.io/template' = 'true', false) AS template,
              COALESCE(status->'osInfo'->>'type' = 'Windows', false) AS windows,
              COALESCE(annotations->>'${IMAGE_KIND_ANNOTATION}' = 'iso', false) AS iso
         FROM resources WHERE kind = 'VirtualMachineImage' AND deletion_timestamp IS NULL
          -- A template is offered once its disk has been copied to the library.
          AND (NOT labels ? 'skylight.io/template' OR status->'conditions' @> '[{"type":"Ready","status":"True"}]')
        ORDER BY template, name`,
    ),
  ]);
  const owner = namespaces.rows.find((row) => row.name === namespace);
  const canChooseHost = can(actor, "inventory.operate");
  const [placement, shortfalls]: [ClusterChoices | null, Record<string, string>] = owner ? await Promise.all([readClusterChoices(owner.cluster), readClassShortfalls(pool, owner.name)]) : [null, {}];
  return {
    namespaces: namespaces.rows.map(({ name, cluster }) => ({ name, cluster })),
    canChooseHost,
    classes: allowedBy(classes, owner?.vmClasses).map((vmClass) => ({ ...vmClass, shortfall: shortfalls[vmClass.name] ?? null })),
    images: allowedBy(images.rows, owner?.images),
    placement: placement && { ...placement, hosts: canChooseHost ? placement.hosts : [], datastores: allowedBy(placement.datastores, owner?.storageClasses) },
  };
}

async function readClusterChoices(cluster: string): Promise<ClusterChoices> {
  const pool = getPool();
  const [datacenter, hosts, datastores, networks] = await Promise.all([
    pool.query<{ datacenter: string }>(`SELECT spec->>'datacenter' AS datacenter FROM resources WHERE kind = 'Cluster' AND namespace = '' AND name = $1`, [cluster]),
    pool.query<HostChoice>(
      `SELECT name, CASE WHEN (spec->>'maintenanceMode')::boolean THEN 'in maintenance mode'
                         WHEN COALESCE(status->>'connectionState', '') <> 'connected' THEN 'not connected' END AS unavailable
         FROM resources WHERE kind = 'Host' AND spec->>'cluster' = $1 AND deletion_timestamp IS NULL ORDER BY name`,
      [cluster],
    ),
    pool.query<DatastoreChoice>(
      `SELECT name, COALESCE(spec->>'type', '') AS type, (spec->>'capacityGiB')::int AS "capacityGiB", (status->>'freeGiB')::int AS "freeGiB"
         FROM resources WHERE kind = 'Datastore' AND labels->>'skylight.io/cluster' = $1 AND deletion_timestamp IS NULL ORDER BY name`,
      [cluster],
    ),
    pool.query<NetworkChoice>(
      `SELECT n.name, n.spec->>'portGroup' AS "portGroup", (n.spec->>'vlanId')::int AS "vlanId"
         FROM resources n JOIN resources c ON c.kind = 'Cluster' AND c.namespace = '' AND c.name = $1 AND n.spec->>'datacenter' = c.spec->>'datacenter'
        WHERE n.kind = 'Network' AND n.deletion_timestamp IS NULL ORDER BY n.spec->>'portGroup' <> 'VM Network', n.name`,
      [cluster],
    ),
  ]);
  return { cluster, datacenter: datacenter.rows[0]?.datacenter ?? "", hosts: hosts.rows, datastores: datastores.rows, networks: networks.rows };
}
