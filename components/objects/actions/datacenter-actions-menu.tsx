"use client";
// Datacenter › Actions, under the vSphere Client's names: New Cluster, Add Host into one of its
// clusters, and New Folder › New Host and Cluster Folder / New VM and Template Folder.
import { Boxes, FolderPlus, Monitor, Server } from "lucide-react";
import { useState } from "react";
import { FolderNameDialog } from "@/components/folders/folder-name-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { AddHostWizard, type HostLocation } from "@/components/objects/actions/add-host-wizard";
import { NewClusterDialog } from "@/components/objects/actions/new-cluster-dialog";
import { DropdownMenuItem, DropdownMenuSub, DropdownMenuSubContent, DropdownMenuSubTrigger } from "@/components/ui/dropdown-menu";
import type { FolderType } from "@/lib/inventory/folder-rules";

export function DatacenterActionsMenu({ datacenter, clusters }: { datacenter: string; clusters: HostLocation[] }) {
  const [creatingCluster, setCreatingCluster] = useState(false);
  const [addingHost, setAddingHost] = useState(false);
  const [creatingFolder, setCreatingFolder] = useState<FolderType | null>(null);
  return (
    <>
      <ActionsMenu>
        <DropdownMenuItem onSelect={() => setCreatingCluster(true)}>
          <Boxes /> New Cluster…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setAddingHost(true)}>
          <Server /> Add Host…
        </DropdownMenuItem>
        <DropdownMenuSub>
          <DropdownMenuSubTrigger>
            <FolderPlus aria-hidden /> New Folder
          </DropdownMenuSubTrigger>
          <DropdownMenuSubContent className="w-64">
            <DropdownMenuItem onSelect={() => setCreatingFolder("host")}>
              <Server /> New Host and Cluster Folder…
            </DropdownMenuItem>
            <DropdownMenuItem onSelect={() => setCreatingFolder("vm")}>
              <Monitor /> New VM and Template Folder…
            </DropdownMenuItem>
          </DropdownMenuSubContent>
        </DropdownMenuSub>
      </ActionsMenu>
      <NewClusterDialog datacenter={datacenter} open={creatingCluster} onOpenChange={setCreatingCluster} />
      <FolderNameDialog
        naming={{ mode: "create", datacenter, parent: null, type: creatingFolder ?? "vm" }}
        open={creatingFolder !== null}
        onOpenChange={(open) => !open && setCreatingFolder(null)}
      />
      <AddHostWizard locations={clusters} place={datacenter} open={addingHost} onOpenChange={setAddingHost} />
    </>
  );
}
