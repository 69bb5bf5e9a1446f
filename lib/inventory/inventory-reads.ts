// Read models of the inventory for the console: the summary counts on Home, the navigator's
// Hosts and Clusters tree, one object by uid, and search by name, label or IP address.
import { prisma } from "@/lib/db/prisma";
import type { Kind } from "@/lib/inventory/kinds";

export interface InventorySummary {
  datacenters: number;
  clusters: number;
  hosts: { total: number; connected: number; disconnected: number; inMaintenance: number };
  virtualMachines: { total: number; poweredOn: number; poweredOff: number; suspended: number };
  namespaces: number;
}

export async function readInventorySummary(): Promise<InventorySummary> {
  const rows = await prisma.$queryRaw<{ kind: string; state: string | null; count: bigint }[]>`
    SELECT kind,
           CASE kind
             WHEN 'Host' THEN CASE WHEN (status->>'inMaintenanceMode')::boolean THEN 'maintenance'
                                   ELSE status->>'connectionState' END
             WHEN 'VirtualMachine' THEN status->>'powerState'
           END AS state,
           count(*) AS count
      FROM resources
     WHERE kind IN ('Datacenter', 'Cluster', 'Host', 'VirtualMachine', 'Namespace')
     GROUP BY 1, 2`;
  const count = (kind: Kind, state?: string) =>
    rows
      .filter((row) => row.kind === kind && (state === undefined || row.state === state))
      .reduce((sum, row) => sum + Number(row.count), 0);
  return {
    datacenters: count("Datacenter"),
    clusters: count("Cluster"),
    hosts: {
      total: count("Host"),
      connected: count("Host", "connected"),
      disconnected: count("Host", "disconnected") + count("Host", "notResponding"),
      inMaintenance: count("Host", "maintenance"),
    },
    virtualMachines: {
      total: count("VirtualMachine"),
      poweredOn: count("VirtualMachine", "PoweredOn"),
      poweredOff: count("VirtualMachine", "PoweredOff"),
      suspended: count("VirtualMachine", "Suspended"),
    },
    namespaces: count("Namespace"),
  };
}

export type HostState = "connected" | "disconnected" | "notResponding" | "maintenance";

export interface NavigatorTree {
  datacenters: {
    uid: string;
    name: string;
    clusters: { uid: string; name: string; hosts: { uid: string; name: string; state: HostState }[] }[];
  }[];
}

export async function readHostsAndClustersTree(): Promise<NavigatorTree> {
  const objects = await prisma.resource.findMany({
    where: { kind: { in: ["Datacenter", "Cluster", "Host"] } },
    select: { uid: true, kind: true, name: true, spec: true, status: true },
    orderBy: { name: "asc" },
  });
  const field = (json: unknown, key: string) => (json as Record<string, unknown> | null)?.[key];
  const hostState = (status: unknown): HostState =>
    field(status, "inMaintenanceMode") === true ? "maintenance" : ((field(status, "connectionState") as HostState) ?? "disconnected");

  return {
    datacenters: objects
      .filter((object) => object.kind === "Datacenter")
      .map((datacenter) => ({
        uid: datacenter.uid,
        name: datacenter.name,
        clusters: objects
          .filter((object) => object.kind === "Cluster" && field(object.spec, "datacenter") === datacenter.name)
          .map((cluster) => ({
            uid: cluster.uid,
            name: cluster.name,
            hosts: objects
              .filter((object) => object.kind === "Host" && field(object.spec, "cluster") === cluster.name)
              .map((host) => ({ uid: host.uid, name: host.name, state: hostState(host.status) })),
          })),
      })),
  };
}

export async function readObject(uid: string) {
  if (!/^[0-9a-f-]{36}$/i.test(uid)) return null;
  return prisma.resource.findUnique({ where: { uid } });
}

export interface SearchHit {
  uid: string;
  kind: string;
  name: string;
  namespace: string;
  matched: string;
}

export async function searchInventory(term: string, limit = 50): Promise<SearchHit[]> {
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return prisma.$queryRaw<SearchHit[]>`
    SELECT uid::text, kind, name, namespace,
           CASE WHEN name ILIKE ${pattern} THEN 'name'
                WHEN status->'network'->>'primaryIP4' ILIKE ${pattern} OR status->>'managementIP' ILIKE ${pattern} THEN 'IP address'
                ELSE 'label' END AS matched
      FROM resources
     WHERE name ILIKE ${pattern}
        OR status->'network'->>'primaryIP4' ILIKE ${pattern}
        OR status->>'managementIP' ILIKE ${pattern}
        OR EXISTS (SELECT 1 FROM jsonb_each_text(labels) AS l WHERE l.key || '=' || l.value ILIKE ${pattern})
     ORDER BY kind, name
     LIMIT ${limit}`;
}
