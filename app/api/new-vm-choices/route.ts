import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { readNewVmChoices } from "@/lib/inventory/new-vm-choices";

// Only the namespaces the user may deploy into (of one cluster, given ?cluster=), and what each allows.
export const GET = withUser(async (request, user) => {
  const { searchParams } = new URL(request.url);
  return NextResponse.json(await readNewVmChoices(user, searchParams.get("namespace"), searchParams.get("cluster")), { headers: { "Cache-Control": "no-store" } });
});
