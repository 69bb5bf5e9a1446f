import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readNewVmChoices } from "@/lib/inventory/new-vm-choices";

export const GET = withUser(async (request, user) => {
  assertCan(user, "inventory.operate");
  const namespace = new URL(request.url).searchParams.get("namespace");
  return NextResponse.json(await readNewVmChoices(namespace), { headers: { "Cache-Control": "no-store" } });
});
