// The shapes of group administration, shared by the forms and lib/users/group-admin.ts.
import { z } from "zod";

export const groupNameSchema = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(63, "must be at most 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lowercase letters, digits and '-', starting and ending with a letter or digit");

export const createGroupInputSchema = z.object({ name: groupNameSchema, description: z.string().trim().max(200, "must be at most 200 characters").default("") });
export const setGroupMembersInputSchema = z.object({ groupId: z.string().uuid(), usernames: z.array(z.string().min(1)) });

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  members: { username: string; name: string }[];
}
