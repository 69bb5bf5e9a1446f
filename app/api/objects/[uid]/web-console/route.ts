import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { authorizeObject, readObjectForReader } from "@/lib/inventory/object-access";
import { readWebConsole } from "@/lib/inventory/web-console-reads";

// Whether a VM's web console can be launched by this reader; { console: null } for anything else.
export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/web-console">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const object = await readObjectForReader(user, uid);
  const view = object?.kind === "VirtualMachine" ? await readWebConsole(user, object) : null;
  return NextResponse.json({ console: view }, { headers: { "Cache-Control": "no-store" } });
});
