import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { readMyNamespaces } from "@/lib/inventory/namespace-reads";

export const GET = withUser(async (_request, user) => NextResponse.json(await readMyNamespaces(user), { headers: { "Cache-Control": "no-store" } }));
