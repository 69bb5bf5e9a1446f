// Leader election through PostgreSQL: the process holding a session advisory lock on a dedicated
// connection is the leader. If it dies, its connection closes, the lock is released, and another
// process takes over on its next try, within `retryMs`.
import pg from "pg";

const LEADER_LOCK_KEY = 7_240_100;

export interface LeaderElection {
  isLeader(): boolean;
  stop(): Promise<void>;
}

export function electLeader(databaseUrl: string, onChange: (leader: boolean) => void, retryMs = 1_000): LeaderElection {
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const setLeader = (next: boolean) => {
    if (next !== leader) {
      leader = next;
      onChange(next);
    }
  };

  const attempt = async () => {
    if (stopped) return;
    try {
      if (!client) {
        client = new pg.Client({ connectionString: databaseUrl });
        client.on("error", () => {
          client = null;
          setLeader(false);
        });
        await client.connect();
      }
      if (!leader) {
        const { rows } = await client.query<{ acquired: boolean }>("SELECT pg_try_advisory_lock($1) AS acquired", [LEADER_LOCK_KEY]);
        setLeader(rows[0]!.acquired);
      } else {
        await client.query("SELECT 1");
      }
    } catch {
      await client?.end().catch(() => undefined);
      client = null;
      setLeader(false);
    }
    if (!stopped) timer = setTimeout(attempt, retryMs);
  };
  void attempt();

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      setLeader(false);
      await client?.end().catch(() => undefined);
    },
  };
}
