// A machine's NICs as QEMU gets them: one per network in its spec, in order, each with a MAC of its
// own (stable per machine and NIC, so a guest keeps its identity across power cycles). A NIC whose
// network the agent maps to a host bridge (--bridge NETWORK=BRIDGE) is plugged into a tap device
// on that bridge; any other gets user-mode networking (NAT, the guest alone behind 10.0.2.2).
import { createHash } from "node:crypto";
import type { Nic } from "@/lib/hypervisor/qemu-vm";

export interface MachineNic extends Nic {
  network: string;
  bridge?: string;
}

const digest = (value: string) => createHash("sha256").update(value).digest("hex");

/** A locally administered MAC in QEMU's 52:54:00 range. */
function macFor(machineId: string, index: number): string {
  const bytes = digest(`${machineId}/${index}`).slice(0, 6).match(/../g)!;
  return `52:54:00:${bytes.join(":")}`;
}

/** At most 15 characters, as Linux allows an interface name. */
export const tapName = (machineId: string, index: number) => `sk${digest(machineId).slice(0, 10)}${index}`.slice(0, 15);

export function machineNics(machineId: string, networks: string[], bridges: Record<string, string>): MachineNic[] {
  return networks.map((network, index) => {
    const bridge = bridges[network];
    return { network, mac: macFor(machineId, index), ...(bridge && { bridge, tap: tapName(machineId, index) }) };
  });
}
