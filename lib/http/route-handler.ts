// Wraps a route handler so it runs only for a signed-in user and answers errors as JSON:
// 401 when there is no session, 422 for a search param PostgreSQL could not store, the error's own
// status for user-facing errors, 500 otherwise.
import "server-only";
import { NextResponse } from "next/server";
import { getSessionUser, type SessionUser } from "@/lib/auth/session";
import { UserFacingError } from "@/lib/errors";
import { logError } from "@/lib/log/rate-limited-log";
import { unstorableParam } from "@/lib/http/search-params";

type Handler<Context> = (request: Request, user: SessionUser, context: Context) => Promise<Response>;

export function withUser<Context>(handler: Handler<Context>) {
  return async (request: Request, context: Context): Promise<Response> => {
    const user = await getSessionUser();
    if (!user) return jsonError(401, "unauthenticated", "Sign in to use this API.");
    const unstorable = unstorableParam(new URL(request.url).searchParams);
    if (unstorable) return jsonError(422, "InvalidInputError", `${unstorable} must not contain a NUL character or half of a surrogate pair.`);
    try {
      return await handler(request, user, context);
    } catch (error) {
      if (error instanceof UserFacingError) return jsonError(error.status, error.name, error.message);
      logError("[skylight] request failed", error, { stack: true });
      return jsonError(500, "internal", "Something went wrong on the server.");
    }
  };
}

function jsonError(status: number, code: string, message: string): Response {
  return NextResponse.json({ error: { code, message } }, { status, headers: { "Cache-Control": "no-store" } });
}
