import { describe, expect, it } from "vitest";
import { capacityShortfall, datastoreRefusal, hostRefusal, type MigrationHost } from "@/lib/engine/migration-rules";

const vm = { cluster: "edge", host: "esx-1" };
const host = (changes: Partial<MigrationHost>): MigrationHost => ({ name: "esx-2", cluster: "edge", maintenanceMode: false, connectionState: "connected", ...changes });

describe("which host a VM may migrate to", () => {
  it("accepts a connected host of the VM's cluster, and names every reason it refuses one", () => {
    expect(hostRefusal(vm, host({}))).toBeNull();
    expect(hostRefusal(vm, host({ name: "esx-1" }))).toBe("the VM's current host");
    expect(hostRefusal(vm, host({ maintenanceMode: true }))).toBe("in maintenance mode");
    expect(hostRefusal(vm, host({ connectionState: "disconnected" }))).toBe("disconnected");
    expect(hostRefusal(vm, host({ connectionState: "notResponding" }))).toBe("not responding");
    expect(hostRefusal(vm, host({ connectionState: undefined }))).toBe("not connected");
    expect(hostRefusal(vm, host({ cluster: "prod" }))).toBe("in cluster prod; the VM can move only within edge");
  });

  it("needs room for the VM's vCPUs and memory under the cluster's overcommit, and its reservations in full", () => {
    const bookings = { vcpus: 14, memoryAllocatedMiB: 9_000, memoryReservedMiB: 0, cpuReservedMhz: 0, cpuCores: 4, memoryMiB: 8_192, cpuMhzPerCore: 2_000 };
    const allocation = { cpus: 2, memoryMiB: 1_024, reservedMemoryMiB: 0, reservedCpuMhz: 0 };
    const overcommit = { cpu: 4, memory: 1.25 };
    expect(capacityShortfall(bookings, allocation, overcommit)).toBeNull(); // 16 vCPUs and 10 240 MiB allowed
    expect(capacityShortfall(bookings, { ...allocation, memoryMiB: 2_048 }, overcommit)).toBe("not enough free memory: needs 2048 MiB, 1240 MiB free");
    expect(capacityShortfall(bookings, { ...allocation, cpus: 4 }, overcommit)).toBe("not enough free CPU: needs 4 vCPUs, 2 free");
    expect(capacityShortfall(bookings, { ...allocation, reservedMemoryMiB: 8_193 }, overcommit)).toBe("not enough memory to honour the VM's memory reservation");
  });
});

describe("which datastore a VM's disks may move to", () => {
  const disks = { cluster: "edge", datastore: "edge-vsan", diskGiB: 40 };
  it("accepts another datastore of the cluster with room, and names every reason it refuses one", () => {
    expect(datastoreRefusal(disks, { name: "edge-nfs", cluster: "edge", freeGiB: 40 })).toBeNull();
    expect(datastoreRefusal(disks, { name: "edge-nfs", cluster: "edge", freeGiB: null })).toBeNull();
    expect(datastoreRefusal(disks, { name: "edge-vsan", cluster: "edge", freeGiB: 500 })).toBe("it is the VM's current datastore");
    expect(datastoreRefusal(disks, { name: "core-nfs", cluster: "core", freeGiB: 500 })).toBe("it is not mounted by the hosts of cluster edge");
    expect(datastoreRefusal(disks, { name: "edge-nfs", cluster: "edge", freeGiB: 39 })).toBe("it has not enough free space (needs 40 GiB, 39 GiB free)");
  });
});
