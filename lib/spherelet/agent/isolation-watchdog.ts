// The host's isolation response, vSphere HA's "power off" when a host loses its management network:
// once Skylight has not heard this host's heartbeat for ISOLATION_SECONDS, the host's VMs are
// killed, because by the time its Lease expires (LEASE_DURATION_SECONDS, later) vSphere HA may start
// them on another host from the shared datastore, and two QEMUs must never write one disk.
//
// The agent itself cannot be trusted to do it: it may be the thing that died (kill -9, a crash), and
// its VMs outlive it by design. So a tiny watchdog, a shell loop detached from the agent, watches
// the mtime of `<run dir>/heartbeat`, which the agent sets to the time it sent each Lease renewal
// that Skylight accepted. An agent that restarts within the window finds its VMs running and adopts
// them. The watchdog ends when the run directory is removed.
import { spawn } from "node:child_process";
import { readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { LEASE_DURATION_SECONDS } from "@/lib/spherelet/agent/host-node";

/** Well inside the Lease's duration: the VMs are dead before Skylight can judge the host failed. */
export const ISOLATION_SECONDS = LEASE_DURATION_SECONDS - 10;

const heartbeatFile = (runDir: string) => path.join(runDir, "heartbeat");
const pidFile = (runDir: string) => path.join(runDir, "watchdog.pid");
export const watchdogLog = (runDir: string) => path.join(runDir, "watchdog.log");

// Kills only a process whose command line names the pid file it was found by: a reused pid is left alone.
const SCRIPT = `
dir="$1"; window="$2"
echo $$ > "$dir/watchdog.pid"
while [ -d "$dir" ]; do
  now=$(date +%s)
  beat=$(stat -c %Y "$dir/heartbeat" 2>/dev/null || echo 0)
  if [ $((now - beat)) -gt "$window" ]; then
    for pidfile in "$dir"/*/qemu.pid; do
      [ -f "$pidfile" ] || continue
      pid=$(cat "$pidfile" 2>/dev/null)
      if [ -n "$pid" ] && grep -qF "$pidfile" "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid" 2>/dev/null; then
        echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) killed QEMU $pid ($pidfile): no heartbeat accepted for $((now - beat)) s" >> "$dir/watchdog.log"
      fi
    done
  fi
  sleep 2
done
`;

async function watchdogRunning(runDir: string): Promise<boolean> {
  const pid = Number((await readFile(pidFile(runDir), "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.includes("skylight-isolation-watchdog") && cmdline.includes(runDir);
}

/** Starts the host's watchdog unless one already watches this run directory. */
export async function ensureIsolationWatchdog(runDir: string, windowSeconds = ISOLATION_SECONDS): Promise<void> {
  if (await watchdogRunning(runDir)) return;
  // A fresh heartbeat first: a watchdog must not kill the VMs of an agent that has only just started.
  await recordHeartbeat(runDir, new Date());
  const child = spawn("sh", ["-c", SCRIPT, "skylight-isolation-watchdog", runDir, String(windowSeconds)], { detached: true, stdio: "ignore" });
  child.unref();
}

/** Skylight accepted the Lease renewal sent at `sentAt`: the host is not isolated as of then. */
export async function recordHeartbeat(runDir: string, sentAt: Date): Promise<void> {
  const file = heartbeatFile(runDir);
  await utimes(file, sentAt, sentAt).catch(async () => {
    await writeFile(file, "");
    await utimes(file, sentAt, sentAt);
  });
}
