"use client";
// The Actions menu of one object, chosen by what lib/inventory/object-actions allows the user:
// the page header and the context menus draw it from the same description.
import { FolderActionsMenu } from "@/components/folders/folder-actions-menu";
import { ClusterActionsMenu } from "@/components/objects/actions/cluster-actions-menu";
import { DatacenterActionsMenu } from "@/components/objects/actions/datacenter-actions-menu";
import { DatastoreActionsMenu } from "@/components/objects/actions/datastore-actions-menu";
import { HostActionsMenu } from "@/components/objects/actions/host-actions-menu";
import { NetworkActionsMenu } from "@/components/objects/actions/network-actions-menu";
import { NamespaceActionsMenu } from "@/components/namespaces/namespace-actions-menu";
import { TemplateActionsMenu } from "@/components/templates/template-actions-menu";
import { VmActionsMenu } from "@/components/vms/vm-actions-menu";
import { DeploymentActionsMenu } from "@/components/workloads/deployment-actions-menu";
import { PodActionsMenu } from "@/components/workloads/pod-actions-menu";
import type { ObjectActions } from "@/lib/inventory/object-actions";

export function ObjectActionsMenu({ uid, name, actions }: { uid: string; name: string; actions: ObjectActions }) {
  switch (actions.menu) {
    case "VirtualMachine":
      return <VmActionsMenu uid={uid} canMigrate={actions.canMigrate} folders={actions.folders} />;
    case "Pod":
      return <PodActionsMenu uid={uid} />;
    case "Deployment":
      return <DeploymentActionsMenu uid={uid} />;
    case "Namespace":
      return <NamespaceActionsMenu uid={uid} namespace={name} canDeploy={actions.canDeploy} manage={actions.manage} deleteRefusal={actions.deleteRefusal} />;
    case "Host":
      return <HostActionsMenu uid={uid} failureInjection={actions.failureInjection} />;
    case "Datacenter":
      return <DatacenterActionsMenu datacenter={name} clusters={actions.clusters} />;
    case "Cluster":
      return <ClusterActionsMenu uid={uid} cluster={name} datacenter={actions.datacenter} datastores={actions.datastores} folders={actions.folders} />;
    case "Folder":
      return <FolderActionsMenu uid={uid} datacenter={actions.datacenter} destinations={actions.destinations} />;
    case "Datastore":
      return <DatastoreActionsMenu uid={uid} datastore={name} />;
    case "Network":
      return <NetworkActionsMenu uid={uid} />;
    case "Template":
      return <TemplateActionsMenu uid={uid} />;
  }
}
