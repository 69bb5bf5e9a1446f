// Rules for user-management input, shared by the Administration forms and the server.
import { z } from "zod";
import { roleSchema } from "@/lib/auth/roles";

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "must be at least 2 characters")
  .max(64, "must be at most 64 characters")
  .regex(USERNAME_PATTERN, "may use only letters, digits, dots, dashes and underscores, starting with a letter or digit");

export const passwordSchema = z
  .string()
  .min(8, "must be at least 8 characters")
  .max(128, "must be at most 128 characters");

export const userIdSchema = z.string().min(1, "is required");

export const createUserInputSchema = z.object({
  username: usernameSchema,
  name: z.string().trim().min(1, "is required").max(100, "must be at most 100 characters"),
  role: roleSchema,
  password: passwordSchema,
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const setUserRoleInputSchema = z.object({ userId: userIdSchema, role: roleSchema });
export const setUserDisabledInputSchema = z.object({ userId: userIdSchema, disabled: z.boolean() });
export const resetPasswordInputSchema = z.object({ userId: userIdSchema, password: passwordSchema });
