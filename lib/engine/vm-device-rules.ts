// A VM's added devices as Edit Settings shows them and the provider is given them: its added hard
// disks (spec.volumes with an instance-storage claim) and its CD/DVD drives (spec.cdrom), read from
// vm-operator's shapes, and the one rule both dialog and engine apply to them: a disk only grows.
import type { VirtualMachineSpec } from "@/lib/engine/schemas";
import { wholeGiB } from "@/lib/engine/schemas";
import type { AddedDisk, CdromDrive, VmDevices } from "@/lib/provider/provider";

/** vSphere's label: the boot disk is Hard disk 1, so the first added disk is Hard disk 2. */
export const addedDiskLabel = (index: number) => `Hard disk ${index + 2}`;
export const cdromLabel = (index: number) => `CD/DVD drive ${index + 1}`;

/** The disks Skylight attaches: volumes whose claim carries a size. A claim-only volume is none of them. */
export function addedDisksOf(spec: Pick<VirtualMachineSpec, "volumes">): AddedDisk[] {
  return (spec.volumes ?? []).flatMap((volume) => {
    const size = volume.persistentVolumeClaim?.instanceVolumeClaim?.size;
    const capacityGiB = size ? wholeGiB(size) : null;
    return capacityGiB === null ? [] : [{ name: volume.name, capacityGiB }];
  });
}

export function cdromsOf(spec: Pick<VirtualMachineSpec, "cdrom">): CdromDrive[] {
  return (spec.cdrom ?? []).map((drive) => ({ name: drive.name, image: drive.image.name, connected: drive.connected ?? true }));
}

export const devicesOf = (spec: Pick<VirtualMachineSpec, "volumes" | "cdrom">): VmDevices => ({ disks: addedDisksOf(spec), cdroms: cdromsOf(spec) });

/** GiB of all added disks together, as the namespace's storage limit and the datastore count them. */
export const addedDisksGiB = (spec: Pick<VirtualMachineSpec, "volumes">) => addedDisksOf(spec).reduce((sum, disk) => sum + disk.capacityGiB, 0);

/** The first added disk that would shrink from `current` to `desired`, in the words dialog and engine use; null when none does. */
export function diskShrinkRefusal(current: AddedDisk[], desired: AddedDisk[]): { index: number; message: string } | null {
  for (const [index, disk] of desired.entries()) {
    const before = current.find((entry) => entry.name === disk.name);
    if (before && disk.capacityGiB < before.capacityGiB) {
      return { index, message: `${addedDiskLabel(index)} can only grow: it is ${before.capacityGiB} GiB and cannot shrink to ${disk.capacityGiB} GiB.` };
    }
  }
  return null;
}

/** The spec with its disks on `datastore`: Storage vMotion moves the added disks with the boot disk. */
export function withDisksOn<T extends Pick<VirtualMachineSpec, "storageClass" | "volumes">>(spec: T, datastore: string): T {
  const volumes = spec.volumes?.map((volume) => {
    const claim = volume.persistentVolumeClaim;
    return claim?.instanceVolumeClaim ? { ...volume, persistentVolumeClaim: { ...claim, instanceVolumeClaim: { ...claim.instanceVolumeClaim, storageClass: datastore } } } : volume;
  });
  return { ...spec, storageClass: datastore, ...(volumes && { volumes }) };
}
