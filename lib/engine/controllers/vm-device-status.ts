// What a VM's status says about its added devices: vm-operator's status.volumes (each volume of the
// spec, attached with its size once the host has it, or why not) and Skylight's own status.cdrom
// (each CD/DVD drive as the host has it, with its connected state).
import type { VirtualMachineSpec } from "@/lib/engine/schemas";
import type { CdromDrive, VmDevices } from "@/lib/provider/provider";

/** vm-operator v1alpha3's VirtualMachineVolumeStatus, in the fields Skylight knows. */
export interface VmVolumeStatus {
  name: string;
  type: "Managed";
  attached: boolean;
  /** The disk's size, as a quantity. */
  limit?: string;
  error?: string;
}

export interface VmDeviceStatus {
  volumes?: VmVolumeStatus[];
  cdrom?: CdromDrive[];
}

const CLAIM_ONLY = "Skylight has no PersistentVolumeClaims: a disk gives its storageClass and size in persistentVolumeClaim.instanceVolumeClaim.";

/** `observed` null: the host cannot attach added devices. */
export function deviceStatus(spec: Pick<VirtualMachineSpec, "volumes">, observed: VmDevices | null, host: string): VmDeviceStatus {
  const volumes = (spec.volumes ?? []).map((volume): VmVolumeStatus => {
    const disk = observed?.disks.find((entry) => entry.name === volume.name);
    if (disk) return { name: volume.name, type: "Managed", attached: true, limit: `${disk.capacityGiB}Gi` };
    if (!volume.persistentVolumeClaim?.instanceVolumeClaim) return { name: volume.name, type: "Managed", attached: false, error: CLAIM_ONLY };
    if (observed === null) return { name: volume.name, type: "Managed", attached: false, error: unsupportedDevices(host) };
    return { name: volume.name, type: "Managed", attached: false };
  });
  const cdrom = observed?.cdroms ?? [];
  return { volumes: volumes.length ? volumes : undefined, cdrom: cdrom.length ? cdrom : undefined };
}

/** Why a host running the Skylight agent leaves a VM's added disks and CD/DVD drives unattached. */
export const unsupportedDevices = (host: string) =>
  `Host ${host} runs its VMs under QEMU through the Skylight agent, which does not attach added hard disks or CD/DVD drives; they stay in the spec, unattached.`;
