import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { requestHostname } from "@/lib/http/request-hostname";
import { readAgentHost } from "@/lib/inventory/agent-host-reads";
import { authorizeObject } from "@/lib/inventory/object-access";

// A host's Skylight agent facts for its Summary; { agent: null } for a simulated host.
export const GET = withUser(async (_request, user, { params }: RouteContext<"/api/objects/[uid]/agent-host">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  return NextResponse.json({ agent: await readAgentHost(uid, await requestHostname()) }, { headers: { "Cache-Control": "no-store" } });
});
