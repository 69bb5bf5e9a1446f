import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { readObjectTagging } from "@/lib/inventory/tag-reads";

// An object's tags and custom attribute values, for its Summary's Tags and Custom Attributes cards.
export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/tagging">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  return NextResponse.json(await readObjectTagging(uid), { headers: { "Cache-Control": "no-store" } });
});
