import { assertCan } from "@/lib/auth/authorize";
import { getAccessScope } from "@/lib/auth/session";
import { eventsCsvDownload } from "@/lib/export/event-csv";
import { withUser } from "@/lib/http/route-handler";
import { strictSearchParams } from "@/lib/http/search-params";
import { eventExportSchema } from "@/lib/inventory/event-filter";

// GET /api/events/export?severity=&type=&object=&user=&from=&to=: every event the filter keeps, as CSV.
export const GET = withUser(async (request, user) => {
  assertCan(user, "inventory.read");
  const filter = strictSearchParams(eventExportSchema, new URL(request.url).searchParams);
  return eventsCsvDownload("events", filter, await getAccessScope(), request.signal);
});
