// GET /api/navigator/path?view=&uid= : the ancestors of an object in a navigator view, root first,
// so a deep link can expand the tree down to it ({ ancestors: null } when the view does not show it).
import { NextResponse } from "next/server";
import { InvalidInputError } from "@/lib/errors";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { readNavigatorPath } from "@/lib/inventory/navigator-reads";
import { isNavigatorView, NAVIGATOR_VIEWS } from "@/lib/inventory/navigator-views";

export const GET = withUser(async (request) => {
  const params = new URL(request.url).searchParams;
  const view = params.get("view");
  if (!isNavigatorView(view)) throw new InvalidInputError("view", `view must be one of ${NAVIGATOR_VIEWS.join(", ")}.`);
  const uid = params.get("uid");
  if (!uid) throw new InvalidInputError("uid", "uid is required.");
  return NextResponse.json({ ancestors: await readNavigatorPath(view, uid, await getAccessScope()) }, { headers: { "Cache-Control": "no-store" } });
});
