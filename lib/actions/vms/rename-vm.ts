"use server";
// VM › Actions › Rename: a new name, unique in the VM's namespace (RFC 1123); the VM keeps its uid.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { renameVirtualMachine } from "@/lib/engine/operations/vm-settings";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  // The engine checks the rule and names it; the form shows its words beside the field.
  newName: z.string(),
  expectedResourceVersion: z.string().min(1, "is required"),
});

export const renameVm = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => renameVirtualMachine(ctx.user, parsedInput)));
