import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readObjectActions } from "@/lib/inventory/object-actions";
import { authorizeObject } from "@/lib/inventory/object-access";
import { readObjectView } from "@/lib/inventory/object-view";

// What a context menu opened on an object needs: the object as its page reads it, and the
// Actions menu the user may open on it (null when none).
export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/actions">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const object = await readObjectView(uid);
  if (!object) throw new NotFoundError("This object no longer exists.");
  return NextResponse.json({ object, actions: await readObjectActions(object, user) }, { headers: { "Cache-Control": "no-store" } });
});
