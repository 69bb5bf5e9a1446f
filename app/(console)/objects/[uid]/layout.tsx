import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { HostFailureControls } from "@/components/inventory/host-failure-controls";
import { ClusterActionsMenu } from "@/components/objects/actions/cluster-actions-menu";
import { DatacenterActionsMenu } from "@/components/objects/actions/datacenter-actions-menu";
import { HostActionsMenu } from "@/components/objects/actions/host-actions-menu";
import { ObjectHeader } from "@/components/objects/object-header";
import { ObjectTabBar } from "@/components/objects/object-tab-bar";
import { NamespaceActionsMenu } from "@/components/namespaces/namespace-actions-menu";
import { TemplateActionsMenu } from "@/components/templates/template-actions-menu";
import { VmActionsMenu } from "@/components/vms/vm-actions-menu";
import { DeploymentActionsMenu } from "@/components/workloads/deployment-actions-menu";
import { PodActionsMenu } from "@/components/workloads/pod-actions-menu";
import { can, isAuthorized, namespaceDeleteRefusal } from "@/lib/auth/authorize";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { isAgentHost } from "@/lib/inventory/agent-host-reads";
import { readClusterDatastores } from "@/lib/inventory/cluster-datastores";
import { readNamespaceFormChoices } from "@/lib/inventory/namespace-reads";
import { TEMPLATE_LABEL } from "@/lib/vocabulary/engine-owned-metadata";
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

/**
 * The header's buttons: each kind's "Actions" menu for those who may act on it (a namespace's
 * editors for its VMs, pods and Deployments), failure injection for administrators.
 */
async function objectActions(object: ObjectView, user: SessionUser): Promise<ReactNode> {
  const canOperate = can(user, "inventory.operate");
  if (object.kind === "VirtualMachine") {
    return (await isAuthorized(user, "operate", object)) ? <VmActionsMenu uid={object.uid} canMigrate={canOperate} /> : undefined;
  }
  if (object.kind === "Pod" || object.kind === "Deployment") {
    if (!(await isAuthorized(user, "operate", object))) return undefined;
    return object.kind === "Pod" ? <PodActionsMenu uid={object.uid} /> : <DeploymentActionsMenu uid={object.uid} />;
  }
  if (object.kind === "Namespace") {
    const canDeploy = await isAuthorized(user, "operate", { kind: "VirtualMachine", namespace: object.name, name: "" });
    const canManage = can(user, "namespaces.manage");
    const deleteRefusal = await namespaceDeleteRefusal(user, object.name);
    // Delete is offered to whoever may delete, and shown refused only to the namespace's owners.
    const offersDelete = deleteRefusal === null || (await isAuthorized(user, "managePermissions", object));
    if (!canDeploy && !canManage && !offersDelete) return undefined;
    return (
      <NamespaceActionsMenu
        uid={object.uid}
        namespace={object.name}
        canDeploy={canDeploy}
        manage={canManage ? await readNamespaceFormChoices() : null}
        deleteRefusal={offersDelete ? deleteRefusal : undefined}
      />
    );
  }
  if (object.kind === "Host") {
    return (
      <>
        {can(user, "simulator.injectFailures") && !(await isAgentHost(object.name)) && <HostFailureControls name={object.name} />}
        {canOperate && <HostActionsMenu uid={object.uid} />}
      </>
    );
  }
  if (!canOperate) return undefined;
  switch (object.kind) {
    case "Datacenter":
      return <DatacenterActionsMenu datacenter={object.name} />;
    case "Cluster":
      return <ClusterActionsMenu cluster={object.name} datastores={await readClusterDatastores(object.name)} />;
    case "VirtualMachineImage":
      return object.labels[TEMPLATE_LABEL] === "true" ? <TemplateActionsMenu uid={object.uid} /> : undefined;
    default:
      return undefined;
  }
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
