// The Content Library's container images the signed-in user may see (their namespaces', or every
// namespace's for administrators and operators).
import { NextResponse } from "next/server";
import { readAccessScope } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readContainerImages } from "@/lib/inventory/container-image-reads";

export const GET = withUser(async (_request, user) => {
  return NextResponse.json({ images: await readContainerImages(await readAccessScope(user)) }, { headers: { "Cache-Control": "no-store" } });
});
