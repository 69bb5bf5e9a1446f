// Read models of the inventory for the console: the summary counts on Home and one object by uid.
import { visibilitySql, type AccessScope } from "@/lib/auth/authorize";
import { prisma } from "@/lib/db/prisma";
import type { Kind } from "@/lib/inventory/kinds";

export interface InventorySummary {
  datacenters: number;
  clusters: number;
  hosts: { total: number; connected: number; disconnected: number; inMaintenance: number };
  virtualMachines: { total: number; poweredOn: number; poweredOff: number; suspended: number };
  namespaces: number;
}

export async function readInventorySummary(access: AccessScope): Promise<InventorySummary> {
  const values: unknown[] = [];
  const visible = visibilitySql(access, { kind: "kind", namespace: "namespace", name: "name", labels: "labels" }, (value) => {
    values.push(value);
    return `$${values.length}`;
  });
  const rows = await prisma.$queryRawUnsafe<{ kind: string; state: string | null; count: bigint }[]>(`
    SELECT kind,
           CASE kind
             WHEN 'Host' THEN CASE WHEN (status->>'inMaintenanceMode')::boolean THEN 'maintenance'
                                   ELSE status->>'connectionState' END
             WHEN 'VirtualMachine' THEN status->>'powerState'
           END AS state,
           count(*) AS count
      FROM resources
     WHERE kind IN ('Datacenter', 'Cluster', 'Host', 'VirtualMachine', 'Namespace') AND ${visible}
     GROUP BY 1, 2`,
    ...values,
  );
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

export async function readObject(uid: string) {
  if (!/^[0-9a-f-]{36}$/i.test(uid)) return null;
  return prisma.resource.findUnique({ where: { uid } });
}
