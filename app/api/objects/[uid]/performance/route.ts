import { NextResponse } from "next/server";
import { InvalidInputError, NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { isUid } from "@/lib/inventory/object-view";
import { performanceQuerySchema, readPerformance } from "@/lib/inventory/performance-reads";

export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/performance">) => {
  const { uid } = await params;
  if (!isUid(uid)) throw new NotFoundError("No such object.");
  await authorizeObject(user, "read", uid);
  const parsed = performanceQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw new InvalidInputError(String(parsed.error.issues[0]!.path[0] ?? "from"), parsed.error.issues[0]!.message);
  return NextResponse.json(await readPerformance(uid, parsed.data), { headers: { "Cache-Control": "no-store" } });
});
