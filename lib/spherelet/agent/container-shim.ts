// The small process each runc container runs under, like containerd's shim or CRI-O's conmon:
// a bash script, detached from the agent (its own session), so a container outlives an agent that
// stops or is killed, and a restarted agent finds it by its pid file. It runs `runc run` in the
// foreground, because a detached runc's exit code is lost to whoever is not its parent, and writes
// that code, when the process ended and the memory cgroup's failcnt to `exit` in the bundle.
//
// The container's stdout and stderr are stamped here, line by line, as they are written (one
// `<RFC 3339 time with ns> <stream> <F|P> <text>` line each, the CRI log format kubelet writes),
// rather than by the agent converting a raw file later: the agent may be down while the container
// runs, and a time stamped later would be wrong. Bash's builtins only (read, printf with
// EPOCHREALTIME): no process per line. Bash reads a pipe a byte at a time, so a container that
// writes megabytes a second costs the shim a good part of a core; kube's pods seldom log that much.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";

/** kubelet's split: a longer line is written as several, all but the last tagged P (partial). */
const MAX_LOG_LINE = 16 * 1024;

const SCRIPT = `
bundle="$1"; root="$2"; id="$3"; log="$4"; memcg="$5"; stdin="$6"
export LC_ALL=C TZ=UTC
echo $$ > "$bundle/shim.pid"
rm -f "$bundle/exit" "$bundle/out" "$bundle/err"
mkfifo "$bundle/out" "$bundle/err"
mkdir -p "$(dirname "$log")"
exec 3>>"$log"
stamp() {
  local line tag t ts
  while IFS= read -r -n ${MAX_LOG_LINE} line || [ -n "$line" ]; do
    tag=F; [ \${#line} -eq ${MAX_LOG_LINE} ] && tag=P
    t=$EPOCHREALTIME
    printf -v ts '%(%Y-%m-%dT%H:%M:%S)T' "\${t%.*}"
    printf '%s.%s000Z %s %s %s\\n' "$ts" "\${t#*.}" "$1" "$tag" "$line" >&3
  done
}
stamp stdout < "$bundle/out" & out=$!
stamp stderr < "$bundle/err" & err=$!
echo 0 > "$memcg/memory.failcnt" 2>/dev/null
if [ -n "$stdin" ]; then
  [ -p "$stdin" ] || mkfifo "$stdin"
  runc --root "$root" run --bundle "$bundle" "$id" > "$bundle/out" 2> "$bundle/err" 0<> "$stdin"
else
  runc --root "$root" run --bundle "$bundle" "$id" > "$bundle/out" 2> "$bundle/err" < /dev/null
fi
code=$?
wait $out $err
failcnt=$(cat "$memcg/memory.failcnt" 2>/dev/null || echo 0)
echo "$code $(date -u +%Y-%m-%dT%H:%M:%S.%NZ) $failcnt" > "$bundle/exit.new"
mv "$bundle/exit.new" "$bundle/exit"
rm -f "$bundle/out" "$bundle/err" "$bundle/shim.pid"
`;

const MARKER = "skylight-container-shim";

export interface ShimLaunch {
  bundleDir: string;
  runcRoot: string;
  containerId: string;
  logFile: string;
  /** The container's memory cgroup directory, whose failcnt tells an OOM kill from another SIGKILL. */
  memoryCgroupDir: string;
  /** A FIFO the container reads its stdin from (kubectl attach), held open read-write so a writer leaving is no EOF; null: /dev/null. */
  stdinFifo: string | null;
}

export interface ShimExit {
  exitCode: number;
  finishedAt: string;
  /** The container's memory hit its limit during the run. */
  memoryLimitHit: boolean;
}

/** Starts the shim, which starts the container; returns once the shim has written its pid file. */
export async function launchShim(launch: ShimLaunch): Promise<void> {
  const child = spawn("bash", ["-c", SCRIPT, MARKER, launch.bundleDir, launch.runcRoot, launch.containerId, launch.logFile, launch.memoryCgroupDir, launch.stdinFifo ?? ""], {
    detached: true,
    stdio: "ignore",
  });
  child.unref();
  const spawned = new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });
  await spawned;
  for (let tries = 0; tries < 200 && !(await shimPid(launch.bundleDir)); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The pid of the shim running the bundle's container, or null: a pid reused by another process is not it. */
export async function shimPid(bundleDir: string): Promise<number | null> {
  const pid = Number((await readFile(path.join(bundleDir, "shim.pid"), "utf8").catch(() => "")).trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.includes(MARKER) && cmdline.includes(`\0${bundleDir}\0`) ? pid : null;
}

/** What the shim wrote when the container ended, or null while it runs (or never ran). */
export async function shimExit(bundleDir: string): Promise<ShimExit | null> {
  const text = await readFile(path.join(bundleDir, "exit"), "utf8").catch(() => null);
  if (text === null) return null;
  const [code, finishedAt, failcnt] = text.trim().split(" ");
  return { exitCode: Number(code), finishedAt: finishedAt!, memoryLimitHit: Number(failcnt) > 0 };
}
