import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";
import { readTagCatalog } from "@/lib/inventory/tag-reads";

// Every tag category with its tags, and every custom attribute: for the Assign Tag pickers and the lists' Tag filter.
// Names only, as vSphere shows tags to anyone who can see an object carrying one.
export const GET = withUser(async () => NextResponse.json(await readTagCatalog(), { headers: { "Cache-Control": "no-store" } }));
