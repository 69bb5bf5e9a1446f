import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject, readObjectForReader } from "@/lib/inventory/object-access";

export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const object = await readObjectForReader(user, uid);
  if (!object) throw new NotFoundError("This object no longer exists.");
  return NextResponse.json(object, { headers: { "Cache-Control": "no-store" } });
});
