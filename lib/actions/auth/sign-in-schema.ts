// What the sign-in form sends; shared by the form and the action. The action receives the form's
// FormData (it also runs as a plain HTML form post, without JavaScript).
import { z } from "zod";

export const signInInputSchema = z.object({
  username: z.string().trim().min(1, "Enter your username").max(64, "A username has at most 64 characters"),
  password: z.string().min(1, "Enter your password").max(128, "A password has at most 128 characters"),
  next: z.string().optional(),
});
export type SignInInput = z.infer<typeof signInInputSchema>;

export const signInFormDataSchema = z.preprocess((value) => (value instanceof FormData ? Object.fromEntries(value) : value), signInInputSchema);

/** What the form shows after a refused attempt: the reason, and the username to sign in as again. */
export interface SignInRefused {
  message: string;
  username: string;
}
