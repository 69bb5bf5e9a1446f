// One VM as a QEMU process that outlives whoever started it: QEMU daemonizes, writes its pid file
// and serves QMP on a unix socket in the VM's run directory, so an agent that restarts finds it
// again by those files alone. Its screen is served over VNC on another unix socket there (never on
// a TCP port): the agent's console endpoint is the only way to it. The run directory is the host's
// own (a pid means nothing on another host, and unix sockets do not work over NFS); the serial log
// goes beside the disk, on the datastore, so it runs on across a move to another host.
// A kernel image (the tiny image) boots directly under `-M microvm`, which has no display: its
// screen is the serial console as a text terminal, typed into over VNC and logged to the serial log
// all the same. A disk or an ISO boots through the firmware under `-M q35` with a standard VGA
// (SeaBIOS, whose messages also go to the serial log).
import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { QmpClient } from "@/lib/hypervisor/qmp-client";

const run = promisify(execFile);

const QEMU_BINARY = "qemu-system-x86_64";
/** Every feature the accelerator can give a guest. */
export const GUEST_CPU = "max";

export interface VmFiles {
  dir: string;
  runDir: string;
  pid: string;
  qmp: string;
  /** QEMU's VNC server: the VM's screen, keyboard and mouse. */
  vnc: string;
  serial: string;
}

/** The VM's files: `dir` on the datastore, `runDir` this host's (the same directory when not given). */
export function vmFiles(dir: string, runDir = dir): VmFiles {
  return { dir, runDir, pid: path.join(runDir, "qemu.pid"), qmp: path.join(runDir, "qmp.sock"), vnc: path.join(runDir, "vnc.sock"), serial: path.join(dir, "serial.log") };
}

/** A kernel and initramfs booted directly. */
export interface KernelBoot {
  kernel: string;
  initrd: string;
}

/** The firmware boots the VM's disk, or first the CD-ROM when there is one (an ISO image). */
export interface FirmwareBoot {
  cdrom: string | null;
}

export type BootSource = KernelBoot | FirmwareBoot;

/** A NIC: its MAC, and the host's tap device it is plugged into; without one, user-mode networking (NAT, 10.0.2.15). */
export interface Nic {
  mac: string;
  tap?: string;
}

export interface VmLaunch {
  dir: string;
  /** This host's directory for the pid file and QMP socket; `dir` when not given. */
  runDir?: string;
  name: string;
  boot: BootSource;
  cpus: number;
  memoryMiB: number;
  /** The VM's NICs in order; omitted, one user-mode NIC. */
  nics?: Nic[];
  /** A qcow2 disk, attached as block node `disk0` (snapshots and suspend save into it or beside it). */
  disk?: string;
  /** A state file written by a suspend: the VM resumes from it instead of booting. */
  resumeFrom?: string;
  /** A snapshot with memory in the disk: the VM starts running from it instead of booting. */
  loadSnapshot?: string;
  /** The destination of a live migration: QEMU waits for `migrate-incoming` instead of booting. */
  incoming?: boolean;
}

/** The block node name of a VM's disk, for QMP commands that name it. */
export const DISK_NODE = "disk0";

/**
 * The host's TSC frequency in kHz for the guest kernel: microvm has no PIT to calibrate against,
 * and without it a TCG guest hangs in most boots (../shared/NOTES.md).
 */
function hostTscKhz(): number {
  const mhz = /cpu MHz\s*:\s*([0-9.]+)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1];
  return Math.round(Number(mhz ?? 2000) * 1000);
}

const shellQuoted = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

/** How long a guest started under KVM must keep running for KVM to count as working. */
const KVM_PROBE_MS = 1_500;
let probedAccelerator: "kvm" | "tcg" | undefined;

/**
 * KVM where the host has it and it works, else QEMU's own translator (TCG). A nested KVM can be
 * there and still refuse the CPU a guest asks for (QEMU aborts: "failed to set MSR 0x10a"), so
 * the first call starts a paused guest under KVM with the CPU every guest gets: one still running
 * when the probe ends means KVM works. Asked once per process.
 */
export function accelerator(): "kvm" | "tcg" {
  if (!probedAccelerator) {
    const probe = existsSync("/dev/kvm")
      ? spawnSync(QEMU_BINARY, ["-machine", "microvm,accel=kvm", "-cpu", GUEST_CPU, "-nodefaults", "-no-user-config", "-display", "none", "-S"], { timeout: KVM_PROBE_MS, stdio: "ignore" })
      : null;
    probedAccelerator = probe?.signal === "SIGTERM" ? "kvm" : "tcg";
  }
  return probedAccelerator;
}

/**
 * The kernel command line of a guest booted directly under microvm, with `extra` appended.
 * loglevel=2: microvm has no PCI bus, and the kernel says so at error level ("PCI: Fatal …"),
 * which reads as alarming on the guest's console; nothing below critical reaches it.
 */
export const microvmKernelCmdline = (extra: string[]) =>
  ["console=ttyS0", "quiet", "loglevel=2", "panic=-1", `tsc_early_khz=${hostTscKhz()}`, "tsc=reliable", "no_timer_check", ...extra].join(" ");

/**
 * The machine and how it boots: microvm with the kernel given, or q35 with SeaBIOS on the serial
 * console (graphics=off) and on a VGA screen.
 */
function bootArguments(boot: BootSource, name: string): string[][] {
  if ("kernel" in boot) {
    return [
      ["-machine", `microvm,acpi=on,accel=${accelerator()}`],
      ["-kernel", boot.kernel, "-initrd", boot.initrd, "-append", microvmKernelCmdline([`skylight.hostname=${name}`])],
    ];
  }
  return [
    ["-machine", `q35,accel=${accelerator()},graphics=off`, "-device", "VGA"],
    boot.cdrom
      ? ["-blockdev", `driver=file,filename=${boot.cdrom},node-name=cd0-file,read-only=on`, "-blockdev", "driver=raw,file=cd0-file,node-name=cd0,read-only=on", "-device", "ide-cd,drive=cd0,bus=ide.0,bootindex=0"]
      : [],
  ];
}

function nicArguments(nics: Nic[] | undefined, pci: boolean): string[][] {
  // No option ROM on a PCI NIC: the firmware boots the disk or CD-ROM, never the network.
  const device = (id: string, mac?: string) => [pci ? `virtio-net-pci,netdev=${id},romfile=` : `virtio-net-device,netdev=${id}`, ...(mac ? [`mac=${mac}`] : [])].join(",");
  if (!nics) return [["-netdev", "user,id=net0", "-device", device("net0")]];
  return nics.map((nic, index) => [
    "-netdev",
    nic.tap ? `tap,id=net${index},ifname=${nic.tap},script=no,downscript=no` : `user,id=net${index}`,
    "-device",
    device(`net${index}`, nic.mac),
  ]);
}

function qemuArguments({ dir, runDir, name, boot, cpus, memoryMiB, nics, disk, resumeFrom, loadSnapshot, incoming }: VmLaunch): string[] {
  const files = vmFiles(dir, runDir);
  const pci = !("kernel" in boot);
  return [
    ["-name", name],
    ...bootArguments(boot, name),
    ["-cpu", GUEST_CPU],
    ["-smp", String(cpus)],
    ["-m", `${memoryMiB}M`],
    ["-nodefaults", "-no-user-config", "-display", "none"],
    // Appended to, so the log runs on across a suspend and resume. Without a screen of its own (microvm)
    // the serial port is a text console on VNC; -nodefaults leaves the QEMU monitor off every console.
    ["-chardev", pci ? `file,id=serial0,path=${files.serial},append=on` : `vc,id=serial0,logfile=${files.serial},logappend=on`, "-serial", "chardev:serial0"],
    // force-shared: a client asking for the screen alone cannot disconnect the others.
    ["-vnc", `unix:${files.vnc},share=force-shared`],
    ["-qmp", `unix:${files.qmp},server=on,wait=off`],
    ...nicArguments(nics, pci),
    disk
      ? [
          "-blockdev", `driver=file,filename=${disk},node-name=${DISK_NODE}-file`,
          "-blockdev", `driver=qcow2,file=${DISK_NODE}-file,node-name=${DISK_NODE}`,
          "-device", pci ? `virtio-blk-pci,drive=${DISK_NODE},bootindex=1` : `virtio-blk-device,drive=${DISK_NODE}`,
        ]
      : [],
    resumeFrom ? ["-incoming", `exec:cat ${shellQuoted(resumeFrom)}`] : [],
    incoming ? ["-incoming", "defer"] : [],
    loadSnapshot ? ["-loadvm", loadSnapshot] : [],
    ["-pidfile", files.pid, "-daemonize"],
  ].flat();
}

/** Starts the VM detached and connects to its QMP socket. */
export async function launchVm(launch: VmLaunch): Promise<QmpClient> {
  await mkdir(launch.dir, { recursive: true });
  if (launch.runDir) await mkdir(launch.runDir, { recursive: true });
  try {
    await run(QEMU_BINARY, qemuArguments(launch), { timeout: 30_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`QEMU did not start ${launch.name}: ${stderr || (error as Error).message}`);
  }
  return QmpClient.connect(vmFiles(launch.dir, launch.runDir).qmp);
}

/** The pid of the VM's QEMU while it runs, else null (no pid file in its run directory, or its process is gone). */
export async function runningPid(runDir: string): Promise<number | null> {
  let pid: number;
  try {
    pid = Number((await readFile(vmFiles(runDir).pid, "utf8")).trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  // A reused pid belongs to some other program: only a QEMU with this VM's pid file counts.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return cmdline.includes(vmFiles(runDir).pid) ? pid : null;
}

/** Polls `probe` every 50 ms until it answers a value, or fails naming `what` after `timeoutMs`. */
export async function pollUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The serial console's output so far. */
export async function serialLog(dir: string): Promise<string> {
  return readFile(vmFiles(dir).serial, "utf8").catch(() => "");
}
