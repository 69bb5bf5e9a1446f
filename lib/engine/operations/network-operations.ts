// Network › Actions › Edit Settings: a port group's name and VLAN ID, as the vSphere Client edits a
// distributed port group. VMs name the network object, not its port group, so neither change moves
// a VM; the datacenter's default "VM Network" keeps its name, which New Virtual Machine looks for.
import type pg from "pg";
import { DEFAULT_PORT_GROUP, networkSettingsSchema, type NetworkSettings } from "@/lib/engine/network-settings-schema";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { InvalidInputError } from "@/lib/errors";

interface NetworkSpec {
  datacenter: string;
  portGroup: string;
  vlanId?: number;
}

export async function configureNetwork(actor: OperationActor, input: NetworkSettings, pool?: pg.Pool) {
  const settings = networkSettingsSchema.parse(input);
  return writeObject<NetworkSpec>({
    actor,
    key: { kind: "Network", namespace: "", name: settings.name },
    operation: "Network.configure",
    description: `Edit settings of network ${settings.name}`,
    expectedResourceVersion: settings.expectedResourceVersion,
    completesAtOnce: true,
    change: (current) => {
      if (current.spec.portGroup === DEFAULT_PORT_GROUP && settings.portGroup !== DEFAULT_PORT_GROUP) {
        throw new InvalidInputError("portGroup", `"${DEFAULT_PORT_GROUP}" is datacenter ${current.spec.datacenter}'s default port group, where VMs without an adapter of their own connect: its name cannot change (its VLAN ID can).`);
      }
      return { spec: { ...current.spec, portGroup: settings.portGroup, vlanId: settings.vlanId } };
    },
    pool,
  });
}
