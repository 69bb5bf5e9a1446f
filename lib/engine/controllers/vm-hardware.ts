// What a VM's class and image mean in resources: vCPUs, memory, reservations and disk size.
import type { StoredObject } from "@/lib/engine/object-store";
import type { VmAllocation } from "@/lib/engine/placement";
import { cpuToMillicores, quantityToMiB } from "@/lib/engine/schemas";

export interface ClassSpec {
  hardware: { cpus: number; memory: string };
  policies?: { resources?: { requests?: { cpu?: string; memory?: string } } };
}

export interface ImageStatus {
  disks?: { capacity: string }[];
}

/** vSphere reserves CPU in MHz; a guaranteed vCPU books one GHz, as vm-operator's classes assume. */
const MHZ_PER_RESERVED_CPU = 1000;

export function allocationFor(vmClass: StoredObject<ClassSpec>): VmAllocation {
  const requests = vmClass.spec.policies?.resources?.requests;
  return {
    cpus: vmClass.spec.hardware.cpus,
    memoryMiB: quantityToMiB(vmClass.spec.hardware.memory),
    reservedMemoryMiB: requests?.memory ? quantityToMiB(requests.memory) : 0,
    reservedCpuMhz: requests?.cpu ? Math.round((cpuToMillicores(requests.cpu) / 1000) * MHZ_PER_RESERVED_CPU) : 0,
  };
}

export function diskGiBFor(image: StoredObject<unknown, ImageStatus>): number {
  const capacity = image.status.disks?.[0]?.capacity ?? "20Gi";
  return Math.ceil(quantityToMiB(capacity) / 1024);
}
