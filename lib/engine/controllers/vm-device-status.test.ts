import { describe, expect, it } from "vitest";
import { deviceStatus } from "@/lib/engine/controllers/vm-device-status";

const disk = (name: string, size: string) => ({ name, persistentVolumeClaim: { claimName: `vm-${name}`, instanceVolumeClaim: { storageClass: "vsan", size } } });

describe("a VM's status.volumes and status.cdrom", () => {
  it("reports each disk the host attached with its size, one being added, and a claim-only volume as not attached, saying why", () => {
    const spec = { volumes: [disk("data", "20Gi"), disk("logs", "5Gi"), { name: "pvc", persistentVolumeClaim: { claimName: "shared" } }] };
    const status = deviceStatus(spec, { disks: [{ name: "data", capacityGiB: 20 }], cdroms: [{ name: "cd", image: "netinst", connected: false }] }, "esx-1");
    expect(status.volumes).toEqual([
      { name: "data", type: "Managed", attached: true, limit: "20Gi" },
      { name: "logs", type: "Managed", attached: false },
      { name: "pvc", type: "Managed", attached: false, error: expect.stringContaining("Skylight has no PersistentVolumeClaims") },
    ]);
    expect(status.cdrom).toEqual([{ name: "cd", image: "netinst", connected: false }]);
  });

  it("on a host that cannot attach added devices (the Skylight agent), says so for each disk instead of leaving it silently unattached", () => {
    const status = deviceStatus({ volumes: [disk("data", "20Gi")] }, null, "qemu-1");
    expect(status.volumes).toEqual([{ name: "data", type: "Managed", attached: false, error: expect.stringMatching(/^Host qemu-1 runs its VMs under QEMU through the Skylight agent, which does not attach/) }]);
    expect(status.cdrom).toBeUndefined();
  });
});
