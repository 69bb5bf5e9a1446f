// A real QEMU guest from the tiny image, under TCG on the CI machine: it boots to its marker with
// an address, outlives the process that started it, pauses and resumes over QMP, and powers off
// when its ACPI power button is pressed.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { launchVm, runningPid } from "@/lib/hypervisor/qemu-vm";
import { GUEST_READY_MARKER } from "@/lib/hypervisor/tiny-image";
import { waitForBoots } from "@/lib/hypervisor/guest-serial";
import { waitFor } from "@/lib/testing/engine-harness";
import { tinyGuests } from "@/lib/testing/qemu-guests";

const guests = tinyGuests();

async function boot(name: string) {
  const dir = guests.scratch.vmDir(name);
  const qmp = await launchVm({ dir, name, boot: guests.image, cpus: 1, memoryMiB: 128 });
  return { dir, qmp };
}

describe("a tiny guest on QEMU", () => {
  it("boots to its marker with the address DHCP gave it, and runs on after its starter lets go", async () => {
    const { dir, qmp } = await boot("tiny-boot");
    expect(await waitForBoots(dir, 1)).toBe(`${GUEST_READY_MARKER} address=10.0.2.15`);
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
    await waitForBoots(dir, 1);

    await qmp.execute("stop");
    expect(await qmp.execute("query-status")).toMatchObject({ status: "paused" });
    await qmp.execute("cont");
    expect(await qmp.execute("query-status")).toMatchObject({ status: "running" });

    const shutdown = qmp.waitForEvent("SHUTDOWN", 30_000);
    await qmp.execute("system_powerdown");
    expect((await shutdown).data).toMatchObject({ guest: true });
    await waitFor(async () => (await runningPid(dir)) === null, "QEMU to exit", 10_000);
  });
});
