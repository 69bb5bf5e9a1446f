// The QEMU process of one machine as its driver sees it: whether it runs (adopting one started by
// an earlier agent through its pid file and QMP socket), is suspended to a file, or is off; and
// the power operations that start and stop it.
import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { launchVm, pollUntil, runningPid, vmFiles, type BootSource, type Nic } from "@/lib/hypervisor/qemu-vm";
import { QmpClient } from "@/lib/hypervisor/qmp-client";
import { powerOffHard, resume, shutDownGuest, suspend, suspendedStateFile } from "@/lib/hypervisor/vm-runtime";
import type { Hardware } from "@/lib/spherelet/agent/machine-files";
import type { MachineStatus } from "@/lib/spherelet/machine-protocol";

export interface Runtime {
  powerState: MachineStatus["powerState"];
  pid: number | null;
}

export interface ProcessLaunch extends Hardware {
  name: string;
  boot: BootSource;
  disk: string;
  nics: Nic[];
  /** Resume from the suspended state file instead of booting. */
  resume?: boolean;
  /** Start running from this snapshot's memory instead of booting. */
  loadSnapshot?: string;
  /** Wait for a live migration instead of booting. */
  incoming?: boolean;
}

export class MachineProcess {
  private qmp: QmpClient | null = null;

  /**
   * The VM's directory on its datastore (disk, suspended state): null until its driver has found
   * it, and another once its files move to another datastore.
   */
  dir: string | null = null;

  /** `runDir` is this host's directory for the VM's pid file and QMP socket. */
  constructor(
    private readonly runDir: string,
    private readonly log: (message: string) => void,
  ) {}

  private get home(): string {
    if (this.dir === null) throw new Error("The VM's directory on its datastore is not known yet.");
    return this.dir;
  }

  /** Where the VM is now; a running QEMU this object has no connection to yet is adopted. */
  async observe(): Promise<Runtime> {
    const pid = await runningPid(this.runDir);
    if (pid === null) {
      this.close();
      return { pid: null, powerState: this.dir !== null && existsSync(suspendedStateFile(this.dir)) ? "Suspended" : "PoweredOff" };
    }
    if (!this.qmp) {
      try {
        this.attach(await QmpClient.connect(vmFiles(this.runDir).qmp));
        this.log(`adopted the running VM (pid ${pid})`);
      } catch (error) {
        this.log(`QEMU runs (pid ${pid}) but its QMP socket does not answer: ${(error as Error).message}`);
      }
    }
    return { pid, powerState: "PoweredOn" };
  }

  /** The QMP connection, or null while QEMU is not running or does not answer. */
  connection(): QmpClient | null {
    return this.qmp;
  }

  requireQmp(): QmpClient {
    if (!this.qmp) throw new Error(`QEMU runs but its QMP socket (${vmFiles(this.runDir).qmp}) does not answer.`);
    return this.qmp;
  }

  async launch({ resume: resuming, loadSnapshot, ...launch }: ProcessLaunch): Promise<void> {
    const options = { dir: this.home, runDir: this.runDir, ...launch };
    this.attach(resuming ? await resume(options) : await launchVm({ ...options, loadSnapshot }));
    this.log(`${resuming ? "resumed" : loadSnapshot ? "started from a snapshot's memory" : launch.incoming ? "started to receive a live migration" : "powered on"} (pid ${await runningPid(this.runDir)})`);
  }

  /** Power Off; without a QMP connection, QEMU is killed. */
  async stopHard(runtime: Runtime): Promise<void> {
    if (runtime.pid === null) return;
    if (this.qmp) await powerOffHard(this.runDir, this.qmp);
    else {
      process.kill(runtime.pid, "SIGKILL");
      await pollUntil("QEMU exiting", 10_000, async () => ((await runningPid(this.runDir)) === null ? true : undefined));
    }
    this.close();
    this.log("powered off");
  }

  /** Shut Down Guest OS; throws GuestIgnoredShutdownError when the guest does not answer within `timeoutMs`. */
  async shutDownGuest(timeoutMs: number): Promise<void> {
    await shutDownGuest(this.runDir, this.requireQmp(), timeoutMs);
    this.close();
    this.log("the guest shut down");
  }

  async suspend(): Promise<void> {
    await suspend(this.home, this.requireQmp(), this.runDir);
    this.close();
    this.log("suspended");
  }

  async discardSuspendedState(): Promise<void> {
    await rm(suspendedStateFile(this.home), { force: true });
  }

  /** Lets go of the QMP socket; the VM runs on. */
  close(): void {
    this.qmp?.close();
    this.qmp = null;
  }

  private attach(qmp: QmpClient) {
    this.qmp = qmp;
    qmp.once("close", () => {
      if (this.qmp === qmp) this.qmp = null;
    });
  }
}
