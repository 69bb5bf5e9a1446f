"use server";
// New Virtual Machine › Finish: create the VM in its namespace, on a chosen host or wherever DRS
// places it, connected to the chosen network, customized by cloud-init or Sysprep, powered on or not.
import { authenticatedAction } from "@/lib/actions/safe-action";
import { customizedSpec } from "@/lib/actions/vms/guest-customization";
import { newVmSchema } from "@/lib/actions/vms/new-vm-schema";
import { createVirtualMachine as createVm } from "@/lib/engine/operations/vm-operations";

// The engine authorizes (administrators, operators, and the namespace's editors and owners; a host
// only for administrators and operators) and checks the choices: the datastore and host are the
// namespace's cluster's, the network is in its datacenter.
export const createVirtualMachine = authenticatedAction
  .inputSchema(newVmSchema)
  .action(async ({ parsedInput: input, ctx }) => {
    const { bootstrap, hostName } = customizedSpec(input);
    const { object, taskId } = await createVm(
      ctx.user,
      {
        namespace: input.namespace,
        name: input.name,
        spec: {
          className: input.className,
          imageName: input.imageName,
          storageClass: input.storageClass,
          powerState: input.powerOn ? "PoweredOn" : "PoweredOff",
          network: { ...(hostName && { hostName }), interfaces: [{ name: "eth0", network: { kind: "Network", name: input.network } }] },
          ...(bootstrap && { bootstrap }),
        },
      },
      undefined,
      { requestedHost: input.host || undefined },
    );
    return { uid: object.uid, taskId };
  });
