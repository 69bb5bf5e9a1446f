// Copies the requested path into a request header so that a page finding no session can send
// the user to /login?next=… and back, and refuses search params PostgreSQL could not store before
// a page reads them (route handlers refuse them in withUser). Authentication itself happens in each
// page, route handler and server action (a proxy alone is no protection: CVE-2025-29927).
import { NextResponse, type NextRequest } from "next/server";
import { REQUEST_PATH_HEADER } from "@/lib/auth/request-path";
import { unstorableParam } from "@/lib/http/search-params";

export function proxy(request: NextRequest) {
  const unstorable = unstorableParam(request.nextUrl.searchParams);
  if (unstorable) return new NextResponse(`The search parameter ${unstorable} contains a NUL character or half of a surrogate pair.`, { status: 400 });
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/).*)"],
};
