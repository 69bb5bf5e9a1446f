import { NextResponse } from "next/server";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readHostHeartbeat } from "@/lib/inventory/host-heartbeat";
import { authorizeObject } from "@/lib/inventory/object-access";

// A host's last heartbeat as the infrastructure reports it now, for its Summary.
export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/heartbeat">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const heartbeat = await readHostHeartbeat(uid);
  if (!heartbeat) throw new NotFoundError("This host no longer exists.");
  return NextResponse.json(heartbeat, { headers: { "Cache-Control": "no-store" } });
});
