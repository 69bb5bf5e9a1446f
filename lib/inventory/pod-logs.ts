// A pod container's log for the console's Logs tab: its last lines, of the current run or the one
// before the last restart, read the way `kubectl logs` reads them (lib/kube/pod-streams/): from the
// pod's real host's agent, or the simulator's few honest lines for a pod on a simulated host.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { InvalidInputError, UserFacingError } from "@/lib/errors";
import { KubeApiError } from "@/lib/kube/api-status";
import { openAgentLog, type RealTarget } from "@/lib/kube/pod-streams/agent-streams";
import { readPodStreamTarget } from "@/lib/kube/pod-streams/pod-stream-target";
import { simulatedLog } from "@/lib/kube/pod-streams/simulated-logs";

/** What the tab shows: the end of the log, as `kubectl logs --tail` would. */
const CONSOLE_LOG_LINES = 1000;
const CONSOLE_LOG_BYTES = 1024 * 1024;

export interface PodLogRequest {
  container: string | null;
  previous: boolean;
}

/** The Kubernetes API's refusal (no host yet, the agent unreachable, no previous run) in the console's error shape. */
class PodLogRefusal extends UserFacingError {
  constructor(
    override readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

export async function readPodLog(podUid: string, request: PodLogRequest): Promise<string> {
  const pool = getPool();
  const { rows } = await pool.query<{ namespace: string; name: string }>(`SELECT namespace, name FROM resources WHERE uid = $1 AND kind = 'Pod'`, [podUid]);
  if (!rows[0]) throw new InvalidInputError("uid", "This object is not a pod: only pods have logs.");
  try {
    const target = await readPodStreamTarget(pool, rows[0], request.container);
    if (target.host.simulated) {
      return simulatedLog(target, { follow: false, previous: request.previous, timestamps: false, tailLines: CONSOLE_LOG_LINES, limitBytes: CONSOLE_LOG_BYTES, sinceMs: null });
    }
    const query = new URLSearchParams({ tailLines: String(CONSOLE_LOG_LINES), limitBytes: String(CONSOLE_LOG_BYTES), previous: String(request.previous) });
    return await readAll(await openAgentLog(target as RealTarget, query));
  } catch (error) {
    if (error instanceof KubeApiError) throw new PodLogRefusal(error.code, error.message);
    throw error;
  }
}
