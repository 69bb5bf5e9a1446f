// The VM Hardware card's lines for added devices: each added hard disk with its size, and each
// CD/DVD drive with its ISO image and whether it is connected, as the host has them; a device the
// spec asks for that the host does not have yet says so (or why not, from status.volumes).
import type { Fact } from "@/components/objects/summary/summary-parts";
import type { VmDeviceStatus } from "@/lib/engine/controllers/vm-device-status";
import type { VirtualMachineSpec } from "@/lib/engine/schemas";
import { addedDiskLabel, addedDisksOf, cdromLabel, cdromsOf } from "@/lib/engine/vm-device-rules";
import type { ObjectView } from "@/lib/inventory/object-view";

export function vmDeviceFacts(object: ObjectView): Fact[] {
  const spec = object.spec as Pick<VirtualMachineSpec, "volumes" | "cdrom">;
  const status = object.status as VmDeviceStatus;
  const disks = addedDisksOf(spec).map((disk, index): Fact => {
    const observed = status.volumes?.find((volume) => volume.name === disk.name);
    const state = observed?.attached ? "" : observed?.error ? ` — not attached: ${observed.error}` : " — being added";
    return [addedDiskLabel(index), `${disk.capacityGiB} GiB${state}`];
  });
  const drives = cdromsOf(spec).map((drive, index): Fact => {
    const observed = status.cdrom?.find((entry) => entry.name === drive.name && entry.image === drive.image);
    const state = observed ? (observed.connected ? "connected" : "disconnected") : drive.connected ? "connecting" : "being added";
    return [cdromLabel(index), `${drive.image} (ISO) — ${state}`];
  });
  return [...disks, ...drives];
}
