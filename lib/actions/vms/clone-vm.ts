"use server";
// VM › Actions › Clone › Clone to Virtual Machine › Finish: a new VM from the source's disk, in the
// chosen namespace, on a chosen host or wherever DRS places it, on the chosen datastore.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { newVmFieldsSchema } from "@/lib/actions/vms/new-vm-schema";
import { cloneVirtualMachine } from "@/lib/engine/operations/vm-clone";

const inputSchema = newVmFieldsSchema.pick({ name: true, namespace: true, host: true, storageClass: true, powerOn: true }).extend({
  source: z.object({ namespace: z.string().min(1, "is required"), name: z.string().min(1, "is required") }),
});

export const cloneVm = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput: { source, ...target }, ctx }) => {
    const { object, taskId } = await cloneVirtualMachine(ctx.user, { ...source, target });
    return { uid: object.uid, taskId };
  });
