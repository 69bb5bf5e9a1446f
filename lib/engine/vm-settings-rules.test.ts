import { describe, expect, it } from "vitest";
import { settingsRefusals, type VmSettings } from "@/lib/engine/vm-settings-rules";

const current: VmSettings = { cpus: 4, memoryMiB: 8192, diskGiB: 40, adapters: [{ name: "eth0", network: "a" }, { name: "eth1", network: "b" }] };
const refused = (desired: Partial<VmSettings>, options: { poweredOff: boolean; sizedByClass?: boolean }) =>
  settingsRefusals(current, { ...current, ...desired }, { sizedByClass: false, ...options }).map((refusal) => refusal.field);

describe("what Edit Settings may change while the VM is not powered off", () => {
  it("adds CPUs, memory, disk and adapters, and switches an adapter's network, while the VM runs", () => {
    expect(refused({ cpus: 8, memoryMiB: 16384, diskGiB: 60, adapters: [...current.adapters, { name: "", network: "c" }] }, { poweredOff: false })).toEqual([]);
    expect(refused({ adapters: [{ name: "eth0", network: "c" }, { name: "eth1", network: "b" }] }, { poweredOff: false })).toEqual([]);
  });

  it("refuses removing CPUs, memory or an adapter until the VM is powered off, and shrinking a disk ever", () => {
    expect(refused({ cpus: 2, memoryMiB: 4096, adapters: [current.adapters[0]!], diskGiB: 30 }, { poweredOff: false })).toEqual(["diskGiB", "cpus", "memoryMiB", "adapters"]);
    expect(refused({ cpus: 2, memoryMiB: 4096, adapters: [], diskGiB: 30 }, { poweredOff: true })).toEqual(["diskGiB"]);
    // A class applies at the next power-off, so a smaller class is not refused.
    expect(refused({ cpus: 2, memoryMiB: 4096 }, { poweredOff: false, sizedByClass: true })).toEqual([]);
  });

  it("names the adapter that goes by vSphere's label", () => {
    const [refusal] = settingsRefusals(current, { ...current, adapters: [current.adapters[0]!] }, { poweredOff: false, sizedByClass: false });
    expect(refusal).toEqual({ field: "adapters", message: "Removing Network adapter 2 needs the VM powered off." });
  });
});
