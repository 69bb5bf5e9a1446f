"use server";
// New Virtual Machine › Finish: create the VM in its namespace, on a chosen host or wherever DRS
// places it, connected to the chosen network, powered on or not.
import { authenticatedAction } from "@/lib/actions/safe-action";
import { authorize, can } from "@/lib/auth/authorize";
import { newVmSchema } from "@/lib/actions/vms/new-vm-schema";
import { createVirtualMachine as createVm, REQUESTED_HOST_ANNOTATION } from "@/lib/engine/operations/vm-operations";
import { InvalidInputError } from "@/lib/errors";
import { readNewVmChoices } from "@/lib/inventory/new-vm-choices";

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const createVirtualMachine = authenticatedAction
  .inputSchema(newVmSchema)
  .action(async ({ parsedInput: input, ctx }) => {
    await authorize(ctx.user, "operate", { kind: "VirtualMachine", namespace: input.namespace, name: input.name });
    const { placement } = await readNewVmChoices(ctx.user, input.namespace);
    if (!placement) throw new InvalidInputError("namespace", `Namespace "${input.namespace}" does not exist.`);
    if (!placement.networks.some((network) => network.name === input.network)) {
      throw new InvalidInputError("network", `Network "${input.network}" is not in datacenter ${placement.datacenter}, where cluster ${placement.cluster} is.`);
    }
    if (input.host && !can(ctx.user, "inventory.operate")) {
      throw new InvalidInputError("host", "Only administrators and operators choose a host; leave it empty and DRS places the VM.");
    }
    if (input.host) {
      const host = placement.hosts.find((candidate) => candidate.name === input.host);
      if (!host) throw new InvalidInputError("host", `Host "${input.host}" is not in cluster ${placement.cluster}.`);
      if (host.unavailable) throw new InvalidInputError("host", `Host ${input.host} is ${host.unavailable}; choose another host or let DRS place the VM.`);
    }
    const { object, taskId } = await createVm(ctx.user, {
      namespace: input.namespace,
      name: input.name,
      annotations: input.host ? { [REQUESTED_HOST_ANNOTATION]: input.host } : {},
      spec: {
        className: input.className,
        imageName: input.imageName,
        storageClass: input.storageClass,
        powerState: input.powerOn ? "PoweredOn" : "PoweredOff",
        network: { interfaces: [{ name: "eth0", network: { kind: "Network", name: input.network } }] },
      },
    });
    return { uid: object.uid, taskId };
  });
