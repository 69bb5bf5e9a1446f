// What a VM's class, custom hardware and image mean in resources: vCPUs, memory, reservations,
// disk size and network adapters.
import type { StoredObject } from "@/lib/engine/object-store";
import type { VmAllocation } from "@/lib/engine/placement";
import { cpuToMillicores, quantityToMiB, type VirtualMachineSpec } from "@/lib/engine/schemas";

export interface ClassSpec {
  hardware: { cpus: number; memory: string };
  policies?: { resources?: { requests?: { cpu?: string; memory?: string } } };
}

export interface ImageStatus {
  disks?: { capacity: string }[];
}

/** vSphere reserves CPU in MHz; a guaranteed vCPU books one GHz, as vm-operator's classes assume. */
const MHZ_PER_RESERVED_CPU = 1000;

/**
 * The VM's size: its class's, or the custom CPUs and memory of spec.hardware. With custom hardware
 * a guaranteed class (one that reserves) reserves the whole custom size; a best-effort one nothing.
 */
export function allocationFor(vmClass: StoredObject<ClassSpec>, custom?: VirtualMachineSpec["hardware"]): VmAllocation {
  const requests = vmClass.spec.policies?.resources?.requests;
  const cpus = custom?.cpus ?? vmClass.spec.hardware.cpus;
  const memoryMiB = quantityToMiB(custom?.memory ?? vmClass.spec.hardware.memory);
  if (custom) {
    const reserves = Boolean(requests?.memory || requests?.cpu);
    return { cpus, memoryMiB, reservedMemoryMiB: reserves ? memoryMiB : 0, reservedCpuMhz: reserves ? cpus * MHZ_PER_RESERVED_CPU : 0 };
  }
  return {
    cpus,
    memoryMiB,
    reservedMemoryMiB: requests?.memory ? quantityToMiB(requests.memory) : 0,
    reservedCpuMhz: requests?.cpu ? Math.round((cpuToMillicores(requests.cpu) / 1000) * MHZ_PER_RESERVED_CPU) : 0,
  };
}

export function imageDiskGiB(image: StoredObject<unknown, ImageStatus>): number {
  const capacity = image.status.disks?.[0]?.capacity ?? "20Gi";
  return Math.ceil(quantityToMiB(capacity) / 1024);
}

/** The boot disk: the image's, or larger when spec.advanced.bootDiskCapacity grew it. */
export function diskGiBFor(image: StoredObject<unknown, ImageStatus>, spec?: Pick<VirtualMachineSpec, "advanced">): number {
  const grown = spec?.advanced?.bootDiskCapacity;
  return Math.max(imageDiskGiB(image), grown ? Math.ceil(quantityToMiB(grown) / 1024) : 0);
}

/** The network of each of vm-operator's spec.network.interfaces, or undefined when the spec names none. */
export function interfaceNetworks(spec: Pick<VirtualMachineSpec, "network">): string[] | undefined {
  return spec.network?.interfaces?.map((entry) => entry.network?.name ?? "");
}
