// DRS-like initial placement. Each host's allocation row says what is placed on it; placing a VM
// is one UPDATE that picks, among schedulable hosts of the cluster that fit the VM (memory
// reservations honoured, vCPU and memory overcommit capped by the cluster) and that no must rule
// excludes, a host no should rule advises against if there is one, then the one with the most
// free memory, and books the VM there. Concurrent placements lock different rows (SKIP LOCKED),
// so they spread across hosts instead of queueing on the emptiest one.
import type { Db } from "@/lib/db/pool";

export interface VmAllocation {
  cpus: number;
  memoryMiB: number;
  reservedMemoryMiB: number;
  reservedCpuMhz: number;
}

export interface Overcommit {
  cpu: number;
  memory: number;
}

export async function placeVm(
  db: Db,
  cluster: string,
  allocation: VmAllocation,
  overcommit: Overcommit,
  excludeHosts: string[] = [],
  preferHosts: string[] = [],
): Promise<string | null> {
  const hosts = { exclude: excludeHosts, prefer: preferHosts };
  // Skipping locked rows spreads concurrent placements; if every fitting host happened to be
  // locked, ask again and wait, so that "nothing fits" is never an artefact of contention.
  return (await placeOnce(db, cluster, allocation, overcommit, hosts, true)) ?? placeOnce(db, cluster, allocation, overcommit, hosts, false);
}

/** Hosts a placement must leave out, and hosts it should choose first (VM/Host rules). */
export interface HostPreference {
  exclude: string[];
  prefer: string[];
}

async function placeOnce(
  db: Db,
  cluster: string,
  allocation: VmAllocation,
  overcommit: Overcommit,
  hosts: HostPreference,
  skipLocked: boolean,
): Promise<string | null> {
  const { rows } = await db.query<{ host: string }>(
    `UPDATE host_allocations AS a
        SET vcpus = a.vcpus + $2, memory_allocated_mib = a.memory_allocated_mib + $3,
            memory_reserved_mib = a.memory_reserved_mib + $4, cpu_reserved_mhz = a.cpu_reserved_mhz + $5
      WHERE a.host = (
        SELECT host FROM host_allocations
         WHERE cluster = $1 AND schedulable AND NOT (host = ANY($8::text[]))
           AND vcpus + $2 <= cpu_cores * $6::float8
           AND memory_allocated_mib + $3 <= memory_mib * $7::float8
           AND memory_reserved_mib + $4 <= memory_mib
           AND cpu_reserved_mhz + $5 <= cpu_cores * cpu_mhz_per_core
         ORDER BY host = ANY($9::text[]) DESC, (memory_mib * $7::float8 - memory_allocated_mib) DESC, host
         LIMIT 1
         FOR UPDATE ${skipLocked ? "SKIP LOCKED" : ""})
      RETURNING a.host`,
    [cluster, allocation.cpus, allocation.memoryMiB, allocation.reservedMemoryMiB, allocation.reservedCpuMhz, overcommit.cpu, overcommit.memory, hosts.exclude, hosts.prefer],
  );
  return rows[0]?.host ?? null;
}

interface HostRoom {
  host: string;
  schedulable: boolean;
  cpu_cores: number;
  memory_mib: number;
  cpu_mhz_per_core: number;
  vcpus: number;
  memory_allocated_mib: number;
  memory_reserved_mib: number;
  cpu_reserved_mhz: number;
}

/**
 * Placement for many VMs of one cluster at once, by the rule placeVm applies to one: each VM in
 * turn goes to the fitting host it may use, preferred ones first, then with the most free memory,
 * seeing the VMs placed before it (`preference` is asked with those). The cluster's hosts stay
 * locked until the caller's transaction ends; bookMany books what it kept. Returns each VM's host,
 * or null where nothing fits.
 */
export async function placeMany(
  tx: Db,
  cluster: string,
  overcommit: Overcommit,
  allocations: VmAllocation[],
  preference?: (index: number, placed: readonly (string | null)[]) => HostPreference,
): Promise<(string | null)[]> {
  const { rows: hosts } = await tx.query<HostRoom>(
    `SELECT host, schedulable, cpu_cores, memory_mib, cpu_mhz_per_core, vcpus, memory_allocated_mib, memory_reserved_mib, cpu_reserved_mhz
       FROM host_allocations WHERE cluster = $1 ORDER BY host FOR UPDATE`,
    [cluster],
  );
  const placed: (string | null)[] = [];
  for (const [index, allocation] of allocations.entries()) {
    const { exclude, prefer } = preference?.(index, placed) ?? { exclude: [], prefer: [] };
    const free = (candidate: HostRoom) => candidate.memory_mib * overcommit.memory - candidate.memory_allocated_mib;
    const preferred = (candidate: HostRoom) => prefer.includes(candidate.host);
    // Hosts come in name order, so the first of equally good ones wins, as placeVm's ORDER BY has it.
    const better = (room: HostRoom, best: HostRoom) => (preferred(room) !== preferred(best) ? preferred(room) : free(room) > free(best));
    let best: HostRoom | null = null;
    for (const room of hosts) {
      const fits =
        room.schedulable &&
        !exclude.includes(room.host) &&
        room.vcpus + allocation.cpus <= room.cpu_cores * overcommit.cpu &&
        room.memory_allocated_mib + allocation.memoryMiB <= room.memory_mib * overcommit.memory &&
        room.memory_reserved_mib + allocation.reservedMemoryMiB <= room.memory_mib &&
        room.cpu_reserved_mhz + allocation.reservedCpuMhz <= room.cpu_cores * room.cpu_mhz_per_core;
      if (fits && (!best || better(room, best))) best = room;
    }
    if (best) {
      best.vcpus += allocation.cpus;
      best.memory_allocated_mib += allocation.memoryMiB;
      best.memory_reserved_mib += allocation.reservedMemoryMiB;
      best.cpu_reserved_mhz += allocation.reservedCpuMhz;
    }
    placed.push(best?.host ?? null);
  }
  return placed;
}

/** Books many VMs on their hosts in one statement (after placeMany, in its transaction). */
export async function bookMany(tx: Db, bookings: { host: string; allocation: VmAllocation }[]): Promise<void> {
  if (bookings.length === 0) return;
  await tx.query(
    `UPDATE host_allocations AS a
        SET vcpus = a.vcpus + b.vcpus, memory_allocated_mib = a.memory_allocated_mib + b.memory,
            memory_reserved_mib = a.memory_reserved_mib + b.reserved_memory, cpu_reserved_mhz = a.cpu_reserved_mhz + b.reserved_cpu
       FROM (SELECT host, sum(vcpus)::int AS vcpus, sum(memory)::int AS memory, sum(reserved_memory)::int AS reserved_memory, sum(reserved_cpu)::int AS reserved_cpu
               FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[]) AS t(host, vcpus, memory, reserved_memory, reserved_cpu)
              GROUP BY host) AS b
      WHERE a.host = b.host`,
    [
      bookings.map((booking) => booking.host),
      bookings.map((booking) => booking.allocation.cpus),
      bookings.map((booking) => booking.allocation.memoryMiB),
      bookings.map((booking) => booking.allocation.reservedMemoryMiB),
      bookings.map((booking) => booking.allocation.reservedCpuMhz),
    ],
  );
}

export async function releaseVm(db: Db, host: string, allocation: VmAllocation): Promise<void> {
  await db.query(
    `UPDATE host_allocations
        SET vcpus = GREATEST(0, vcpus - $2), memory_allocated_mib = GREATEST(0, memory_allocated_mib - $3),
            memory_reserved_mib = GREATEST(0, memory_reserved_mib - $4), cpu_reserved_mhz = GREATEST(0, cpu_reserved_mhz - $5)
      WHERE host = $1`,
    [host, allocation.cpus, allocation.memoryMiB, allocation.reservedMemoryMiB, allocation.reservedCpuMhz],
  );
}

/** Why nothing fits: the best any host could offer, in words an operator understands. */
export async function explainNoFit(db: Db, cluster: string, allocation: VmAllocation, overcommit: Overcommit, excludeHosts: string[] = []) {
  const { rows } = await db.query<{ hosts: number; schedulable: number; free_memory: number; free_vcpus: number }>(
    `SELECT count(*)::int AS hosts,
            count(*) FILTER (WHERE schedulable AND NOT (host = ANY($4::text[])))::int AS schedulable,
            COALESCE(max(floor(memory_mib * $2::float8 - memory_allocated_mib)) FILTER (WHERE schedulable AND NOT (host = ANY($4::text[]))), 0)::int AS free_memory,
            COALESCE(max(floor(cpu_cores * $3::float8 - vcpus)) FILTER (WHERE schedulable AND NOT (host = ANY($4::text[]))), 0)::int AS free_vcpus
       FROM host_allocations WHERE cluster = $1`,
    [cluster, overcommit.memory, overcommit.cpu, excludeHosts],
  );
  const summary = rows[0]!;
  if (summary.hosts === 0) return `Cluster ${cluster} has no hosts.`;
  if (summary.schedulable === 0) return `No host in cluster ${cluster} can take VMs: all are disconnected, not responding or in maintenance mode.`;
  return `No host in cluster ${cluster} has room for ${allocation.cpus} vCPUs and ${allocation.memoryMiB} MiB: the most any host has free is ${Math.max(0, summary.free_vcpus)} vCPUs and ${Math.max(0, summary.free_memory)} MiB.`;
}

/**
 * Recomputes every host's booking in a cluster from the VMs that report being on it. In the
 * caller's transaction, the cluster's hosts are locked first in name order, as placeMany locks
 * them, so the two wait for each other instead of deadlocking.
 */
export async function recomputeAllocations(tx: Db, cluster: string): Promise<void> {
  await tx.query(`SELECT 1 FROM host_allocations WHERE cluster = $1 ORDER BY host FOR UPDATE`, [cluster]);
  await tx.query(
    `UPDATE host_allocations AS a
        SET vcpus = COALESCE(s.vcpus, 0), memory_allocated_mib = COALESCE(s.memory, 0),
            memory_reserved_mib = COALESCE(s.reserved_memory, 0), cpu_reserved_mhz = COALESCE(s.reserved_cpu, 0)
       FROM host_allocations AS h
       LEFT JOIN (
         -- A VM being migrated is booked on both hosts until the move completes.
         SELECT booked.host,
                sum((status->'allocation'->>'cpus')::int) AS vcpus,
                sum((status->'allocation'->>'memoryMiB')::int) AS memory,
                sum((status->'allocation'->>'reservedMemoryMiB')::int) AS reserved_memory,
                sum((status->'allocation'->>'reservedCpuMhz')::int) AS reserved_cpu
           FROM resources
          CROSS JOIN LATERAL (
            SELECT status->>'host' AS host
            UNION SELECT status->'migration'->>'to' WHERE status->'migration'->>'to' IS NOT NULL) AS booked
          WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = $1
          GROUP BY 1) AS s ON s.host = h.host
      WHERE a.host = h.host AND h.cluster = $1`,
    [cluster],
  );
}

export async function upsertHostCapacity(
  db: Db,
  host: { name: string; cluster: string; cpuCores: number; cpuMhz: number; memoryMiB: number; schedulable: boolean },
): Promise<void> {
  await db.query(
    `INSERT INTO host_allocations (host, cluster, schedulable, cpu_cores, memory_mib, cpu_mhz_per_core)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (host) DO UPDATE SET cluster = $2, schedulable = $3, cpu_cores = $4, memory_mib = $5, cpu_mhz_per_core = $6
       WHERE (host_allocations.cluster, host_allocations.schedulable, host_allocations.cpu_cores, host_allocations.memory_mib)
             IS DISTINCT FROM ($2, $3, $4, $5)`,
    [host.name, host.cluster, host.schedulable, host.cpuCores, host.memoryMiB, host.cpuMhz],
  );
}

/** Forgets a host removed from the inventory. */
export async function removeHostCapacity(db: Db, host: string): Promise<void> {
  await db.query(`DELETE FROM host_allocations WHERE host = $1`, [host]);
}

/** Books a VM on one named host if it fits there; false when it does not. */
export async function bookOnHost(db: Db, host: string, allocation: VmAllocation, overcommit: Overcommit): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE host_allocations
        SET vcpus = vcpus + $2, memory_allocated_mib = memory_allocated_mib + $3,
            memory_reserved_mib = memory_reserved_mib + $4, cpu_reserved_mhz = cpu_reserved_mhz + $5
      WHERE host = $1 AND schedulable
        AND vcpus + $2 <= cpu_cores * $6::float8 AND memory_allocated_mib + $3 <= memory_mib * $7::float8
        AND memory_reserved_mib + $4 <= memory_mib AND cpu_reserved_mhz + $5 <= cpu_cores * cpu_mhz_per_core`,
    [host, allocation.cpus, allocation.memoryMiB, allocation.reservedMemoryMiB, allocation.reservedCpuMhz, overcommit.cpu, overcommit.memory],
  );
  return rowCount === 1;
}
