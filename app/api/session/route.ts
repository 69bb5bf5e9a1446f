import { NextResponse } from "next/server";
import { withUser } from "@/lib/http/route-handler";

export const GET = withUser(async (_request, user) =>
  NextResponse.json({ user }, { headers: { "Cache-Control": "no-store" } }),
);
