// A real QEMU guest from the tiny image, under TCG on the CI machine: it boots to its marker with
// an address, outlives the process that started it, pauses and resumes over QMP, and powers off
// when its ACPI power button is pressed.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchVm, runningPid, serialLog } from "@/lib/hypervisor/qemu-vm";
import type { QmpClient } from "@/lib/hypervisor/qmp-client";
import { buildTinyImage, GUEST_READY_MARKER, readTinyImage, type TinyImage } from "@/lib/hypervisor/tiny-image";

/** Built once per checkout and reused: fetching and unpacking the packages takes a while. */
const IMAGE_DIR = path.resolve(".cache/tiny-image");

let image: TinyImage;
let root: string;
const started: string[] = [];

beforeAll(async () => {
  image = (await readTinyImage(IMAGE_DIR)) ?? (await buildTinyImage(IMAGE_DIR, path.resolve(".cache/debian-packages")));
  root = await mkdtemp(path.join(tmpdir(), "skylight-qemu-"));
}, 180_000);

afterAll(async () => {
  for (const dir of started) {
    const pid = await runningPid(dir);
    if (pid) process.kill(pid, "SIGKILL");
  }
  await rm(root, { recursive: true, force: true });
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function boot(name: string): Promise<{ dir: string; qmp: QmpClient }> {
  const dir = path.join(root, name);
  started.push(dir);
  const qmp = await launchVm({ dir, name, boot: image, cpus: 1, memoryMiB: 128 });
  return { dir, qmp };
}

const readyLine = async (dir: string) => (await serialLog(dir)).split(/\r?\n/).find((line) => line.startsWith(GUEST_READY_MARKER));

describe("a tiny guest on QEMU", () => {
  it("boots to its marker with the address DHCP gave it, and runs on after its starter lets go", async () => {
    const { dir, qmp } = await boot("tiny-boot");
    const line = await waitFor("the guest's ready marker", () => readyLine(dir), 60_000);
    expect(line).toBe(`${GUEST_READY_MARKER} address=10.0.2.15`);
    expect(await qmp.execute("query-status")).toMatchObject({ status: "running" });

    const pid = await runningPid(dir);
    expect(pid).toBeGreaterThan(0);
    // Daemonized: not a child of this process, so an agent that exits leaves it running.
    const parent = Number(/PPid:\s+(\d+)/.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1]);
    expect(parent).not.toBe(process.pid);
    qmp.close();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runningPid(dir)).toBe(pid);
  });

  it("pauses and resumes over QMP, and the ACPI power button shuts it down", async () => {
    const { dir, qmp } = await boot("tiny-power");
    await waitFor("the guest's ready marker", () => readyLine(dir), 60_000);

    await qmp.execute("stop");
    expect(await qmp.execute("query-status")).toMatchObject({ status: "paused" });
    await qmp.execute("cont");
    expect(await qmp.execute("query-status")).toMatchObject({ status: "running" });

    const shutdown = qmp.waitForEvent("SHUTDOWN", 30_000);
    await qmp.execute("system_powerdown");
    expect((await shutdown).data).toMatchObject({ guest: true });
    await waitFor("QEMU to exit", async () => ((await runningPid(dir)) === null ? true : undefined), 10_000);
  });
});
