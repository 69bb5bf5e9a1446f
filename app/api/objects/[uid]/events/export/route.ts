import { getAccessScope } from "@/lib/auth/session";
import { eventsCsvDownload } from "@/lib/export/event-csv";
import { withUser } from "@/lib/http/route-handler";
import { strictSearchParams } from "@/lib/http/search-params";
import { eventExportSchema } from "@/lib/inventory/event-filter";
import { authorizeObject } from "@/lib/inventory/object-access";

// GET /api/objects/<uid>/events/export?severity=&type=&user=&from=&to=: the object's events the filter keeps, as CSV.
export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/events/export">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const filter = strictSearchParams(eventExportSchema, new URL(request.url).searchParams);
  return eventsCsvDownload("events", { ...filter, uid }, await getAccessScope(), request.signal);
});
