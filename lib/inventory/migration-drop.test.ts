import { describe, expect, it } from "vitest";
import { migrationPreset } from "@/lib/inventory/migration-drop";
import type { MigrationTargets } from "@/lib/inventory/migration-targets";

const targets: MigrationTargets = {
  cluster: "prod-cluster-01",
  currentHost: "esx-01",
  currentDatastore: "vsan",
  diskGiB: 40,
  hosts: [
    { name: "esx-01", incompatible: "the VM's current host", freeMemoryMiB: 1024, freeVcpus: 4 },
    { name: "esx-02", incompatible: "in maintenance mode", freeMemoryMiB: 1024, freeVcpus: 4 },
    { name: "esx-03", incompatible: null, freeMemoryMiB: 1024, freeVcpus: 4 },
  ],
  datastores: [
    { name: "vsan", type: "vsan", incompatible: "it is the VM's current datastore", freeGiB: 900 },
    { name: "nfs-01", type: "nfs", incompatible: null, freeGiB: 500 },
  ],
};

describe("migrationPreset", () => {
  it("chooses a dropped host that can take the VM", () => {
    expect(migrationPreset({ kind: "Host", name: "esx-03" }, targets)).toEqual({ type: "compute", host: "esx-03", datastore: null, notice: null });
  });

  it("says why a dropped host cannot take the VM, in the rules' words, and chooses nothing", () => {
    expect(migrationPreset({ kind: "Host", name: "esx-02" }, targets)).toEqual({ type: "compute", host: null, datastore: null, notice: "esx-02 cannot take the VM: in maintenance mode." });
    expect(migrationPreset({ kind: "Host", name: "esx-01" }, targets).notice).toBe("esx-01 cannot take the VM: the VM's current host.");
    expect(migrationPreset({ kind: "Host", name: "esx-11.seattle" }, targets).notice).toBe("esx-11.seattle is not in prod-cluster-01: the VM can move only between the hosts of its own cluster.");
  });

  it("takes the first compatible host of the VM's own cluster, and refuses another cluster", () => {
    expect(migrationPreset({ kind: "Cluster", name: "prod-cluster-01" }, targets).host).toBe("esx-03");
    const noneFree = { ...targets, hosts: targets.hosts.slice(0, 2) };
    expect(migrationPreset({ kind: "Cluster", name: "prod-cluster-01" }, noneFree)).toMatchObject({ host: null, notice: expect.stringContaining("No other host in prod-cluster-01") });
    expect(migrationPreset({ kind: "Cluster", name: "edge-cluster-01" }, targets)).toMatchObject({ type: "compute", host: null, notice: expect.stringContaining("its own cluster, prod-cluster-01") });
  });

  it("turns a datastore into a storage move, chosen or refused with the reason", () => {
    expect(migrationPreset({ kind: "Datastore", name: "nfs-01" }, targets)).toEqual({ type: "storage", host: null, datastore: "nfs-01", notice: null });
    expect(migrationPreset({ kind: "Datastore", name: "vsan" }, targets).notice).toBe("vsan cannot take the VM's disks: it is the VM's current datastore.");
    expect(migrationPreset({ kind: "Datastore", name: "local-02" }, targets)).toMatchObject({ datastore: null, notice: expect.stringContaining("not mounted by the hosts of prod-cluster-01") });
  });
});
