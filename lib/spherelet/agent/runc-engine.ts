// The ContainerEngine for the runc RuntimeClass: a bundle's config.json (oci-config.ts), the
// container's memory cgroup with its limit (pod-cgroups.ts), and `runc run` under a detached shim
// (container-shim.ts). runc's state lives under the agent's own root (pod-files.ts runcRoot).
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { ContainerEngine, ContainerLaunch, ContainerObservation } from "@/lib/spherelet/agent/container-engine";
import { launchShim, shimExit, shimPid } from "@/lib/spherelet/agent/container-shim";
import { bundleConfig } from "@/lib/spherelet/agent/oci-config";
import { containerCgroup, memoryCgroupDir, prepareContainerCgroup, runCgroup } from "@/lib/spherelet/agent/pod-cgroups";
import { runcContainerId, runcRoot } from "@/lib/spherelet/agent/pod-files";

const run = promisify(execFile);
/** Exit code of a process killed by SIGKILL, as runc reports it (128 + 9). */
const SIGKILL_EXIT = 137;

export class RuncEngine implements ContainerEngine {
  constructor(
    private readonly runDir: string,
    /** Unique per agent on the machine: names its cgroups (pod-cgroups.ts). */
    private readonly agentKey: string,
  ) {}

  async start(launch: ContainerLaunch): Promise<void> {
    await prepareContainerCgroup(containerCgroup(this.agentKey, launch.podUid, launch.container), launch.memoryBytes);
    const config = bundleConfig({
      process: launch.process,
      hostname: launch.hostname,
      netnsPath: launch.netnsPath,
      cgroupsPath: runCgroup(this.agentKey, launch.podUid, launch.container),
      cpuMillis: launch.cpuMillis,
      binds: launch.binds,
    });
    await writeFile(path.join(launch.bundleDir, "config.json"), JSON.stringify(config, null, 2));
    await launchShim({
      bundleDir: launch.bundleDir,
      runcRoot: runcRoot(this.runDir),
      containerId: runcContainerId(launch.podUid, launch.container),
      logFile: launch.logFile,
      memoryCgroupDir: memoryCgroupDir(containerCgroup(this.agentKey, launch.podUid, launch.container)),
      stdinFifo: launch.stdinFifo,
    });
  }

  async observe(_podUid: string, _container: string, bundleDir: string): Promise<ContainerObservation> {
    const exited = await shimExit(bundleDir);
    if (exited) return { state: "exited", exitCode: exited.exitCode, finishedAt: exited.finishedAt, oomKilled: exited.exitCode === SIGKILL_EXIT && exited.memoryLimitHit };
    if (await shimPid(bundleDir)) return { state: "running" };
    // The shim may have written its exit between the two looks.
    const late = await shimExit(bundleDir);
    if (late) return { state: "exited", exitCode: late.exitCode, finishedAt: late.finishedAt, oomKilled: late.exitCode === SIGKILL_EXIT && late.memoryLimitHit };
    return { state: "absent" };
  }

  async stop(podUid: string, container: string, bundleDir: string, graceSeconds: number): Promise<void> {
    const id = runcContainerId(podUid, container);
    const deadline = Date.now() + graceSeconds * 1000;
    let signal: "TERM" | "KILL" = graceSeconds > 0 ? "TERM" : "KILL";
    let sent: string | null = null;
    while (await shimPid(bundleDir)) {
      if (signal === "TERM" && Date.now() >= deadline) signal = "KILL";
      // runc refuses a container it is still creating: send again until it takes.
      if (sent !== signal) sent = (await this.runc(["kill", id, signal])) ? signal : null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async remove(podUid: string, container: string): Promise<void> {
    await this.runc(["delete", "--force", runcContainerId(podUid, container)]);
  }

  private async runc(args: string[]): Promise<boolean> {
    try {
      await run("runc", ["--root", runcRoot(this.runDir), ...args]);
      return true;
    } catch {
      return false;
    }
  }
}
