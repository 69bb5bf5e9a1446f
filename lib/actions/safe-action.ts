// The chain every server action is built from: one error handler, a check of the raw client input
// (no key that names a prototype, no absurd nesting: lib/http/untrusted-input.ts) before zod or
// anything else reads it, then the session, then the permission. An action body receives parsed
// input and an authorized user, and cannot forget to check either.
import "server-only";
import { createSafeActionClient } from "next-safe-action";
import { getSessionUser } from "@/lib/auth/session";
import { assertCan, type GlobalPermission } from "@/lib/auth/authorize";
import { InvalidInputError, NotAuthenticatedError, UserFacingError } from "@/lib/errors";
import { logError } from "@/lib/log/rate-limited-log";
import { assertSafeInput } from "@/lib/http/untrusted-input";

export interface ActionError {
  message: string;
  /** The input field the error belongs to, when there is one. */
  field?: string;
}

export const actionClient = createSafeActionClient({
  defaultValidationErrorsShape: "flattened",
  handleServerError(error): ActionError {
    if (error instanceof InvalidInputError) return { message: error.message, field: error.field };
    if (error instanceof UserFacingError) return { message: error.message };
    logError("[skylight] server action failed", error, { stack: true });
    return { message: "Something went wrong on the server. Try again; if it keeps happening, check the server log." };
  },
}).use(async ({ clientInput, bindArgsClientInputs, next }) => {
  for (const input of [clientInput, ...bindArgsClientInputs]) assertSafeInput(input);
  return next();
});

export const authenticatedAction = actionClient.use(async ({ next }) => {
  const user = await getSessionUser();
  if (!user) throw new NotAuthenticatedError();
  return next({ ctx: { user } });
});

export function actionRequiring(permission: GlobalPermission) {
  return authenticatedAction.use(async ({ next, ctx }) => {
    assertCan(ctx.user, permission);
    return next({ ctx });
  });
}
