// Skylight's three global roles, as one list every form, check and test reads.
import { z } from "zod";

export const ROLES = ["administrator", "operator", "developer"] as const;
export const roleSchema = z.enum(ROLES, { error: "must be administrator, operator or developer" });
export type Role = z.infer<typeof roleSchema>;

export const ROLE_LABELS: Record<Role, string> = {
  administrator: "Administrator",
  operator: "Operator",
  developer: "Developer",
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  administrator: "Everything, including users and alarm definitions",
  operator: "Operates all inventory; no user management",
  developer: "Only the namespaces they are members of",
};
