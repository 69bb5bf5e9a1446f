// Drives one VM on this host towards its MachineSpec, one step at a time, and reports what it
// observes as the MachineStatus. Level-triggered: every pass reads the VM afresh (QEMU's pid file
// and QMP socket, the disk, the suspended state file, machine.json) and takes the next step, so a
// driver built over an existing directory adopts the QEMU running there instead of starting
// another. A VM that stopped on its own is reported powered off and left so until the spec's next
// generation: whether it runs again is the engine's decision (its drift repair), as with ESXi.
// The VM's files are on one of the host's datastores, found afresh each pass (the directory that
// holds its machine.json); when the spec names another, the driver moves them there.
import { existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { copyDisk, createEmptyDisk, createLinkedDisk, deleteSnapshot, diskInfo, growDisk, GuestIgnoredShutdownError, revertToSnapshot, takeSnapshot } from "@/lib/hypervisor/vm-runtime";
import type { DatastoreDirs, MountedDatastore } from "@/lib/spherelet/agent/datastore-dirs";
import { emptyRecord, imageDir, imageFiles, machinePaths, readRecord, writeRecord, type Hardware, type MachinePaths, type MachineRecord } from "@/lib/spherelet/agent/machine-files";
import { locateMachine, moveRunningMachine, moveStoppedMachine, removeLeftovers, type MachineLocation } from "@/lib/spherelet/agent/machine-relocation";
import { machineCounters, scanGuestAddress, serialLogLength, serialTail, type AddressScan } from "@/lib/spherelet/agent/machine-observations";
import { MachineProcess, type Runtime } from "@/lib/spherelet/agent/machine-process";
import type { IncomingStatus, Machine, MachineRequest, MachineSpec, MachineStatus, MigrationSpec } from "@/lib/spherelet/machine-protocol";
import { listenForMigration, migrateTo, writeMigrationKey } from "@/lib/hypervisor/live-migration";
import { ensureTap, removeTap } from "@/lib/hypervisor/tap-devices";
import { machineNics, tapName } from "@/lib/spherelet/agent/machine-nics";
import { addSnapshot, findSnapshot, snapshotTag, withoutSnapshot } from "@/lib/spherelet/agent/machine-snapshots";

export interface MachineDriverOptions {
  /** This host's datastores, and the directory each is mounted at. */
  datastores: DatastoreDirs;
  /** This host's directory for the VM's pid file and sockets (never on a datastore: the VM's files move between them). */
  runDir: string;
  id: string;
  /** One line per action, without the agent's prefix. */
  log?: (message: string) => void;
  /** How long Shut Down Guest OS waits for the guest before reporting that it ignored the button. */
  guestShutdownTimeoutMs?: number;
  /** Brings an image this host lacks from Skylight's content library into a datastore's directory, reporting progress 0–100. */
  fetchImage?: (datastoreDir: string, image: string, onProgress: (percent: number) => void) => Promise<void>;
  /** Skylight networks whose NICs go on a host bridge, by network name (the agent's --bridge). */
  bridges?: Record<string, string>;
  /** This host's address other hosts reach: where a VM migrating here is received. */
  migrationAddress?: string;
}

/** What a pass does at most before it reports and waits for the next one: no endless loop on a spec that cannot settle. */
const MAX_STEPS_PER_PASS = 8;

type StepKind = "delete" | "image" | "provision" | "request" | "migrate" | "relocate" | "power" | "disk";

const sameHardware = (a: Hardware | null, b: Hardware) => a?.cpus === b.cpus && a.memoryMiB === b.memoryMiB;

export function missingImageMessage(datastoreDir: string, image: string): string {
  const dir = imageDir(datastoreDir, image);
  return `The image "${image}" is not on this host: ${dir} holds no kernel, disk or ISO. Import it into Skylight's content library (the agent fetches it from there), or copy the image's files into it.`;
}

export class MachineDriver {
  readonly id: string;
  private readonly process: MachineProcess;
  /** Where its files are, as this pass found them. */
  private location: MachineLocation | null = null;
  /** Leftover directories QEMU (this pid) still had files open in when they were to be removed. */
  private keptLeftovers: { pid: number | null; dirs: string[] } = { pid: null, dirs: [] };
  private record: MachineRecord | null = null;
  private operation: MachineStatus["operation"] = null;
  private latest: MachineStatus | null = null;
  private diskGiB: number | null = null;
  private addressScan: (AddressScan & { bootLogOffset: number }) | null = null;
  private label: string;
  /** The live migration this host is receiving, once its QEMU listens (or failed to). */
  private receiving: { id: string; port: number | null; error: string | null } | null = null;

  constructor(private readonly options: MachineDriverOptions) {
    this.id = options.id;
    this.label = options.id;
    this.process = new MachineProcess(this.runDir, (message) => this.log(message));
  }

  private get runDir(): string {
    return this.options.runDir;
  }

  /** The datastore its files are on. */
  private get home(): MountedDatastore {
    if (!this.location) throw new Error("The VM's files have not been looked for yet.");
    return this.location.home;
  }

  private get paths(): MachinePaths {
    return machinePaths(this.home.dir, this.id);
  }

  /**
   * Finds the VM's files on this host's datastores (a new VM's are to be on the spec's datastore);
   * answers why not when neither is mounted here.
   */
  private async locate(spec: MachineSpec): Promise<string | null> {
    let found = await locateMachine(this.options.datastores.mounted(), this.id, spec.datastore);
    if (!found) {
      try {
        found = { home: { name: spec.datastore, dir: this.options.datastores.dirOf(spec.datastore) }, leftovers: [] };
      } catch (error) {
        return (error as Error).message;
      }
    }
    if (found.home.dir !== this.location?.home.dir) {
      // Read afresh from where the files are now.
      this.record = null;
      this.diskGiB = null;
    }
    this.location = found;
    this.process.dir = this.paths.dir;
    return null;
  }

  /** The directory of a datastore of this host, or null when it does not mount it. */
  private mountedDir(datastore: string): string | null {
    return this.options.datastores.mounted().find((mounted) => mounted.name === datastore)?.dir ?? null;
  }

  /** Takes steps towards the spec until none is left (or a step fails), reporting the status after each. */
  async converge(machine: Machine, onStep?: (status: MachineStatus) => unknown): Promise<MachineStatus> {
    this.label = machine.spec.ownerKey.split("/").at(-1) || this.id;
    const unmounted = await this.locate(machine.spec);
    if (unmounted) return this.remember(idleStatus(machine.generation, machine.spec.deleted ? { deleted: true } : { lastError: unmounted }));
    if (this.receiving) await this.takeOverReceived(machine);
    for (let steps = 0; steps < MAX_STEPS_PER_PASS; steps++) {
      const acted = await this.step(machine);
      const status = await this.observe(machine);
      if (!acted) return status;
      await onStep?.(status);
    }
    return this.observe(machine);
  }

  /** The status last observed, with the operation under way: for progress reports while a step runs. */
  currentStatus(): MachineStatus | null {
    return this.latest && { ...this.latest, operation: this.operation };
  }

  /** Lets go of QEMU's QMP socket; the VM runs on. */
  close(): void {
    this.process.close();
  }

  private log(message: string) {
    this.options.log?.(`${this.label}: ${message}`);
  }

  private async step(machine: Machine): Promise<boolean> {
    const { spec, generation } = machine;
    if (spec.deleted) return existsSync(this.paths.dir) && this.attempt("delete", generation, "Deleting", () => this.remove(spec.networks));
    const record = await this.loadRecord();
    if (record.lastError && record.lastError.generation !== generation) record.lastError = null;
    const fetchImage = this.options.fetchImage;
    // Into the datastore the VM's files are to be on: it boots from there once they are.
    const imageHome = this.mountedDir(spec.datastore) ?? this.home.dir;
    if (fetchImage && !imageFiles(imageHome, spec.image)) {
      return this.attempt("image", generation, `Fetching image ${spec.image}`.slice(0, 64), () => fetchImage(imageHome, spec.image, (percent) => this.operation && (this.operation.progress = percent)));
    }
    const runtime = await this.process.observe();
    if (!existsSync(this.paths.disk)) return this.attempt("provision", generation, spec.cloneOf ? "Cloning" : "Creating", () => this.provision(spec));
    const migration = spec.migration;
    if (migration) return this.sendStep(machine, migration, runtime);
    const request = spec.request;
    if (request && request.id !== record.lastRequest) return this.attempt("request", generation, request.action, () => this.carryOut(request, spec, runtime));
    const storage = this.storageStep(machine, record, runtime);
    if (storage) return this.attempt("relocate", generation, storage[0], storage[1]);
    const power = this.powerStep(machine, runtime);
    if (power) return this.attempt("power", generation, power[0], power[1]);
    const disk = await this.diskStep(spec, runtime);
    if (disk) return this.attempt("disk", generation, "Growing the disk", disk);
    return false;
  }

  /** Runs one step as the operation under way; its failure becomes lastError, and the pass stops unless it was a one-shot request. */
  private async attempt(kind: StepKind, generation: number, operation: string, action: () => Promise<void>): Promise<boolean> {
    this.operation = { name: operation, progress: 0 };
    try {
      await action();
      const record = await this.loadRecord();
      if (record.lastError?.step === kind) record.lastError = null;
      return true;
    } catch (error) {
      const record = await this.loadRecord();
      const message = (error as Error).message;
      if (record.lastError?.message !== message) this.log(`${operation} failed: ${message}`);
      record.lastError = { step: kind, generation, message };
      return kind === "request";
    } finally {
      this.operation = null;
      if (this.record && existsSync(this.paths.dir)) await writeRecord(this.paths, this.record);
    }
  }

  private async loadRecord(): Promise<MachineRecord> {
    this.record ??= existsSync(this.paths.dir) ? await readRecord(this.paths) : emptyRecord();
    return this.record;
  }

  private async provision(spec: MachineSpec) {
    await mkdir(this.paths.dir, { recursive: true });
    const partial = `${this.paths.disk}.partial`;
    if (spec.cloneOf) {
      const found = await locateMachine(this.options.datastores.mounted(), spec.cloneOf, spec.datastore);
      const source = machinePaths(found?.home.dir ?? this.home.dir, spec.cloneOf).disk;
      if (!existsSync(source)) throw new Error(`The VM to clone (${spec.cloneOf}) has no disk at ${source}.`);
      await copyDisk(source, partial);
    } else {
      const image = imageFiles(this.home.dir, spec.image);
      if (!image) throw new Error(missingImageMessage(this.home.dir, spec.image));
      if (image.baseDisk) await createLinkedDisk(image.baseDisk, partial);
      else await createEmptyDisk(partial, spec.diskGiB);
    }
    // Renamed only once whole: a disk that exists is a finished one.
    await rename(partial, this.paths.disk);
    this.diskGiB = null;
    this.log(spec.cloneOf ? `cloned the disk of ${spec.cloneOf}` : `created its disk from the image ${spec.image}`);
  }

  private powerStep({ spec, generation }: Machine, runtime: Runtime): [string, () => Promise<void>] | null {
    const desired = spec.powerState;
    const actual = runtime.powerState;
    if (desired === actual) return null;
    if (desired === "PoweredOn" && actual === "PoweredOff" && this.record?.poweredOnGeneration === generation) return null;
    if (desired === "PoweredOn") {
      const powerOn = async (resume: boolean) => {
        await this.launch(spec, { resume });
        (await this.loadRecord()).poweredOnGeneration = generation;
      };
      return actual === "Suspended" ? ["Resuming", () => powerOn(true)] : ["Powering on", () => powerOn(false)];
    }
    if (desired === "Suspended") {
      if (actual === "PoweredOff") return ["Suspending", () => Promise.reject(new Error("A powered-off VM cannot be suspended."))];
      return ["Suspending", () => this.process.suspend()];
    }
    if (actual === "Suspended") return ["Powering off", async () => (await this.process.discardSuspendedState(), this.log("powered off, its suspended state discarded"))];
    if (spec.powerMode === "Hard") return ["Powering off", () => this.process.stopHard(runtime)];
    // The guest ignored the button for this spec already: pressing it every pass would only block the pass.
    if (spec.powerMode === "Soft" && this.record?.ignoredShutdownGeneration === generation) return null;
    return ["Shutting down the guest OS", () => this.shutDown(runtime, spec.powerMode, generation)];
  }

  private async launch(spec: MachineSpec, { resume, loadSnapshot, hardware }: { resume?: boolean; loadSnapshot?: string; hardware?: Hardware }) {
    const record = await this.loadRecord();
    const boot = imageFiles(this.home.dir, spec.image);
    if (!boot) throw new Error(missingImageMessage(this.home.dir, spec.image));
    // A resumed VM has the hardware it was suspended with; anything else starts with the spec's.
    const startWith = resume && record.startedWith ? record.startedWith : (hardware ?? { cpus: spec.cpus, memoryMiB: spec.memoryMiB });
    if (!resume && !loadSnapshot) record.bootLogOffset = await serialLogLength(this.paths.dir);
    const nics = machineNics(this.id, spec.networks, this.options.bridges ?? {});
    for (const nic of nics) if (nic.tap && nic.bridge) await ensureTap(nic.tap, nic.bridge);
    await this.process.launch({ name: this.label.replace(/[^A-Za-z0-9-]/g, "-") || "vm", boot: boot.boot, disk: this.paths.disk, nics, ...startWith, resume, loadSnapshot });
    record.startedWith = startWith;
  }

  private async shutDown(runtime: Runtime, mode: MachineSpec["powerMode"], generation: number) {
    const timeoutMs = this.options.guestShutdownTimeoutMs ?? 60_000;
    try {
      await this.process.shutDownGuest(timeoutMs);
    } catch (error) {
      if (!(error instanceof GuestIgnoredShutdownError)) throw error;
      if (mode === "TrySoft") return this.process.stopHard(runtime);
      (await this.loadRecord()).ignoredShutdownGeneration = generation;
      throw new Error(`The guest did not shut down within ${Math.round(timeoutMs / 1000)} s of the ACPI power button (it may run no ACPI daemon), and the VM is still on: use Power Off to stop it at once.`);
    }
  }

  /**
   * Storage vMotion: the spec names another datastore than the one the files are on, so they move
   * there (once per generation: a failed move is reported, and Skylight decides whether to ask
   * again); or a move that did not finish left a directory behind.
   */
  private storageStep({ spec, generation }: Machine, record: MachineRecord, runtime: Runtime): [string, () => Promise<void>] | null {
    const location = this.location!;
    if (spec.datastore === location.home.name) {
      const kept = this.keptLeftovers.pid === runtime.pid ? this.keptLeftovers.dirs : [];
      const leftovers = location.leftovers.filter((leftover) => !kept.includes(machinePaths(leftover.dir, this.id).dir));
      return leftovers.length > 0 ? ["Removing leftover files", () => this.removeLeftovers(runtime)] : null;
    }
    if (record.lastError?.step === "relocate" && record.lastError.generation === generation) return null;
    return [`Moving its files to ${spec.datastore}`.slice(0, 64), () => this.relocate(spec.datastore, runtime)];
  }

  private async relocate(datastore: string, runtime: Runtime) {
    const from = this.home;
    const to = { name: datastore, dir: this.options.datastores.dirOf(datastore) };
    const move = { id: this.id, from, to, record: await this.loadRecord(), onProgress: (percent: number) => this.operation && (this.operation.progress = percent) };
    const started = Date.now();
    if (runtime.powerState === "PoweredOn") await moveRunningMachine(this.process.requireQmp(), move);
    else await moveStoppedMachine(move);
    this.location = { home: to, leftovers: this.location!.leftovers };
    this.process.dir = this.paths.dir;
    this.diskGiB = null;
    this.log(`moved its files from ${from.name} to ${datastore} in ${Date.now() - started} ms${runtime.powerState === "PoweredOn" ? ", its guest running on" : ""}`);
    if (this.location.leftovers.length > 0) await this.removeLeftovers(runtime);
  }

  private async removeLeftovers(runtime: Runtime) {
    const qmp = this.process.connection();
    const kept = await removeLeftovers(this.id, this.location!, runtime.pid !== null && qmp ? { pid: runtime.pid, qmp } : null);
    this.keptLeftovers = { pid: runtime.pid, dirs: kept };
    this.location = { home: this.home, leftovers: this.location!.leftovers.filter((leftover) => kept.includes(machinePaths(leftover.dir, this.id).dir)) };
    this.log(kept.length > 0 ? `left ${kept.join(", ")}, where its QEMU still has files open` : "removed the files a move that did not finish left behind");
  }

  private async diskSize(): Promise<number> {
    this.diskGiB ??= (await diskInfo(this.paths.disk)).sizeGiB;
    return this.diskGiB;
  }

  private async diskStep(spec: MachineSpec, runtime: Runtime): Promise<(() => Promise<void>) | null> {
    const current = await this.diskSize();
    // A suspended guest's saved device state has the old size: grow once it runs or is off.
    if (spec.diskGiB <= current || runtime.powerState === "Suspended") return null;
    return async () => {
      await growDisk(this.paths.disk, spec.diskGiB, runtime.powerState === "PoweredOn" ? this.process.requireQmp() : undefined);
      this.diskGiB = null;
      this.log(`grew its disk to ${spec.diskGiB} GiB`);
    };
  }

  /** A one-shot request: recorded as carried out (lastRequest) whether it succeeds or fails, so it never runs twice. */
  private async carryOut(request: MachineRequest, spec: MachineSpec, runtime: Runtime) {
    const record = await this.loadRecord();
    record.lastRequest = request.id;
    const running = runtime.powerState === "PoweredOn";
    if (request.action === "takeSnapshot") {
      const memory = request.memory && running;
      await takeSnapshot(this.paths.disk, snapshotTag(request.snapshotId), { memory, qmp: running ? this.process.requireQmp() : undefined });
      const hardware = { ...(running && record.startedWith ? record.startedWith : { cpus: spec.cpus, memoryMiB: spec.memoryMiB }), diskGiB: Math.ceil(await this.diskSize()) };
      const taken = { id: request.snapshotId, name: request.name, description: request.description, createdAt: new Date().toISOString(), includesMemory: memory, powerState: runtime.powerState, hardware };
      this.record = addSnapshot(record, taken);
      this.log(`took snapshot "${request.name}"${memory ? " with memory" : ""}`);
    } else if (request.action === "revertToSnapshot") {
      await this.revert(request.snapshotId, spec, runtime);
    } else {
      const ids = request.snapshotId === null ? record.snapshots.map((snapshot) => snapshot.id) : [findSnapshot(record, request.snapshotId).id];
      for (const id of ids) {
        await deleteSnapshot(this.paths.disk, snapshotTag(id), running ? this.process.requireQmp() : undefined);
        this.record = withoutSnapshot(this.record!, id);
      }
      this.log(request.snapshotId === null ? "removed every snapshot" : `removed snapshot ${request.snapshotId}`);
    }
  }

  /** A snapshot with memory resumes running where it was taken; one without gives the disk back and leaves the VM off. */
  private async revert(snapshotId: string, spec: MachineSpec, runtime: Runtime) {
    const record = await this.loadRecord();
    const snapshot = findSnapshot(record, snapshotId);
    const tag = snapshotTag(snapshotId);
    if (snapshot.includesMemory && runtime.powerState === "PoweredOn" && sameHardware(record.startedWith, snapshot.hardware)) {
      await revertToSnapshot(this.paths.disk, tag, this.process.requireQmp());
    } else {
      await this.process.stopHard(runtime);
      await this.process.discardSuspendedState();
      if (snapshot.includesMemory) await this.launch(spec, { loadSnapshot: tag, hardware: { cpus: snapshot.hardware.cpus, memoryMiB: snapshot.hardware.memoryMiB } });
      else await revertToSnapshot(this.paths.disk, tag);
    }
    this.diskGiB = null;
    record.currentSnapshotId = snapshotId;
    this.log(`reverted to snapshot "${snapshot.name}"`);
  }

  private async remove(networks: string[]) {
    await this.process.stopHard(await this.process.observe());
    for (const [index] of networks.entries()) await removeTap(tapName(this.id, index));
    for (const leftover of this.location!.leftovers) await rm(machinePaths(leftover.dir, this.id).dir, { recursive: true, force: true });
    await rm(this.paths.dir, { recursive: true, force: true });
    await rm(this.runDir, { recursive: true, force: true });
    this.record = null;
    this.log("deleted its files");
  }

  private async observe({ spec, generation }: Machine): Promise<MachineStatus> {
    if (spec.deleted && !existsSync(this.paths.dir)) return this.remember(idleStatus(generation, { deleted: true }));
    const record = await this.loadRecord();
    const runtime = await this.process.observe();
    const provisioned = existsSync(this.paths.disk);
    // CPUs and memory change at the next power-on: a running or suspended VM has what it started with.
    const hardware = runtime.powerState === "PoweredOff" ? spec : (record.startedWith ?? spec);
    return this.remember({
      observedGeneration: generation,
      provisioned,
      deleted: false,
      powerState: runtime.powerState,
      operation: this.operation,
      cpus: hardware.cpus,
      memoryMiB: hardware.memoryMiB,
      diskGiB: provisioned ? Math.ceil(await this.diskSize()) : 0,
      ipAddress: runtime.powerState === "PoweredOn" ? await this.guestAddress(record.bootLogOffset) : null,
      lastError: record.lastError?.message ?? null,
      snapshots: record.snapshots,
      currentSnapshotId: record.currentSnapshotId,
      lastRequest: record.lastRequest,
      pid: runtime.pid,
      serialTail: await serialTail(this.paths.dir),
      counters: runtime.pid === null ? null : await machineCounters(runtime.pid, this.process.connection()),
      migration: spec.migration && record.lastMigration?.id === spec.migration.id ? record.lastMigration : null,
      datastore: provisioned ? this.home.name : null,
    });
  }

  /**
   * The source's side of a live migration: once the destination listens, send the running VM there;
   * when it has arrived, quit this QEMU (paused since the switch-over). The outcome goes into the
   * status; Skylight moves the machine to the destination when both ends have reported.
   */
  private async sendStep(machine: Machine, migration: MigrationSpec, runtime: Runtime): Promise<boolean> {
    const record = await this.loadRecord();
    if (record.lastMigration?.id === migration.id) return false;
    const fail = (error: string) => {
      record.lastMigration = { id: migration.id, state: "failed", progress: 0, totalTimeMs: null, downtimeMs: null, transferredBytes: null, error };
      this.log(`live migration to ${migration.to} failed: ${error}`);
    };
    if (runtime.powerState !== "PoweredOn") return this.attempt("migrate", machine.generation, "Migrating", async () => fail("The VM is not running here, so there is nothing to move live."));
    const incoming = machine.incoming?.migrationId === migration.id ? machine.incoming : null;
    if (incoming?.state === "failed") return this.attempt("migrate", machine.generation, "Migrating", async () => fail(`host ${migration.to} could not receive it: ${incoming.error ?? "no reason given"}`));
    // Not listening yet: the listing changes when the destination says where it does.
    if (incoming?.state !== "listening" || !incoming.address || !incoming.port) return false;
    const { address, port } = incoming;
    return this.attempt("migrate", machine.generation, `Migrating to ${migration.to}`.slice(0, 64), async () => {
      const keyDir = path.join(this.runDir, "migration");
      try {
        await writeMigrationKey(keyDir, migration.key);
        const qmp = this.process.requireQmp();
        const figures = await migrateTo(qmp, { address, port, keyDir, onProgress: (percent) => this.operation && (this.operation.progress = percent) });
        await this.process.stopHard(await this.process.observe());
        record.lastMigration = { id: migration.id, state: "completed", progress: 100, error: null, ...figures };
        this.log(`moved live to ${migration.to} in ${figures.totalTimeMs} ms (downtime ${figures.downtimeMs} ms, ${Math.round(figures.transferredBytes / 2 ** 20)} MiB sent)`);
      } catch (error) {
        fail((error as Error).message);
      } finally {
        await rm(keyDir, { recursive: true, force: true });
      }
    });
  }

  /**
   * The destination's side: a QEMU that waits for the VM (with the hardware it runs with, from its
   * record on the shared datastore) listens for it at this host's address, with the migration's
   * key; the report says where, then that the VM runs here. A listener of an earlier attempt is
   * replaced.
   */
  async receive(machine: Machine): Promise<IncomingStatus> {
    const migration = machine.spec.migration!;
    this.label = machine.spec.ownerKey.split("/").at(-1) || this.id;
    const report = (state: IncomingStatus["state"], extra: Partial<IncomingStatus> = {}): IncomingStatus => ({ migrationId: migration.id, state, address: null, port: null, error: null, status: null, ...extra });
    if (this.receiving?.id === migration.id && this.receiving.error) return report("failed", { error: this.receiving.error });
    const unmounted = await this.locate(machine.spec);
    if (unmounted) return report("failed", { error: unmounted });
    let runtime = await this.process.observe();
    if (runtime.pid !== null && this.receiving?.id !== migration.id) {
      await this.process.stopHard(runtime);
      runtime = await this.process.observe();
    }
    if (runtime.pid === null) {
      if (this.receiving?.id === migration.id) return report("failed", { error: "The QEMU waiting for the VM stopped." });
      this.receiving = { id: migration.id, port: null, error: null };
      try {
        await this.prepareToReceive(machine.spec, migration);
      } catch (error) {
        this.receiving.error = (error as Error).message;
        this.log(`cannot receive the live migration: ${this.receiving.error}`);
        return report("failed", { error: this.receiving.error });
      }
    }
    const qmp = this.process.connection();
    const state = qmp ? (await qmp.execute<{ status: string }>("query-status")).status : null;
    if (state === "running") return report("running", { status: await this.observe({ ...machine, role: "run" }) });
    return report("listening", { address: this.options.migrationAddress ?? "127.0.0.1", port: this.receiving?.port ?? null });
  }

  private async prepareToReceive(spec: MachineSpec, migration: MigrationSpec) {
    const fetchImage = this.options.fetchImage;
    if (fetchImage && !imageFiles(this.home.dir, spec.image)) await fetchImage(this.home.dir, spec.image, () => undefined);
    const boot = imageFiles(this.home.dir, spec.image);
    if (!boot) throw new Error(missingImageMessage(this.home.dir, spec.image));
    // The record is the source's (it runs the VM): read, never written, until the VM arrives.
    const startedWith = (await readRecord(this.paths)).startedWith ?? { cpus: spec.cpus, memoryMiB: spec.memoryMiB };
    const nics = machineNics(this.id, spec.networks, this.options.bridges ?? {});
    for (const nic of nics) if (nic.tap && nic.bridge) await ensureTap(nic.tap, nic.bridge);
    await this.process.launch({ name: this.label.replace(/[^A-Za-z0-9-]/g, "-") || "vm", boot: boot.boot, disk: this.paths.disk, nics, ...startedWith, incoming: true });
    const keyDir = path.join(this.runDir, "migration");
    await writeMigrationKey(keyDir, migration.key);
    this.receiving!.port = await listenForMigration(this.process.requireQmp(), { address: this.options.migrationAddress ?? "127.0.0.1", keyDir });
    this.log(`waiting for the live migration on port ${this.receiving!.port}`);
  }

  /** The VM arrived and Skylight placed it here: from now on this host's record is the VM's. */
  private async takeOverReceived(machine: Machine) {
    if (machine.role !== "run") return;
    this.receiving = null;
    await rm(path.join(this.runDir, "migration"), { recursive: true, force: true });
    this.record = null;
    const record = await this.loadRecord();
    // It runs as this generation asks: a later stop on its own is reported as such, not restarted.
    record.poweredOnGeneration = machine.generation;
    record.lastMigration = null;
    await writeRecord(this.paths, record);
    this.log(`received live; running here now`);
  }

  /** The migration this host was to receive is off (failed, or moved elsewhere): its waiting QEMU goes. */
  async abandonReceiving(): Promise<void> {
    if (!this.receiving) return;
    this.receiving = null;
    await this.process.stopHard(await this.process.observe());
    await rm(path.join(this.runDir, "migration"), { recursive: true, force: true });
    this.log("no longer waiting for a live migration");
  }

  /**
   * Skylight no longer places this machine here: a QEMU still running it (HA restarted the VM
   * elsewhere while this host was cut off) is stopped, and this host's run directory for it goes.
   */
  async letGo(): Promise<void> {
    const runtime = await this.process.observe();
    if (runtime.pid !== null) {
      await this.process.stopHard(runtime);
      this.log("stopped: Skylight no longer places this VM on this host");
    }
    await rm(this.runDir, { recursive: true, force: true });
  }

  private async guestAddress(bootLogOffset: number): Promise<string | null> {
    const scan = this.addressScan?.bootLogOffset === bootLogOffset ? this.addressScan : { bootLogOffset, from: bootLogOffset, address: null };
    this.addressScan = { bootLogOffset, ...(await scanGuestAddress(this.paths.dir, scan)) };
    return this.addressScan.address;
  }

  private remember(status: MachineStatus): MachineStatus {
    this.latest = status;
    return status;
  }
}

/** A machine with no files here: deleted, or not yet created (and why not). */
function idleStatus(generation: number, { deleted = false, lastError = null }: { deleted?: boolean; lastError?: string | null }): MachineStatus {
  return {
    observedGeneration: generation,
    provisioned: false,
    deleted,
    powerState: "PoweredOff",
    operation: null,
    cpus: 0,
    memoryMiB: 0,
    diskGiB: 0,
    ipAddress: null,
    lastError,
    snapshots: [],
    currentSnapshotId: null,
    lastRequest: null,
    pid: null,
    serialTail: "",
    counters: null,
    migration: null,
    datastore: null,
  };
}
