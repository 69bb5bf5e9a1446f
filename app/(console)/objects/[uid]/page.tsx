import { notFound } from "next/navigation";
import { ObjectSummaryTab } from "@/components/objects/summary/object-summary-tab";
import { requireUser } from "@/lib/auth/session";
import { readObjectForReader } from "@/lib/inventory/object-access";

// Summary. The layout read the object already; the read is cached for this request.
export default async function ObjectSummaryPage({ params }: PageProps<"/objects/[uid]">) {
  const user = await requireUser();
  const object = await readObjectForReader(user, (await params).uid);
  if (!object) notFound();
  return <ObjectSummaryTab uid={object.uid} kind={object.kind} />;
}
