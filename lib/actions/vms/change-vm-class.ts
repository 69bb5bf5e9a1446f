"use server";
// VM › Configure › VM Class › Edit: give the VM another VirtualMachineClass.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { changeVirtualMachineClass } from "@/lib/engine/operations/vm-operations";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  className: z.string().min(1, "is required"),
  // The spec's generation the form opened with: a controller reporting status meanwhile is not
  // someone else's change.
  expectedGeneration: z.number().int().min(1, "is required"),
});

// The engine authorizes: administrators, operators, and the namespace's editors and owners.
export const changeVmClass = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => changeVirtualMachineClass(ctx.user, parsedInput)));
