// The Content Library's templates (made by Clone to Template), for administrators and operators.
import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { withUser } from "@/lib/http/route-handler";
import { readLibraryTemplates } from "@/lib/inventory/library-reads";

export const GET = withUser(async (_request, user) => {
  assertCan(user, "inventory.read");
  return NextResponse.json({ templates: await readLibraryTemplates() }, { headers: { "Cache-Control": "no-store" } });
});
