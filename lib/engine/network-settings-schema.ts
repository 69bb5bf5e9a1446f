// What Network › Edit Settings may change, and the rules, shared by the form (checked as you type)
// and the engine (checked again on save). Pure: the browser imports it.
import { z } from "zod";

export const DEFAULT_PORT_GROUP = "VM Network";

export const networkSettingsSchema = z.object({
  name: z.string().min(1, "is required"),
  portGroup: z
    .string()
    .trim()
    .min(1, "Port group name is required.")
    .max(80, "Port group name must be at most 80 characters, as vSphere allows.")
    .regex(/^[^%\\/]+$/, "Port group name must not contain %, \\ or /."),
  vlanId: z.number({ error: "VLAN ID must be a number." }).int("VLAN ID must be a whole number.").min(0, "VLAN ID must be 0 (none) to 4094.").max(4094, "VLAN ID must be 0 (none) to 4094."),
  expectedResourceVersion: z.string().min(1, "is required"),
});

export type NetworkSettings = z.infer<typeof networkSettingsSchema>;
