import { ObjectSummaryTab } from "@/components/objects/summary/object-summary-tab";
import { requirePermission } from "@/lib/auth/session";

// Summary: the layout has already read the object into the query cache.
export default async function ObjectSummaryPage({ params }: PageProps<"/objects/[uid]">) {
  await requirePermission("inventory.read");
  const { uid } = await params;
  return <ObjectSummaryTab uid={uid} />;
}
