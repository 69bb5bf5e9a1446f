import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { readNewVmChoices } from "@/lib/inventory/new-vm-choices";

// Only the namespaces the user may deploy into, and what each allows.
export const GET = withUser(async (request, user) => {
  const namespace = new URL(request.url).searchParams.get("namespace");
  return NextResponse.json(await readNewVmChoices(user, namespace), { headers: { "Cache-Control": "no-store" } });
});
