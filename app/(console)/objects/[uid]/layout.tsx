import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { ObjectActionsMenu } from "@/components/objects/actions/object-actions-menu";
import { ObjectHeader } from "@/components/objects/object-header";
import { ObjectTabBar } from "@/components/objects/object-tab-bar";
import { can } from "@/lib/auth/authorize";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { readObjectActions } from "@/lib/inventory/object-actions";
import { tabsFor } from "@/lib/inventory/object-tabs";
import { readObjectForReader } from "@/lib/inventory/object-access";
import { readWebConsole } from "@/lib/inventory/web-console-reads";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectViewQuery, webConsoleQuery } from "@/lib/queries/object-queries";
import { getQueryClient } from "@/lib/queries/query-client";

// An object the reader may not see is titled as a missing one: its name never reaches the page.
export async function generateMetadata({ params }: LayoutProps<"/objects/[uid]">): Promise<Metadata> {
  const object = await readObjectForReader(await requireUser(), (await params).uid);
  return { title: object?.name ?? "Object not found" };
}

/** The header's button: the kind's "Actions" menu for those who may act on it. */
async function objectActions(object: ObjectView, user: SessionUser): Promise<ReactNode> {
  const actions = await readObjectActions(object, user);
  return actions ? <ObjectActionsMenu uid={object.uid} name={object.name} actions={actions} /> : undefined;
}

// The frame of every object page: header and tabs stay while tabs change below them.
export default async function ObjectLayout({ params, children }: LayoutProps<"/objects/[uid]">) {
  const user = await requireUser();
  const { uid } = await params;
  const object = await readObjectForReader(user, uid);
  if (!object) notFound();
  const queryClient = getQueryClient();
  queryClient.setQueryData(objectViewQuery(uid).queryKey, object);
  // Its Actions menu and Summary offer the web console, or say why not, from the first paint.
  if (object.kind === "VirtualMachine") queryClient.setQueryData(webConsoleQuery(uid).queryKey, { console: await readWebConsole(user, object) });
  const actions = await objectActions(object, user);
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <div className="flex min-h-full flex-col">
        <ObjectHeader uid={uid} kind={object.kind} actions={actions} />
        <ObjectTabBar uid={uid} tabs={tabsFor(object.kind, can(user, "inventory.read"))} />
        <div className="min-h-0 flex-1">{children}</div>
      </div>
    </HydrationBoundary>
  );
}
