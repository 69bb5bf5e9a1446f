// How many VMs are powered on, powered off and suspended at each performance sample round, for
// Home's trend of VM counts by state: one row a round (a count over the VMs' status), kept a day.
// A day's trend is read as 5-minute averages, as the other trends are.
import type { Db } from "@/lib/db/pool";

const KEEP = "1 day";

export interface VmStatePoint {
  time: string;
  poweredOn: number;
  poweredOff: number;
  suspended: number;
}

/** Records the round's counts and drops rounds older than a day. */
export async function recordVmStates(db: Db, at: Date): Promise<void> {
  await db.query(
    `INSERT INTO vm_state_samples (time, powered_on, powered_off, suspended)
     SELECT $1, count(*) FILTER (WHERE status->>'powerState' = 'PoweredOn'), count(*) FILTER (WHERE status->>'powerState' = 'PoweredOff'),
            count(*) FILTER (WHERE status->>'powerState' = 'Suspended')
       FROM resources WHERE kind = 'VirtualMachine'
     ON CONFLICT (time) DO NOTHING`,
    [at],
  );
  await db.query(`DELETE FROM vm_state_samples WHERE time < $1::timestamptz - interval '${KEEP}'`, [at]);
}

/** The counts since `from`, averaged per `intervalSeconds` bucket. */
export async function readVmStates(db: Db, from: Date, intervalSeconds: number): Promise<VmStatePoint[]> {
  const { rows } = await db.query<VmStatePoint>(
    `SELECT to_char(date_bin(make_interval(secs => $2), time, 'epoch') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS time,
            round(avg(powered_on))::int AS "poweredOn", round(avg(powered_off))::int AS "poweredOff", round(avg(suspended))::int AS suspended
       FROM vm_state_samples WHERE time >= $1 GROUP BY 1 ORDER BY 1`,
    [from, intervalSeconds],
  );
  return rows;
}
