// NICs as configured, on real QEMU guests of the tiny image: a network the agent maps to a host
// bridge puts the NIC on a tap device of that bridge (where, with no DHCP server, the guest takes a
// link-local address made from its MAC), any other network gets user-mode NAT. The host, on the
// same bridge, resolves each bridged guest's address to that guest's MAC: the guest answered
// across the bridge. Needs root (tap devices and a bridge), as the agent does for --bridge.
import { execFileSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { rm } from "node:fs/promises";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { MachineDriver } from "@/lib/spherelet/agent/machine-driver";
import { machineNics } from "@/lib/spherelet/agent/machine-nics";
import { driverPlaces, tinyImageDatastore } from "@/lib/testing/qemu-guests";
import type { Machine, MachineSpec } from "@/lib/spherelet/machine-protocol";
import { waitFor } from "@/lib/testing/engine-harness";

const BRIDGE = `skyt${process.pid % 100000}`;
const HOST_ADDRESS = "169.254.250.1";
const BRIDGES = { "lab-net": BRIDGE };
let datastore: string;
const drivers: MachineDriver[] = [];

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });

beforeAll(async () => {
  datastore = await tinyImageDatastore();
  ip("link", "add", BRIDGE, "type", "bridge");
  ip("addr", "add", `${HOST_ADDRESS}/16`, "dev", BRIDGE);
  ip("link", "set", BRIDGE, "up");
}, 180_000);

afterAll(async () => {
  for (const driver of drivers) driver.close();
  for (const id of ["bridged-01", "dual-01"]) {
    const pid = await runningPid(driverPlaces(datastore, id).runDir);
    if (pid) process.kill(pid, "SIGKILL");
  }
  try {
    ip("link", "del", BRIDGE);
  } catch {
    // already gone
  }
  await rm(datastore, { recursive: true, force: true });
});

function machine(id: string, networks: string[], change: Partial<MachineSpec> = {}, generation = 1): Machine {
  return {
    id,
    host: "esx-real-01",
    generation,
    spec: { ownerKey: `dev/${id}`, datastore: "local", image: "tiny", cloneOf: null, powerState: "PoweredOn", powerMode: "Hard", cpus: 1, memoryMiB: 128, diskGiB: 1, networks, request: null, deleted: false, ...change },
    role: "run",
    incoming: null,
  };
}

/** Sends one datagram to the guest so the host asks, by ARP over the bridge, who has its address; the neighbour entry says who answered. */
async function macAnswering(address: string): Promise<string | undefined> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind({ address: HOST_ADDRESS }, resolve));
  await new Promise<void>((resolve) => socket.send("hello", 9, address, () => resolve()));
  socket.close();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const entry = ip("neigh", "show", "to", address, "dev", BRIDGE);
  return /lladdr ([0-9a-f:]+) (REACHABLE|STALE|DELAY|PROBE)/.exec(entry)?.[1];
}

test("a NIC on a bridged network gets a tap on the bridge and the guest answers there; a NIC on another network gets NAT", async () => {
  const bridged = new MachineDriver({ ...driverPlaces(datastore, "bridged-01"), id: "bridged-01", bridges: BRIDGES });
  const dual = new MachineDriver({ ...driverPlaces(datastore, "dual-01"), id: "dual-01", bridges: BRIDGES });
  drivers.push(bridged, dual);
  const [bridgedMachine, dualMachine] = [machine("bridged-01", ["lab-net"]), machine("dual-01", ["VM Network", "lab-net"])];
  await Promise.all([bridged.converge(bridgedMachine), dual.converge(dualMachine)]);

  const [bridgedNic] = machineNics("bridged-01", ["lab-net"], BRIDGES);
  const [natNic, dualBridgedNic] = machineNics("dual-01", ["VM Network", "lab-net"], BRIDGES);
  expect(ip("link", "show", "master", BRIDGE)).toContain(bridgedNic!.tap!);
  expect(natNic!.tap).toBeUndefined();

  const bridgedAddress = await waitFor(async () => (await bridged.converge(bridgedMachine)).ipAddress?.startsWith("169.254.") && (await bridged.converge(bridgedMachine)).ipAddress, "the bridged guest's link-local address", 60_000);
  // The first NIC is NAT'd, so the VM's address is user-mode networking's; its bridged NIC says its own on the serial console.
  await waitFor(async () => (await dual.converge(dualMachine)).ipAddress === "10.0.2.15", "the dual-homed guest's address", 60_000);
  const dualSerial = (await dual.converge(dualMachine)).serialTail;
  const dualBridgedAddress = /skylight-guest eth1 address=(169\.254\.\d+\.\d+)/.exec(dualSerial)?.[1];
  expect(dualBridgedAddress).toBeDefined();

  expect(await waitFor(() => macAnswering(bridgedAddress as string), "the bridged guest answering", 20_000)).toBe(bridgedNic!.mac);
  expect(await waitFor(() => macAnswering(dualBridgedAddress!), "the dual-homed guest answering on the bridge", 20_000)).toBe(dualBridgedNic!.mac);

  await bridged.converge(machine("bridged-01", ["lab-net"], { deleted: true }, 2));
  expect(ip("link", "show", "master", BRIDGE)).not.toContain(bridgedNic!.tap!);
}, 150_000);
