// The proxy copies each request's path into this header so a page that finds no session can send
// the user to /login and back again. It is only a convenience for the redirect, never trusted.
export const REQUEST_PATH_HEADER = "x-skylight-request-path";

/** Keeps `next` to a path on this site, so the login page cannot be used as an open redirect. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/";
  if (next.startsWith("/login")) return "/";
  return next;
}
