// The OCI runtime bundle's config.json for one container of a pod
// (https://github.com/opencontainers/runtime-spec/blob/main/config.md): its process from the
// image's config overridden by the pod's spec as kube does, the namespaces it shares with its pod,
// its cgroup and limits, and the emptyDir volumes bound in. A pure function, so what runc is told
// can be read in one place.
import type { HostPodContainer } from "@/lib/spherelet/pod-protocol";

/** What an image's config says about how to run it (the `config` object of the OCI image config). */
export interface ImageProcessConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
}

/** Docker's and containerd's default capabilities, which kube's pods get unless their securityContext says otherwise. */
const DEFAULT_CAPABILITIES = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

/** kube's default: a container may not fork without bound. */
export const DEFAULT_PIDS_LIMIT = 1024;
/** The CFS period kube uses; the quota is the CPU limit's share of it. */
const CPU_PERIOD_MICROS = 100_000;
/** kube's floor for a CFS quota (1 ms), so a tiny CPU limit still runs. */
const MIN_CPU_QUOTA_MICROS = 1_000;

/**
 * The process as kube runs it: `command` replaces the image's Entrypoint (and drops its Cmd),
 * `args` replaces its Cmd; env is the image's with the pod's on top, by name.
 */
export function containerProcess(image: ImageProcessConfig, container: Pick<HostPodContainer, "command" | "args" | "env" | "workingDir">) {
  const entrypoint = container.command ?? image.Entrypoint ?? [];
  const cmd = container.args ?? (container.command ? [] : (image.Cmd ?? []));
  const args = [...entrypoint, ...cmd];
  const env = new Map<string, string>();
  for (const entry of image.Env ?? []) {
    const at = entry.indexOf("=");
    if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
  }
  if (!env.has("PATH")) env.set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  for (const { name, value } of container.env) env.set(name, value);
  return { args, env: [...env].map(([name, value]) => `${name}=${value}`), cwd: container.workingDir || image.WorkingDir || "/" };
}

export interface BundleConfigInput {
  process: { args: string[]; env: string[]; cwd: string };
  hostname: string;
  /** The pod's network namespace (`/run/netns/<name>`), shared by its containers. */
  netnsPath: string;
  /** runc's cgroupsPath. The memory limit is on its parent (see pod-cgroups.ts), so it is not repeated here. */
  cgroupsPath: string;
  cpuMillis: number | null;
  /** emptyDir volumes: a directory of the pod's, bound in at each mount path. */
  binds: { source: string; destination: string; readOnly: boolean }[];
}

export function bundleConfig(input: BundleConfigInput) {
  const quota = input.cpuMillis === null ? undefined : Math.max(MIN_CPU_QUOTA_MICROS, Math.round((input.cpuMillis * CPU_PERIOD_MICROS) / 1000));
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: input.process.args,
      env: input.process.env,
      cwd: input.process.cwd,
      capabilities: { bounding: DEFAULT_CAPABILITIES, effective: DEFAULT_CAPABILITIES, permitted: DEFAULT_CAPABILITIES },
      noNewPrivileges: false,
    },
    root: { path: "rootfs", readonly: false },
    hostname: input.hostname,
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
      { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
      { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
      { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"] },
      ...input.binds.map((bind) => ({ destination: bind.destination, type: "bind", source: bind.source, options: ["rbind", "rprivate", bind.readOnly ? "ro" : "rw"] })),
    ],
    linux: {
      cgroupsPath: input.cgroupsPath,
      resources: {
        devices: [{ allow: false, access: "rwm" }],
        pids: { limit: DEFAULT_PIDS_LIMIT },
        ...(quota !== undefined && { cpu: { quota, period: CPU_PERIOD_MICROS } }),
      },
      namespaces: [{ type: "pid" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }, { type: "network", path: input.netnsPath }],
      maskedPaths: ["/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}
