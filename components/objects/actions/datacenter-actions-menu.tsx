"use client";
// Datacenter › Actions, under the vSphere Client's names: New Cluster, Add Host into one of its clusters, and New Folder (a VM folder).
import { Boxes, FolderPlus, Server } from "lucide-react";
import { useState } from "react";
import { FolderNameDialog } from "@/components/folders/folder-name-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { AddHostWizard, type HostLocation } from "@/components/objects/actions/add-host-wizard";
import { NewClusterDialog } from "@/components/objects/actions/new-cluster-dialog";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";

export function DatacenterActionsMenu({ datacenter, clusters }: { datacenter: string; clusters: HostLocation[] }) {
  const [creatingCluster, setCreatingCluster] = useState(false);
  const [addingHost, setAddingHost] = useState(false);
  const [creatingFolder, setCreatingFolder] = useState(false);
  return (
    <>
      <ActionsMenu>
        <DropdownMenuItem onSelect={() => setCreatingCluster(true)}>
          <Boxes /> New Cluster…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setAddingHost(true)}>
          <Server /> Add Host…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setCreatingFolder(true)}>
          <FolderPlus /> New Folder…
        </DropdownMenuItem>
      </ActionsMenu>
      <NewClusterDialog datacenter={datacenter} open={creatingCluster} onOpenChange={setCreatingCluster} />
      <FolderNameDialog naming={{ mode: "create", datacenter, parent: null }} open={creatingFolder} onOpenChange={setCreatingFolder} />
      <AddHostWizard locations={clusters} place={datacenter} open={addingHost} onOpenChange={setAddingHost} />
    </>
  );
}
