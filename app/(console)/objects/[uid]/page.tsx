import { notFound } from "next/navigation";
import { ObjectSummaryTab } from "@/components/objects/summary/object-summary-tab";
import { requirePermission } from "@/lib/auth/session";
import { readObjectView } from "@/lib/inventory/object-view";

// Summary. The layout read the object already; the read is cached for this request.
export default async function ObjectSummaryPage({ params }: PageProps<"/objects/[uid]">) {
  await requirePermission("inventory.read");
  const object = await readObjectView((await params).uid);
  if (!object) notFound();
  return <ObjectSummaryTab uid={object.uid} kind={object.kind} />;
}
