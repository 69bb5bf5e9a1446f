// A pod's cgroups (v1, as on these hosts): `skylight/<agent>/<pod uid>/<container>` is the
// container's own cgroup, created here with its memory limit, and runc puts the running process in
// a child of it (`…/<container>/run`), which runc removes when the process ends. The limit sits on
// the parent because cgroup v1 keeps the evidence of an OOM kill (memory.failcnt) only on the
// cgroup whose limit was hit, and the parent outlives the run, so the shim reads it after runc is
// done. The pod's level sums its containers for PodReport.usage.
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";

const CGROUP_ROOT = "/sys/fs/cgroup";

export const podCgroup = (agentKey: string, podUid: string) => `/skylight/${agentKey}/${podUid}`;
export const containerCgroup = (agentKey: string, podUid: string, container: string) => `${podCgroup(agentKey, podUid)}/${container}`;
/** runc's cgroupsPath for the container's process. */
export const runCgroup = (agentKey: string, podUid: string, container: string) => `${containerCgroup(agentKey, podUid, container)}/run`;

export const memoryCgroupDir = (cgroup: string) => path.join(CGROUP_ROOT, "memory", cgroup);

/** Makes the container's memory cgroup with its limit (none: unlimited) before runc starts it. */
export async function prepareContainerCgroup(cgroup: string, memoryBytes: number | null): Promise<void> {
  const dir = memoryCgroupDir(cgroup);
  await mkdir(dir, { recursive: true });
  // -1 lifts a limit a previous spec of the pod set.
  await writeFile(path.join(dir, "memory.limit_in_bytes"), String(memoryBytes ?? -1));
}

/** The pod's cumulative CPU time (ns) and its memory working set (usage less inactive file cache), as kubelet reports it. */
export async function podCgroupUsage(cgroup: string): Promise<{ cpuNanos: number; workingSetBytes: number } | null> {
  try {
    const cpuNanos = Number(await readFile(path.join(CGROUP_ROOT, "cpuacct", cgroup, "cpuacct.usage"), "utf8"));
    const usage = Number(await readFile(path.join(CGROUP_ROOT, "memory", cgroup, "memory.usage_in_bytes"), "utf8"));
    const stat = await readFile(path.join(CGROUP_ROOT, "memory", cgroup, "memory.stat"), "utf8");
    const inactiveFile = Number(/^total_inactive_file (\d+)$/m.exec(stat)?.[1] ?? 0);
    return { cpuNanos, workingSetBytes: Math.max(0, usage - inactiveFile) };
  } catch {
    return null;
  }
}

/** Removes the pod's cgroups in every controller, deepest first; its processes must have ended. */
export async function removePodCgroups(agentKey: string, podUid: string, containers: string[]): Promise<void> {
  const pod = podCgroup(agentKey, podUid);
  const dirs = [...containers.flatMap((name) => [`${pod}/${name}/run`, `${pod}/${name}`]), pod];
  // runc makes the path in every hierarchy mounted (each v1 controller, the named systemd one, the unified one).
  for (const controller of await readdir(CGROUP_ROOT)) {
    for (const dir of dirs) await rmdir(path.join(CGROUP_ROOT, controller, dir)).catch(() => undefined);
  }
}
