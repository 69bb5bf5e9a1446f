import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { HostFailureControls } from "@/components/inventory/host-failure-controls";
import { ClusterActionsMenu } from "@/components/objects/actions/cluster-actions-menu";
import { HostActionsMenu } from "@/components/objects/actions/host-actions-menu";
import { ObjectHeader } from "@/components/objects/object-header";
import { ObjectTabBar } from "@/components/objects/object-tab-bar";
import { can } from "@/lib/auth/authorize";
import { requirePermission } from "@/lib/auth/session";
import { readClusterDatastores } from "@/lib/inventory/cluster-datastores";
import { tabsFor } from "@/lib/inventory/object-tabs";
import { readObjectView } from "@/lib/inventory/object-view";
import { objectViewQuery } from "@/lib/queries/object-queries";
import { getQueryClient } from "@/lib/queries/query-client";

export async function generateMetadata({ params }: LayoutProps<"/objects/[uid]">): Promise<Metadata> {
  const object = await readObjectView((await params).uid);
  return { title: object?.name ?? "Object not found" };
}

// The frame of every object page: header and tabs stay while tabs change below them.
export default async function ObjectLayout({ params, children }: LayoutProps<"/objects/[uid]">) {
  const user = await requirePermission("inventory.read");
  const { uid } = await params;
  const object = await readObjectView(uid);
  if (!object) notFound();
  const queryClient = getQueryClient();
  queryClient.setQueryData(objectViewQuery(uid).queryKey, object);
  const canOperate = can(user, "inventory.operate");
  let actions: ReactNode;
  if (object.kind === "Host") {
    actions = (
      <>
        {can(user, "simulator.injectFailures") && <HostFailureControls name={object.name} />}
        {canOperate && <HostActionsMenu uid={uid} />}
      </>
    );
  } else if (object.kind === "Cluster" && canOperate) {
    actions = <ClusterActionsMenu cluster={object.name} datastores={await readClusterDatastores(object.name)} />;
  }
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <div className="flex min-h-full flex-col">
        <ObjectHeader uid={uid} kind={object.kind} actions={actions} />
        <ObjectTabBar uid={uid} tabs={tabsFor(object.kind)} />
        <div className="min-h-0 flex-1">{children}</div>
      </div>
    </HydrationBoundary>
  );
}
