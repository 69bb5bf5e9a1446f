// One worker per machine on this host: a machine is never driven by two passes at once, machines
// are driven in parallel, and a pass asked for while one runs is run once more after it (as
// client-go's work queue does for a key). Each pass converges the machine towards its latest spec
// and PUTs its status when it changed, every few seconds while an operation runs, and at least
// every COUNTER_REPORT_MS so the host's performance charts get fresh counters.
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { DatastoreDirs } from "@/lib/spherelet/agent/datastore-dirs";
import { fetchImage } from "@/lib/spherelet/agent/image-fetch";
import { MachineDriver } from "@/lib/spherelet/agent/machine-driver";
import { POD_RUN_DIR_ENTRIES } from "@/lib/spherelet/agent/pod-files";
import { SPHERELET_PATH_PREFIX, type Machine, type MachineStatus } from "@/lib/spherelet/machine-protocol";
import type { SkylightApi } from "@/lib/spherelet/agent/skylight-api";

const PROGRESS_REPORT_MS = 3_000;
/** While a guest boots, it is looked at every second (for its address) rather than every periodic pass. */
const BOOT_WATCH_MS = 1_000;
const BOOT_WATCH_FOR_MS = 60_000;
export const COUNTER_REPORT_MS = 20_000;

interface Worker {
  driver: MachineDriver;
  machine: Machine | null;
  pass: Promise<void> | null;
  again: boolean;
  reported: string;
  reportedAt: number;
  retired: boolean;
  /** The QEMU pid last seen, and when it was first seen. */
  pid: number | null;
  pidSince: number;
}

export class MachineWorkers {
  private readonly workers = new Map<string, Worker>();
  /** Counts the server's lists: only the newest decides which of this host's machines to let go. */
  private listings = 0;
  /** Images being fetched, by datastore directory and name: machines that need the same one wait for one download. */
  private readonly fetches = new Map<string, Promise<void>>();

  constructor(
    private readonly api: SkylightApi,
    private readonly host: string,
    private readonly datastores: DatastoreDirs,
    /** This host's own directory: each machine's pid file and sockets in `<runDir>/<id>`. */
    private readonly runDir: string,
    private readonly log: (message: string) => void,
    private readonly bridges: Record<string, string> = {},
    /** This host's address, where VMs migrating here are received. */
    private readonly migrationAddress = "127.0.0.1",
  ) {}

  /**
   * The server's whole list for this host: each machine's worker runs a pass with its latest spec.
   * A machine no longer listed is no longer this host's: a migration it waited for is off, and a
   * VM still running here (its host failed over and HA restarted it elsewhere) is stopped, since
   * this host can no longer report for it.
   */
  update(machines: Machine[]): void {
    const listed = new Set(machines.map((machine) => machine.id));
    const listing = ++this.listings;
    for (const machine of machines) {
      const worker = this.returning(machine.id) ?? this.worker(machine.id);
      worker.machine = machine;
      worker.retired = false;
      this.kick(worker);
    }
    void this.letGoOfUnlisted(listed, listing);
  }

  private async letGoOfUnlisted(listed: Set<string>, listing: number) {
    const here = await readdir(this.runDir, { withFileTypes: true }).catch(() => []);
    // A newer list arrived while the directory was read (it may place a machine here again, as HA does): it decides.
    if (listing !== this.listings) return;
    for (const entry of here) {
      if (!entry.isDirectory() || POD_RUN_DIR_ENTRIES.has(entry.name) || listed.has(entry.name) || this.workers.get(entry.name)?.pass) continue;
      const worker = this.worker(entry.name);
      worker.machine = null;
      worker.pass = (async () => {
        await worker.driver.abandonReceiving();
        await worker.driver.letGo();
      })()
        .catch((error: Error) => this.log(`${entry.name}: ${error.message}`))
        .finally(() => {
          worker.pass = null;
          if (!worker.machine) this.workers.delete(entry.name);
          // Listed again while it was let go: the pass it was kicked for waited for this one.
          else if (worker.again) this.kick(worker);
        });
    }
  }

  /** The periodic pass: the VM may have changed without its spec doing so (its guest powered off). */
  kickAll(): void {
    for (const worker of this.workers.values()) if (worker.machine && !worker.retired) this.kick(worker);
  }

  /** Waits for the passes under way, then lets go of every QMP socket; the VMs run on. */
  async stop(): Promise<void> {
    for (const worker of this.workers.values()) worker.retired = true;
    await Promise.all([...this.workers.values()].map((worker) => worker.pass));
    for (const worker of this.workers.values()) worker.driver.close();
  }

  /**
   * A fresh worker for a machine that left this host and is listed here again (vSphere HA
   * restarting it here after it moved away): the old driver's cached record, location and QMP
   * state are of the VM as it was when it left, and the host that ran it since has rewritten its
   * files on the shared datastore. Starting afresh reads them as an agent restart does.
   */
  private returning(id: string): Worker | null {
    const worker = this.workers.get(id);
    if (!worker?.retired || worker.pass) return null;
    worker.driver.close();
    this.workers.delete(id);
    return this.worker(id);
  }

  private worker(id: string): Worker {
    let worker = this.workers.get(id);
    if (!worker) {
      const driver = new MachineDriver({
        datastores: this.datastores,
        runDir: path.join(this.runDir, id),
        id,
        log: this.log,
        bridges: this.bridges,
        migrationAddress: this.migrationAddress,
        fetchImage: (datastoreDir, image, onProgress) => this.fetchImage(datastoreDir, image, onProgress),
      });
      worker = { driver, machine: null, pass: null, again: false, reported: "", reportedAt: 0, retired: false, pid: null, pidSince: 0 };
      this.workers.set(id, worker);
    }
    return worker;
  }

  private fetchImage(datastoreDir: string, image: string, onProgress: (percent: number) => void): Promise<void> {
    const key = `${datastoreDir}\0${image}`;
    let fetching = this.fetches.get(key);
    if (!fetching) {
      this.log(`fetching the image ${image} from the content library into ${datastoreDir}`);
      fetching = fetchImage(this.api, datastoreDir, image, onProgress)
        .then(() => this.log(`fetched the image ${image} into ${datastoreDir}`))
        .finally(() => this.fetches.delete(key));
      this.fetches.set(key, fetching);
    }
    return fetching;
  }

  private kick(worker: Worker) {
    if (worker.pass) {
      worker.again = true;
      return;
    }
    worker.pass = (async () => {
      do {
        worker.again = false;
        await this.runPass(worker);
      } while (worker.again && !worker.retired);
    })().finally(() => (worker.pass = null));
  }

  private async runPass(worker: Worker) {
    const machine = worker.machine!;
    if (machine.role === "receive") return this.receivePass(worker, machine);
    const progress = setInterval(() => {
      const status = worker.driver.currentStatus();
      if (status?.operation) void this.report(worker, machine, status);
    }, PROGRESS_REPORT_MS);
    try {
      const status = await worker.driver.converge(machine, (step) => this.report(worker, machine, step));
      await this.report(worker, machine, status);
      this.watchBoot(worker, status);
      // Its files are gone and the server knows: nothing is left to drive.
      if (status.deleted && worker.reported) worker.retired = true;
    } catch (error) {
      this.log(`${machine.id}: ${(error as Error).message}`);
    } finally {
      clearInterval(progress);
    }
  }

  /** This host receives the machine's live migration: say where it listens, then that the VM runs here. */
  private async receivePass(worker: Worker, machine: Machine) {
    try {
      const incoming = await worker.driver.receive(machine);
      // Until the VM arrives, look again every second: nothing on the server changes when it does.
      if (incoming.state === "listening") setTimeout(() => !worker.retired && worker.machine === machine && this.kick(worker), BOOT_WATCH_MS).unref();
      const shape = JSON.stringify({ ...incoming, status: incoming.status && { ...incoming.status, counters: null } });
      if (shape === worker.reported) return;
      const response = await this.api.expect([200, 204, 404], "PUT", this.machinePath(machine, "incoming"), { body: incoming });
      // 404: the migration is over (settled, or failed and no longer this host's to receive).
      worker.reported = response.status === 404 ? "" : shape;
    } catch (error) {
      worker.reported = "";
      this.log(`${machine.id}: receiving its live migration: ${(error as Error).message}`);
    }
  }

  private machinePath(machine: Machine, report: "status" | "incoming"): string {
    return `${SPHERELET_PATH_PREFIX}${encodeURIComponent(this.host)}/machines/${encodeURIComponent(machine.id)}/${report}`;
  }

  private watchBoot(worker: Worker, status: MachineStatus) {
    if (status.pid !== worker.pid) [worker.pid, worker.pidSince] = [status.pid, Date.now()];
    if (status.pid !== null && status.ipAddress === null && Date.now() - worker.pidSince < BOOT_WATCH_FOR_MS) {
      setTimeout(() => !worker.retired && this.kick(worker), BOOT_WATCH_MS).unref();
    }
  }

  private async report(worker: Worker, machine: Machine, status: MachineStatus) {
    // Counters change on every look: they alone are sent only every COUNTER_REPORT_MS.
    const shape = JSON.stringify({ ...status, counters: null });
    if (shape === worker.reported && Date.now() - worker.reportedAt < COUNTER_REPORT_MS) return;
    try {
      const response = await this.api.expect([200, 204, 404], "PUT", this.machinePath(machine, "status"), { body: status });
      if (response.status === 404) {
        // The server no longer has this machine on this host: leave the VM alone and stop driving it.
        worker.retired = true;
        this.log(`${machine.id}: no longer placed on this host; left as it is`);
        return;
      }
      worker.reported = shape;
      worker.reportedAt = Date.now();
    } catch (error) {
      worker.reported = "";
      this.log(`${machine.id}: reporting its status failed: ${(error as Error).message}`);
    }
  }
}
