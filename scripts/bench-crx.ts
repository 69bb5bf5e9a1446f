// Measures crx containers on this machine's QEMU (KVM where /dev/kvm exists, else TCG): N busybox
// containers are started one after another, each timed from start() to its first log line (boot to
// first output, in wall time and in the CPU time QEMU spent, which a busy machine does not inflate)
// and to its VM being gone after it exits; while each runs, its QEMU's resident memory
// (and how much of it is the guest's own memory) and the guest's free memory are read. Run as root
// (virtiofsd). Progress goes to stderr; stdout carries one JSON line.
// Usage: npm run -s bench:crx -- [--runs 5] [--memory-mib 64]
import { execFile } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs, promisify } from "node:util";
import { checkoutBusyboxImage } from "@/lib/containers/busybox-image";
import { accelerator } from "@/lib/hypervisor/qemu-vm";
import { crxVmSize, startCrxContainer } from "@/lib/spherelet/agent/crx-sandbox";
import { checkoutCrxImage } from "@/lib/spherelet/agent/crx-image";

const run = promisify(execFile);
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, "memory-mib": { type: "string", default: "64" } } });
const runs = Number(values.runs);
const memoryBytes = Number(values["memory-mib"]) * 1024 * 1024;

const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? 0;
const kib = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);

await checkoutCrxImage();
const busybox = await checkoutBusyboxImage();
const runDir = await mkdtemp(path.join(tmpdir(), "skylight-bench-crx-"));
const rootfs = path.join(runDir, "rootfs");
await run("umoci", ["raw", "unpack", "--image", `${busybox.layout}:${busybox.tag}`, rootfs]);

/** The CPU time a process has used (user and system), in ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const samples: { firstOutputMs: number; firstOutputCpuMs: number; goneMs: number; rssMiB: number; guestMemoryMiB: number; guestAvailableMiB: number }[] = [];
try {
  for (let index = 0; index < runs; index++) {
    const logFile = path.join(runDir, `run-${index}.log`);
    const began = Date.now();
    const sandbox = await startCrxContainer({
      podUid: `bench-${index}`,
      container: "main",
      rootfs,
      // Idles a moment after its first line so its memory is read while it runs.
      args: ["sh", "-c", "grep MemAvailable /proc/meminfo; sleep 3"],
      env: [{ name: "PATH", value: "/bin" }],
      cwd: "/",
      cpuMillis: 1000,
      memoryBytes,
      logFile,
      runDir,
    });
    let firstOutputMs = 0;
    let firstOutputCpuMs = 0;
    let rssMiB = 0;
    let guestMemoryMiB = 0;
    for (;;) {
      const pid = await sandbox.pid();
      if (!firstOutputMs && existsSync(logFile) && statSync(logFile).size > 0) {
        firstOutputMs = Date.now() - began;
        firstOutputCpuMs = pid === null ? 0 : cpuMs(pid);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        rssMiB = kib(status, "VmRSS") / 1024;
        guestMemoryMiB = kib(status, "RssShmem") / 1024;
      }
      if (pid === null) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const guestAvailableMiB = Number(/MemAvailable:\s+(\d+)/.exec(readFileSync(logFile, "utf8"))?.[1] ?? 0) / 1024;
    const sample = { firstOutputMs, firstOutputCpuMs, goneMs: Date.now() - began, rssMiB: Math.round(rssMiB), guestMemoryMiB: Math.round(guestMemoryMiB), guestAvailableMiB: Math.round(guestAvailableMiB) };
    console.error(`run ${index + 1}/${runs}: ${JSON.stringify(sample)}`);
    samples.push(sample);
  }
} finally {
  await rm(runDir, { recursive: true, force: true });
}

console.log(
  JSON.stringify({
    accelerator: accelerator(),
    runs,
    vm: crxVmSize(1000, memoryBytes),
    firstOutputMs: { median: median(samples.map((sample) => sample.firstOutputMs)), all: samples.map((sample) => sample.firstOutputMs) },
    firstOutputCpuMs: median(samples.map((sample) => sample.firstOutputCpuMs)),
    goneMs: median(samples.map((sample) => sample.goneMs)),
    rssMiB: median(samples.map((sample) => sample.rssMiB)),
    guestMemoryMiB: median(samples.map((sample) => sample.guestMemoryMiB)),
    guestAvailableMiB: median(samples.map((sample) => sample.guestAvailableMiB)),
    loadAverage: readFileSync("/proc/loadavg", "utf8").split(" ")[0],
  }),
);
