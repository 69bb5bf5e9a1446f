"use server";
// VM › Actions › Edit Settings: class or custom CPUs and memory, disk size, network adapters.
import { z } from "zod";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { saveOrReportConflict } from "@/lib/actions/spec-change-outcome";
import { editVirtualMachineSettings } from "@/lib/engine/operations/vm-settings";
import { vmSettingsInputSchema } from "@/lib/engine/vm-settings-rules";

const inputSchema = z.object({
  namespace: z.string().min(1, "is required"),
  name: z.string().min(1, "is required"),
  // The engine checks the settings again and names the field a refusal is about.
  settings: vmSettingsInputSchema,
  // The spec's generation the form opened with: a controller reporting status meanwhile is not
  // someone else's change.
  expectedGeneration: z.number().int().min(1, "is required"),
});

export const editVmSettings = authenticatedAction
  .inputSchema(inputSchema)
  .action(async ({ parsedInput, ctx }) => saveOrReportConflict(() => editVirtualMachineSettings(ctx.user, parsedInput)));
