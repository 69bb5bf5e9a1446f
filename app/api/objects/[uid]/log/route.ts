import { withUser } from "@/lib/http/route-handler";
import { authorizeObject } from "@/lib/inventory/object-access";
import { readPodLog } from "@/lib/inventory/pod-logs";
import { InvalidInputError } from "@/lib/errors";

const CONTAINER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

// A pod container's log for its Logs tab, as text: ?container=NAME (needed when the pod has
// several) and ?previous=true for the run before the last restart. Whoever may see the pod may read it.
export const GET = withUser(async (request, user, { params }: RouteContext<"/api/objects/[uid]/log">) => {
  const { uid } = await params;
  await authorizeObject(user, "read", uid);
  const search = new URL(request.url).searchParams;
  const container = search.get("container");
  if (container !== null && !CONTAINER_NAME.test(container)) throw new InvalidInputError("container", "container must be a container's name: lowercase letters, digits and '-', at most 63 characters");
  const previous = search.get("previous");
  if (previous !== null && previous !== "true" && previous !== "false") throw new InvalidInputError("previous", "previous must be true or false");
  const text = await readPodLog(uid, { container, previous: previous === "true" });
  return new Response(text, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
});
