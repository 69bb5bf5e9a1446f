// The agent's side of lib/spherelet/machine-protocol.ts on the Kubernetes API server: a host's
// agent reads the machine specs of its own host (waiting for the next change), reports each
// machine's status and its datastores' space; its pods' routes are in pod-routes.ts. Only that host's token is let in, before any body
// is read; a report that changes what the engine acts on wakes the VM's controller.
import type { IncomingMessage } from "node:http";
import type pg from "pg";
import { sameJson } from "@/lib/engine/same-json";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { withTransaction } from "@/lib/db/pool";
import { badRequest, forbidden, KubeApiError, notFound } from "@/lib/kube/api-status";
import { readObject } from "@/lib/kube/request-body";
import { hostUsername } from "@/lib/kube/host-agent-requests";
import type { SphereletHost } from "@/lib/spherelet/host-tokens";
import { holdLongPoll, longPollParameters, POLL_INTERVAL_MS } from "@/lib/spherelet/long-poll";
import { settleMigration } from "@/lib/spherelet/machine-migrations";
import { reportPodStatus, waitForPods } from "@/lib/spherelet/pod-routes";
import { PODS_PATH_SEGMENT } from "@/lib/spherelet/pod-protocol";
import {
  type DatastoreReport,
  datastoreReportSchema,
  incomingStatusSchema,
  type IncomingStatus,
  machineStatusSchema,
  SPHERELET_PATH_PREFIX,
  type Machine,
  type MachineList,
  type MachineStatus,
} from "@/lib/spherelet/machine-protocol";


type Route =
  | { host: string; what: "machines" }
  | { host: string; what: "pods" }
  | { host: string; what: "status" | "incoming"; id: string }
  | { host: string; what: "datastore" }
  | { host: string; what: "podStatus"; uid: string };

export const isSphereletPath = (path: string) => path.startsWith(SPHERELET_PATH_PREFIX);

function parseRoute(path: string): Route | null {
  const segments = path.slice(SPHERELET_PATH_PREFIX.length).split("/");
  const [host, what, id, sub] = segments;
  if (!host) return null;
  if (what === "machines" && segments.length === 2) return { host, what: "machines" };
  if (what === "machines" && id && (sub === "status" || sub === "incoming") && segments.length === 4) return { host, what: sub, id };
  if (what === "datastore" && segments.length === 2) return { host, what: "datastore" };
  if (what === PODS_PATH_SEGMENT && segments.length === 2) return { host, what: "pods" };
  if (what === PODS_PATH_SEGMENT && id && sub === "status" && segments.length === 4) return { host, what: "podStatus", uid: id };
  return null;
}

const ref = { group: "spherelet.skylight.io", plural: "machines", kind: "Machine" };

/** Serves a spherelet request of an authenticated caller: `host` is null for a user's token. */
export async function serveSphereletRequest(pool: pg.Pool, host: SphereletHost | null, username: string, request: IncomingMessage, path: string, query: URLSearchParams): Promise<{ status: number; body: unknown }> {
  const route = parseRoute(path);
  if (!route) throw new KubeApiError(404, "NotFound", "the server could not find the requested resource");
  const verb = request.method === "GET" ? "list" : request.method === "PUT" ? "update" : null;
  if (!host || host.name !== route.host || !verb || (verb === "list") !== (route.what === "machines" || route.what === "pods")) {
    throw forbidden(host ? hostUsername(host.name) : username, verb ?? (request.method ?? "").toLowerCase(), { ...ref, name: route.host }, undefined, "only a host's own agent reads and reports the machines and pods of that host");
  }
  if (route.what === "machines") return { status: 200, body: await waitForMachines(pool, host.name, query, request) };
  if (route.what === "pods") return { status: 200, body: await waitForPods(pool, host.name, query, request) };
  if (route.what === "podStatus") {
    await reportPodStatus(pool, host.name, route.uid, request);
    return { status: 204, body: "" };
  }
  if (route.what === "datastore") {
    const report = datastoreReportSchema.safeParse(await readObject(request));
    if (!report.success) throw badRequest(`invalid datastore report: ${report.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
    await reportDatastores(pool, host.name, report.data);
    return { status: 204, body: "" };
  }
  if (route.what === "incoming") {
    const incoming = incomingStatusSchema.safeParse(await readObject(request));
    if (!incoming.success) throw badRequest(`invalid incoming status: ${incoming.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
    await reportIncoming(pool, host.name, route.id, incoming.data);
    return { status: 204, body: "" };
  }
  const status = machineStatusSchema.safeParse(await readObject(request));
  if (!status.success) throw badRequest(`invalid machine status: ${status.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
  await reportMachineStatus(pool, host.name, route.id, status.data);
  return { status: 204, body: "" };
}

/**
 * The space of the host's datastores, each of which must be one Skylight has for the host; else
 * nothing is recorded. A datastore whose free space changed (in whole GiB, as its status keeps
 * it) wakes its controller.
 */
async function reportDatastores(pool: pg.Pool, host: string, report: DatastoreReport): Promise<void> {
  const mounted = await hostDatastores(pool, host);
  const names = report.datastores.map((datastore) => datastore.name);
  const foreign = names.find((name) => !mounted.includes(name));
  if (foreign !== undefined) throw badRequest(`invalid datastore report: datastores: host ${host} has no datastore ${JSON.stringify(foreign)} (it mounts ${mounted.join(", ")})`);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) throw badRequest(`invalid datastore report: datastores: ${twice} is reported twice`);
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ datastore: string; changed: boolean }>(
      `WITH reported AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(name text, capacity float8, used float8)),
            before AS (SELECT datastore, round(capacity_gib - used_gib) AS free FROM spherelet_host_datastores WHERE host = $1 FOR UPDATE)
       UPDATE spherelet_host_datastores d SET capacity_gib = r.capacity, used_gib = r.used
         FROM reported r JOIN before b ON b.datastore = r.name
        WHERE d.host = $1 AND d.datastore = r.name
       RETURNING d.datastore, b.free IS DISTINCT FROM round(r.capacity - r.used) AS changed`,
      [host, JSON.stringify(report.datastores.map((datastore) => ({ name: datastore.name, capacity: datastore.capacityGiB, used: datastore.usedGiB })))],
    );
    await enqueue(tx, rows.filter((row) => row.changed).map((row) => `Datastore//${row.datastore}`));
  });
}

/** The datastores Skylight has for the host, its default one first. */
async function hostDatastores(pool: pg.Pool, host: string): Promise<string[]> {
  const { rows } = await pool.query<{ datastore: string }>(`SELECT datastore FROM spherelet_host_datastores WHERE host = $1 ORDER BY position`, [host]);
  return rows.map((row) => row.datastore);
}

/** The fields the engine acts on; counters and the serial log alone do not wake a controller. */
const actedOn = (status: Partial<MachineStatus>) => ({ ...status, counters: undefined, serialTail: undefined });

async function reportMachineStatus(pool: pg.Pool, host: string, id: string, status: MachineStatus): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ owner_key: string; status: Partial<MachineStatus> }>(`SELECT owner_key, status FROM agent_machines WHERE id = $1 AND host = $2 FOR UPDATE`, [id, host]);
    const machine = rows[0];
    if (!machine) throw notFound({ ...ref, name: id });
    await tx.query(`UPDATE agent_machines SET status = $2 WHERE id = $1`, [id, status]);
    const settled = status.migration && status.migration.state !== "active" ? await settleMigration(tx, id) : false;
    if (settled || !sameJson(actedOn(machine.status), actedOn(status))) await enqueue(tx, `VirtualMachine/${machine.owner_key}`);
  });
}

/** The destination's report; a new one wakes the source's long poll (it waits for the address to send to). */
async function reportIncoming(pool: pg.Pool, host: string, id: string, incoming: IncomingStatus): Promise<void> {
  await withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ owner_key: string; incoming: IncomingStatus | null }>(
      `SELECT owner_key, incoming FROM agent_machines WHERE id = $1 AND migration_target = $2 AND spec->'migration'->>'id' = $3 FOR UPDATE`,
      [id, host, incoming.migrationId],
    );
    const machine = rows[0];
    if (!machine) throw notFound({ ...ref, name: id });
    if (sameJson(machine.incoming, incoming)) return;
    await tx.query(`UPDATE agent_machines SET incoming = $2, version = nextval('agent_machine_version_seq') WHERE id = $1`, [id, incoming]);
    if ((await settleMigration(tx, id)) || incoming.state !== machine.incoming?.state) await enqueue(tx, `VirtualMachine/${machine.owner_key}`);
  });
}

async function readMachines(pool: pg.Pool, host: string): Promise<MachineList> {
  const { rows } = await pool.query<{ id: string; host: string; generation: number; spec: Machine["spec"]; version: string; incoming: IncomingStatus | null }>(
    `SELECT id, host, generation, spec, version::text, incoming FROM agent_machines WHERE host = $1 OR migration_target = $1 ORDER BY id`,
    [host],
  );
  const version = rows.reduce((highest, row) => (BigInt(row.version) > highest ? BigInt(row.version) : highest), 0n);
  return {
    version: String(version),
    datastores: await hostDatastores(pool, host),
    machines: rows.map(({ id, host: machineHost, generation, spec, incoming }): Machine => {
      const role = machineHost === host ? "run" : "receive";
      return { id, host: machineHost, generation, spec, role, incoming: role === "run" ? incoming : null };
    }),
  };
}

/** The host's machines once some spec changed after `after`, or when waitSeconds pass. */
async function waitForMachines(pool: pg.Pool, host: string, query: URLSearchParams, request: IncomingMessage): Promise<MachineList> {
  const { after, waitSeconds } = longPollParameters(query);
  if (after === null || waitSeconds === 0) return readMachines(pool, host);
  return holdLongPoll(host, "machines", request, async (closed) => {
    const deadline = Date.now() + waitSeconds * 1000;
    for (;;) {
      if (closed()) return { version: after, datastores: [], machines: [] };
      const { rows } = await pool.query<{ changed: boolean }>(`SELECT EXISTS (SELECT 1 FROM agent_machines WHERE (host = $1 OR migration_target = $1) AND version > $2::bigint) AS changed`, [host, after]);
      // A machine removed from the table also changes the list; its absence shows at the deadline.
      if (rows[0]!.changed || Date.now() >= deadline || closed()) return readMachines(pool, host);
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  });
}
