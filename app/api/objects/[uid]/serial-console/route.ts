import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { readSerialConsole } from "@/lib/inventory/serial-console-reads";

// The serial console of a VM on a real host, for its Monitor tab; { console: null } for a simulated VM.
export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/serial-console">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  return NextResponse.json({ console: await readSerialConsole(uid) }, { headers: { "Cache-Control": "no-store" } });
});
