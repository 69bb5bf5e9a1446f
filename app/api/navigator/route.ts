// GET /api/navigator?view=&parent= : one level of a navigator view (the roots without `parent`);
// with &child=, only that child of `parent`, as { node }.
import { NextResponse } from "next/server";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { getAccessScope } from "@/lib/auth/session";
import { withUser } from "@/lib/http/route-handler";
import { readNavigatorChild, readNavigatorChildren } from "@/lib/inventory/navigator-reads";
import { isNavigatorView, NAVIGATOR_VIEWS } from "@/lib/inventory/navigator-views";

export const GET = withUser(async (request) => {
  const params = new URL(request.url).searchParams;
  const view = params.get("view");
  if (!isNavigatorView(view)) throw new InvalidInputError("view", `view must be one of ${NAVIGATOR_VIEWS.join(", ")}.`);
  const parent = params.get("parent");
  const child = params.get("child");
  if (child) {
    if (!parent) throw new InvalidInputError("parent", "parent is required with child.");
    const node = await readNavigatorChild(view, parent, child, await getAccessScope());
    if (!node) throw new NotFoundError("That object is not in this view of the inventory.");
    return NextResponse.json({ node }, { headers: { "Cache-Control": "no-store" } });
  }
  const children = await readNavigatorChildren(view, parent, await getAccessScope());
  if (!children) throw new NotFoundError("That object is not in this view of the inventory.");
  return NextResponse.json(children, { headers: { "Cache-Control": "no-store" } });
});
