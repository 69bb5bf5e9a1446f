import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { InvalidParamError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readClusterTrends, TREND_RANGES, type TrendRange } from "@/lib/inventory/cluster-trends";

// Home's trends: each cluster's CPU, memory and storage over the last hour or day.
export const GET = withUser(async (request, user) => {
  assertCan(user, "inventory.read");
  const range = new URL(request.url).searchParams.get("range") ?? "hour";
  if (!Object.hasOwn(TREND_RANGES, range)) throw new InvalidParamError("range", `range must be one of: ${Object.keys(TREND_RANGES).join(", ")}.`);
  return NextResponse.json(await readClusterTrends(range as TrendRange), { headers: { "Cache-Control": "no-store" } });
});
