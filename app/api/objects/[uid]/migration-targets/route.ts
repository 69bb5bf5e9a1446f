import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { NotFoundError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readMigrationTargets } from "@/lib/inventory/migration-targets";

export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/migration-targets">) => {
  assertCan(user, "inventory.operate");
  const targets = await readMigrationTargets((await params).uid);
  if (!targets) throw new NotFoundError("This virtual machine no longer exists.");
  return NextResponse.json(targets, { headers: { "Cache-Control": "no-store" } });
});
