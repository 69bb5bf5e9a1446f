import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { ObjectSummaryTab } from "@/components/objects/summary/object-summary-tab";
import { TAGGABLE_KINDS } from "@/lib/actions/tags/tag-schemas";
import { can } from "@/lib/auth/authorize";
import { requireUser } from "@/lib/auth/session";
import { requestHostname } from "@/lib/http/request-hostname";
import { readAgentHost } from "@/lib/inventory/agent-host-reads";
import { readObjectForReader } from "@/lib/inventory/object-access";
import { agentHostQuery } from "@/lib/queries/object-queries";
import { getQueryClient } from "@/lib/queries/query-client";
import { readObjectTagging } from "@/lib/inventory/tag-reads";
import { objectTaggingQuery } from "@/lib/queries/tag-queries";

// Summary. The layout read the object already; the read is cached for this request. A host's
// agent facts come with the first paint, so a real host's page never flashes a simulated one;
// so do an inventory object's tags and custom attributes, so its cards never jump in.
export default async function ObjectSummaryPage({ params }: PageProps<"/objects/[uid]">) {
  const user = await requireUser();
  const object = await readObjectForReader(user, (await params).uid);
  if (!object) notFound();
  const queryClient = getQueryClient();
  if (object.kind === "Host") {
    const hostname = await requestHostname();
    await queryClient.prefetchQuery({ ...agentHostQuery(object.uid), queryFn: async () => ({ agent: await readAgentHost(object.uid, hostname) }) });
  }
  if ((TAGGABLE_KINDS as readonly string[]).includes(object.kind)) {
    await queryClient.prefetchQuery({ ...objectTaggingQuery(object.uid), queryFn: () => readObjectTagging(object.uid) });
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ObjectSummaryTab uid={object.uid} kind={object.kind} canOperate={can(user, "inventory.operate")} />
    </HydrationBoundary>
  );
}
