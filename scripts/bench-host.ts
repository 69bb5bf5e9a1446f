// Measures real guests on this machine's QEMU (KVM where /dev/kvm exists, else TCG): power-on to
// guest-ready (the tiny image's marker on its serial console) over N boots one after another, then
// the N guests idle together: each QEMU's CPU share and resident memory.
// Usage: npm run -s bench:host -- [--vms 5] [--idle-seconds 10]
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { launchVm, runningPid } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";
import { checkoutTinyImage } from "@/lib/hypervisor/tiny-image";
import { createEmptyDisk, createLinkedDisk, powerOffHard } from "@/lib/hypervisor/vm-runtime";
import { readyLines, waitForBoots } from "@/lib/hypervisor/guest-serial";

const progress = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const { values: args } = parseArgs({ options: { vms: { type: "string", default: "5" }, "idle-seconds": { type: "string", default: "10" } }, strict: true });
const vms = Number(args.vms);
const idleSeconds = Number(args["idle-seconds"]);
if (!Number.isInteger(vms) || vms < 1 || !(idleSeconds > 0)) {
  console.error("usage: npm run -s bench:host -- [--vms N (≥ 1)] [--idle-seconds S (> 0)]");
  process.exit(2);
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.ceil((p / 100) * values.length) - 1)]!;
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) and resident MiB of a process, from /proc. */
function processUsage(pid: number) {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const rssKib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, rssMiB: rssKib / 1024 };
}

const image = await checkoutTinyImage();
const scratch = await mkdtemp(path.join(tmpdir(), "skylight-bench-host-"));
const running: { dir: string; qmp: QmpClient }[] = [];
try {
  const base = path.join(scratch, "image-disk.qcow2");
  await createEmptyDisk(base, 1);
  const bootMs: number[] = [];
  for (let index = 0; index < vms; index++) {
    const dir = path.join(scratch, `vm-${index}`);
    const disk = path.join(scratch, `vm-${index}.qcow2`);
    await createLinkedDisk(base, disk);
    const started = performance.now();
    const qmp = await launchVm({ dir, name: `bench-${index}`, boot: image, cpus: 1, memoryMiB: 128, disk });
    await waitForBoots(dir, 1, 120_000);
    bootMs.push(performance.now() - started);
    running.push({ dir, qmp });
    progress(`vm-${index} ready in ${Math.round(bootMs.at(-1)!)} ms (${(await readyLines(dir))[0]})`);
  }

  const pids = await Promise.all(running.map(async ({ dir }) => (await runningPid(dir))!));
  const before = pids.map(processUsage);
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const after = pids.map(processUsage);
  const idleCpuPercent = after.map((usage, index) => ((usage.cpuSeconds - before[index]!.cpuSeconds) / idleSeconds) * 100);

  console.log(
    JSON.stringify({
      bench: "host",
      accelerator: existsSync("/dev/kvm") ? "kvm" : "tcg",
      vms,
      guestMemoryMiB: 128,
      powerOnToReadyMs: { p50: Math.round(percentile(bootMs, 50)), p95: Math.round(percentile(bootMs, 95)), max: Math.round(Math.max(...bootMs)) },
      idleSeconds,
      idleCpuPercentPerVm: { mean: round(idleCpuPercent.reduce((sum, value) => sum + value, 0) / vms, 2), max: round(Math.max(...idleCpuPercent), 2) },
      rssMiBPerVm: { mean: round(after.reduce((sum, usage) => sum + usage.rssMiB, 0) / vms), max: round(Math.max(...after.map((usage) => usage.rssMiB))) },
    }),
  );
} finally {
  for (const { dir, qmp } of running) await powerOffHard(dir, qmp).catch(() => undefined);
  await rm(scratch, { recursive: true, force: true });
}
