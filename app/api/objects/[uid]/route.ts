import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readObjectView } from "@/lib/inventory/object-view";

export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]">) => {
  assertCan(user, "inventory.read");
  const object = await readObjectView((await params).uid);
  if (!object) throw new NotFoundError("This object no longer exists.");
  return NextResponse.json(object, { headers: { "Cache-Control": "no-store" } });
});
