// Rules for a cluster's vSphere DRS and vSphere Availability settings, shared by the Configure
// forms and their server actions.
import { z } from "zod";
import { DRS_AUTOMATION_LEVELS } from "@/lib/engine/schemas";

export { DRS_AUTOMATION_LEVELS };
export type DrsAutomationLevel = (typeof DRS_AUTOMATION_LEVELS)[number];

export const drsSettingsSchema = z.object({
  enabled: z.boolean(),
  automationLevel: z.enum(DRS_AUTOMATION_LEVELS, { error: "must be Manual, Partially Automated or Fully Automated" }),
  migrationThreshold: z.number({ error: "must be a whole number from 1 to 5" }).int("must be a whole number from 1 to 5").min(1, "must be 1 to 5").max(5, "must be 1 to 5"),
});
export type DrsSettings = z.infer<typeof drsSettingsSchema>;

export const haSettingsSchema = z.object({
  enabled: z.boolean(),
  hostFailuresToTolerate: z.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be 0 or more").max(31, "must be at most 31"),
});
export type HaSettings = z.infer<typeof haSettingsSchema>;

// The spec's generation the form opened with: a controller reporting status meanwhile is no conflict.
const target = { name: z.string().min(1, "is required"), expectedGeneration: z.number().int().min(1, "is required") };

export const configureDrsInputSchema = z.object({ ...target, drs: drsSettingsSchema });
export const configureHaInputSchema = z.object({ ...target, ha: haSettingsSchema });
