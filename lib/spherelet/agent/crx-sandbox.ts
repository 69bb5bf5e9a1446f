// One container of a `crx` pod, run in its own microVM (the seed's CRX: a container with a VM's
// isolation), beside runc for the other RuntimeClass. The container's unpacked rootfs is shared into
// the guest by virtiofsd; the guest's /init (lib/spherelet/agent/crx-image.ts) runs the process
// there. QEMU itself writes what the guest sends on its two virtio-serial ports: the container's
// output, already in the CRI log format, appended to the container's log file, and its lifecycle
// lines to `state`. QEMU and virtiofsd daemonize, so the VM outlives the agent that started it; a
// restarted agent finds it again by its pid file under the pod's directory and reads its state from
// the files alone. The container's CPU and memory limits become the VM's vCPUs and memory.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { appendFile, mkdir, open, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { accelerator, GUEST_CPU, microvmKernelCmdline, pollUntil, runningPid } from "@/lib/hypervisor/qemu-vm";
import { QmpClient } from "@/lib/hypervisor/qmp-client";
import { CRX_LOG_PORT, CRX_ROOTFS_TAG, CRX_STATE_PORT, checkoutCrxImage, type CrxImage } from "@/lib/spherelet/agent/crx-image";
import { CrxSpecError, crxSpecArchive } from "@/lib/spherelet/agent/crx-spec";
import { podDir } from "@/lib/spherelet/agent/pod-files";

const run = promisify(execFile);

const VIRTIOFSD = "/usr/lib/qemu/virtiofsd";
const MiB = 1024 * 1024;
/** What the guest's kernel and init take besides the container: its memory limit is added to this. */
export const CRX_GUEST_OVERHEAD_MIB = 80;
/** A container without a memory limit gets a VM of this size. */
export const CRX_DEFAULT_MEMORY_MIB = 256;
/** TCG's translation cache per VM (MiB): a container's code is small, and the cache is resident memory. */
const TCG_CACHE_MIB = 32;
/** A state file longer than this was not written by our /init: only its start is read. */
const MAX_STATE_BYTES = 4096;
/** kube's exit code for a container killed by SIGKILL. */
const KILLED_EXIT_CODE = 137;

// The pod's uid and the container's name become directory names: nothing that could leave the pod's directory.
const POD_UID = /^[a-z0-9][-a-z0-9]{0,63}$/;
const CONTAINER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A crx container's files: `<pod dir>/crx/<container>/`. */
export function crxFiles(runDir: string, podUid: string, container: string) {
  if (!POD_UID.test(podUid)) throw new CrxSpecError(`podUid "${podUid}" must be lowercase letters, digits and '-'`);
  if (!CONTAINER_NAME.test(container)) throw new CrxSpecError(`container "${container}" must be an RFC 1123 label`);
  // QEMU reads a comma in an option's value as the next option, virtiofsd too.
  if (runDir.includes(",")) throw new CrxSpecError(`runDir "${runDir}" must not contain a comma`);
  const dir = path.join(podDir(runDir, podUid), "crx", container);
  // A unix socket's path holds at most 107 bytes (sun_path); QEMU and virtiofsd would refuse it less clearly.
  if (Buffer.byteLength(path.join(dir, "virtiofs.sock")) > 107) throw new CrxSpecError(`runDir "${runDir}" is too long for the container's sockets under it (107 bytes at most)`);
  return {
    dir,
    /** QEMU's pid file: runningPid() of `dir` finds the VM by it. */
    pid: path.join(dir, "qemu.pid"),
    qmp: path.join(dir, "qmp.sock"),
    virtiofs: path.join(dir, "virtiofs.sock"),
    virtiofsdLog: path.join(dir, "virtiofsd.log"),
    initrd: path.join(dir, "initrd.img"),
    /** The guest kernel's and init's own messages (the serial console). */
    console: path.join(dir, "console.log"),
    /** The guest's lifecycle lines: `started <time>`, then `exited <code> <time>` or `failed <time> <reason>`. */
    state: path.join(dir, "state"),
  };
}

export interface CrxStart {
  podUid: string;
  container: string;
  /** The container's unpacked rootfs on this host, shared into the guest read-write. */
  rootfs: string;
  /** The process: the image's entrypoint and cmd as the pod's command and args resolved them. */
  args: string[];
  env: { name: string; value: string }[];
  cwd: string;
  /** The guest's hostname (kube gives a pod's containers the pod's name); the container's name when not given. */
  hostname?: string;
  cpuMillis: number | null;
  memoryBytes: number | null;
  /** The container's CRI log for this run (containerLogFile of pod-files.ts): QEMU appends the guest's lines to it. */
  logFile: string;
  /** The agent's run directory. */
  runDir: string;
  /** The guest to boot; the checkout's when not given. */
  image?: CrxImage;
}

export type CrxContainerStatus =
  | { state: "starting" }
  | { state: "running"; startedAt: string }
  | { state: "exited"; exitCode: number; reason: "Completed" | "Error" | "StartError"; message?: string; startedAt?: string; finishedAt: string };

/** The VM's size for a container's limits: one vCPU per started 1000 millicores (at most the host's), its memory limit plus the guest's own. */
export function crxVmSize(cpuMillis: number | null, memoryBytes: number | null): { cpus: number; memoryMiB: number } {
  return {
    cpus: Math.min(cpus().length, Math.max(1, Math.ceil((cpuMillis ?? 1000) / 1000))),
    memoryMiB: memoryBytes === null ? CRX_DEFAULT_MEMORY_MIB : Math.ceil(memoryBytes / MiB) + CRX_GUEST_OVERHEAD_MIB,
  };
}

function qemuArguments(start: CrxStart, image: CrxImage, files: ReturnType<typeof crxFiles>): string[] {
  const { cpus: vcpus, memoryMiB } = crxVmSize(start.cpuMillis, start.memoryBytes);
  return [
    ["-name", `crx-${start.podUid}-${start.container}`],
    // virtiofs needs the guest's memory shared with virtiofsd.
    ["-object", `memory-backend-memfd,id=mem,size=${memoryMiB}M,share=on`],
    ["-machine", "microvm,acpi=on,memory-backend=mem"],
    // TCG's translation cache would otherwise take up to 1 GiB of the host's memory per VM.
    ["-accel", accelerator() === "kvm" ? "kvm" : `tcg,tb-size=${TCG_CACHE_MIB}`],
    ["-kernel", image.kernel, "-initrd", files.initrd, "-append", microvmKernelCmdline([`skylight.launched=${(Date.now() / 1000).toFixed(2)}`])],
    ["-cpu", GUEST_CPU, "-smp", String(vcpus), "-m", `${memoryMiB}M`],
    // -no-reboot: should the guest's init ever die, the kernel's panic ends QEMU instead of booting again.
    ["-nodefaults", "-no-user-config", "-display", "none", "-no-reboot"],
    ["-chardev", `file,id=console,path=${files.console}`, "-serial", "chardev:console"],
    // Modern virtio over MMIO: vhost-user (virtiofsd) refuses the legacy devices microvm makes by default.
    ["-global", "virtio-mmio.force-legacy=false"],
    ["-device", "virtio-serial-device"],
    ["-chardev", `file,id=log,path=${start.logFile},append=on`, "-device", `virtserialport,chardev=log,name=${CRX_LOG_PORT}`],
    ["-chardev", `file,id=state,path=${files.state}`, "-device", `virtserialport,chardev=state,name=${CRX_STATE_PORT}`],
    ["-chardev", `socket,id=rootfs,path=${files.virtiofs}`, "-device", `vhost-user-fs-device,chardev=rootfs,tag=${CRX_ROOTFS_TAG}`],
    ["-qmp", `unix:${files.qmp},server=on,wait=off`],
    ["-pidfile", files.pid, "-daemonize"],
  ].flat();
}


/**
 * virtiofsd serves one VM and exits when its QEMU goes; it pivots into the rootfs, so the guest sees
 * nothing of the host beyond it. Its --daemonize detaches only once QEMU has connected, so it runs
 * in the foreground of a session of its own instead, and outlives the agent all the same.
 */
async function startVirtiofsd(rootfs: string, files: ReturnType<typeof crxFiles>): Promise<ChildProcess> {
  const log = await open(files.virtiofsdLog, "a");
  try {
    const child = spawn(VIRTIOFSD, ["-f", `--socket-path=${files.virtiofs}`, "-o", `source=${rootfs}`, "-o", "cache=auto"], { detached: true, stdio: ["ignore", log.fd, log.fd] });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.unref();
    const ready = pollUntil("virtiofsd's socket", 10_000, async () => ((await stat(files.virtiofs).catch(() => null)) ? true : undefined));
    const early = await Promise.race([ready.then(() => null), exited.then((code) => ({ code }))]);
    if (early) throw new Error(`virtiofsd did not start (exit code ${early.code}): ${(await readFile(files.virtiofsdLog, "utf8")).trim()}`);
    return child;
  } finally {
    await log.close();
  }
}

/** Boots the container's VM, detached; the process starts once the guest has mounted its rootfs (status() says `running`). */
export async function startCrxContainer(start: CrxStart): Promise<CrxSandbox> {
  const files = crxFiles(start.runDir, start.podUid, start.container);
  for (const [field, file] of [["rootfs", start.rootfs], ["logFile", start.logFile]] as const) {
    if (file.includes(",")) throw new CrxSpecError(`${field} "${file}" must not contain a comma`);
  }
  if (await runningPid(files.dir)) throw new Error(`crx container ${start.container} of pod ${start.podUid} is already running`);
  const spec = crxSpecArchive({ hostname: start.hostname ?? start.container, args: start.args, env: start.env, cwd: start.cwd });
  const image = start.image ?? (await checkoutCrxImage());
  await rm(files.dir, { recursive: true, force: true });
  await mkdir(files.dir, { recursive: true });
  await mkdir(path.dirname(start.logFile), { recursive: true });
  const base = await readFile(image.initrd);
  // The kernel finds an archive after a compressed one only at a 4-byte boundary.
  await writeFile(files.initrd, Buffer.concat([base, Buffer.alloc((4 - (base.length % 4)) % 4), spec]));
  const virtiofsd = await startVirtiofsd(start.rootfs, files);
  try {
    await run("qemu-system-x86_64", qemuArguments(start, image, files), { timeout: 30_000 });
  } catch (error) {
    // It would wait for a QEMU that never comes.
    virtiofsd.kill("SIGKILL");
    throw new Error(`QEMU did not start the crx container ${start.container}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
  return new CrxSandbox(files);
}

/** A crx container found again by its files (after the agent restarted), or null when it never ran here. */
export async function adoptCrxContainer(runDir: string, podUid: string, container: string): Promise<CrxSandbox | null> {
  const files = crxFiles(runDir, podUid, container);
  return (await stat(files.state).catch(() => null)) ? new CrxSandbox(files) : null;
}

async function readState(file: string): Promise<string[]> {
  const handle = await open(file, "r").catch(() => null);
  if (!handle) return [];
  try {
    const buffer = Buffer.alloc(MAX_STATE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_STATE_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").split("\n");
  } finally {
    await handle.close();
  }
}

const TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?Z";
const STARTED = new RegExp(`^started (${TIME})$`);
const EXITED = new RegExp(`^exited (\\d{1,3}) (${TIME})$`);
const FAILED = new RegExp(`^failed (${TIME}) (.{1,512})$`);

/**
 * What the state lines say. The container counts as exited once its VM is gone too (the guest
 * powers off a moment after its last line), so a container may be started again as soon as it has
 * exited; the first exit or failure wins over anything after it.
 */
export function crxStatusOf(lines: string[], running: boolean, stoppedAt: string): CrxContainerStatus {
  const startedAt = lines.map((line) => STARTED.exec(line)?.[1]).find(Boolean);
  if (running) return startedAt ? { state: "running", startedAt } : { state: "starting" };
  for (const line of lines) {
    const exited = EXITED.exec(line);
    if (exited) {
      const exitCode = Number(exited[1]);
      return { state: "exited", exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt, finishedAt: String(exited[2]) };
    }
    const failed = FAILED.exec(line);
    if (failed) return { state: "exited", exitCode: 128, reason: "StartError", message: String(failed[2]), startedAt, finishedAt: String(failed[1]) };
  }
  return { state: "exited", exitCode: 255, reason: "Error", message: "the container's VM stopped without reporting an exit code", startedAt, finishedAt: stoppedAt };
}

export class CrxSandbox {
  constructor(readonly files: ReturnType<typeof crxFiles>) {}

  /** QEMU's pid while the VM runs, else null. */
  pid(): Promise<number | null> {
    return runningPid(this.files.dir);
  }

  async status(): Promise<CrxContainerStatus> {
    const running = (await this.pid()) !== null;
    // A VM that died without a word: QEMU's files were last written around then.
    const stoppedAt = running ? "" : ((await stat(this.files.console).catch(() => null)) ?? (await stat(this.files.dir))).mtime.toISOString();
    return crxStatusOf(await readState(this.files.state), running, stoppedAt);
  }

  /**
   * Presses the VM's power button, which sends the container's process SIGTERM; a VM still running
   * after `gracePeriodSeconds` is killed, and the container reported killed (137).
   */
  async stop(gracePeriodSeconds: number): Promise<void> {
    const pid = await this.pid();
    if (pid === null) return;
    if (gracePeriodSeconds > 0) {
      const qmp = await QmpClient.connect(this.files.qmp).catch(() => null);
      if (qmp) {
        await qmp.execute("system_powerdown").catch(() => undefined);
        qmp.close();
        const stopped = await pollUntil("the VM to stop", gracePeriodSeconds * 1000, async () => ((await this.pid()) === null ? true : undefined)).catch(() => false);
        if (stopped) return;
      }
    }
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // It powered off by itself meanwhile.
    }
    await pollUntil("QEMU to exit after SIGKILL", 10_000, async () => ((await this.pid()) === null ? true : undefined));
    await appendFile(this.files.state, `exited ${KILLED_EXIT_CODE} ${new Date().toISOString()}\n`);
  }

  /** Removes the container's VM files; stop it first. The container's log is the pod's to keep or remove. */
  async remove(): Promise<void> {
    if ((await this.pid()) !== null) throw new Error(`the VM of ${this.files.dir} is still running: stop it first`);
    await rm(this.files.dir, { recursive: true, force: true });
  }
}
