// The ContainerEngine for the crx RuntimeClass: each container boots in its own microVM
// (crx-sandbox.ts) over the rootfs the pod runtime unpacked into its bundle. Everything the engine
// knows it finds again in the container's crx files, so a restarted agent observes the same VMs.
import path from "node:path";
import type { ContainerEngine, ContainerLaunch, ContainerObservation } from "@/lib/spherelet/agent/container-engine";
import { adoptCrxContainer, startCrxContainer } from "@/lib/spherelet/agent/crx-sandbox";

/** `NAME=value` as the OCI process has it, back into the name and value crx's init sets. */
function envEntry(entry: string): { name: string; value: string } {
  const equals = entry.indexOf("=");
  return equals < 0 ? { name: entry, value: "" } : { name: entry.slice(0, equals), value: entry.slice(equals + 1) };
}

export class CrxEngine implements ContainerEngine {
  constructor(private readonly runDir: string) {}

  async start(launch: ContainerLaunch): Promise<void> {
    await startCrxContainer({
      podUid: launch.podUid,
      container: launch.container,
      rootfs: path.join(launch.bundleDir, "rootfs"),
      args: launch.process.args,
      env: launch.process.env.map(envEntry),
      cwd: launch.process.cwd,
      hostname: launch.hostname,
      cpuMillis: launch.cpuMillis,
      memoryBytes: launch.memoryBytes,
      logFile: launch.logFile,
      runDir: this.runDir,
    });
  }

  async observe(podUid: string, container: string): Promise<ContainerObservation> {
    const sandbox = await adoptCrxContainer(this.runDir, podUid, container);
    if (!sandbox) return { state: "absent" };
    const status = await sandbox.status();
    if (status.state !== "exited") return { state: "running" };
    // Inside its VM a container over its memory meets the guest kernel's OOM killer, which the host cannot tell from any other kill.
    return { state: "exited", exitCode: status.exitCode, finishedAt: status.finishedAt, oomKilled: false };
  }

  async stop(podUid: string, container: string, _bundleDir: string, graceSeconds: number): Promise<void> {
    await (await adoptCrxContainer(this.runDir, podUid, container))?.stop(graceSeconds);
  }

  async remove(podUid: string, container: string): Promise<void> {
    await (await adoptCrxContainer(this.runDir, podUid, container))?.remove();
  }
}
