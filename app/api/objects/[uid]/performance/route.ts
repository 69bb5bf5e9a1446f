import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { isUid } from "@/lib/inventory/object-view";
import { performanceQuerySchema, readPerformance } from "@/lib/inventory/performance-reads";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/performance">) => {
  assertCan(user, "inventory.read");
  const { uid } = await params;
  if (!isUid(uid)) throw new NotFoundError("No such object.");
  const parsed = performanceQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new InvalidInputError("from", parsed.error.issues[0]!.message);
  return NextResponse.json(await readPerformance(uid, parsed.data), { headers: { "Cache-Control": "no-store" } });
});
