import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readDatastoreFiles } from "@/lib/inventory/datastore-files";

export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/files">) => {
  assertCan(user, "inventory.read");
  const files = await readDatastoreFiles((await params).uid);
  if (!files) throw new NotFoundError("This datastore no longer exists.");
  return NextResponse.json(files, { headers: { "Cache-Control": "no-store" } });
});
