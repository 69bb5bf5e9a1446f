// What the sign-in form sends; shared by the form and the action.
import { z } from "zod";

export const signInInputSchema = z.object({
  username: z.string().trim().min(1, "Enter your username"),
  password: z.string().min(1, "Enter your password"),
  next: z.string().optional(),
});
export type SignInInput = z.infer<typeof signInInputSchema>;
