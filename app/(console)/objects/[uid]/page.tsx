import { forbidden, notFound } from "next/navigation";
import { ObjectSummaryTab } from "@/components/objects/summary/object-summary-tab";
import { isAuthorized } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { readObjectView } from "@/lib/inventory/object-view";

// Summary. The layout read the object already; the read is cached for this request.
export default async function ObjectSummaryPage({ params }: PageProps<"/objects/[uid]">) {
  const user = await requireUser();
  const object = await readObjectView((await params).uid);
  if (!object) notFound();
  if (!(await isAuthorized(user, "read", object))) forbidden();
  return <ObjectSummaryTab uid={object.uid} kind={object.kind} />;
}
