"use client";
// Cluster › Actions, under the vSphere Client's names.
import { FolderInput, Plus, ServerCog } from "lucide-react";
import { useState } from "react";
import { MoveClusterToFolderDialog } from "@/components/folders/move-cluster-to-folder-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { AddHostWizard } from "@/components/objects/actions/add-host-wizard";
import { DropdownMenuItem, DropdownMenuSeparator } from "@/components/ui/dropdown-menu";
import { NewVmWizard } from "@/components/vms/new-vm-wizard";
import type { FolderChoice } from "@/lib/inventory/folder-reads";

export function ClusterActionsMenu({ uid, cluster, datacenter, datastores, folders }: { uid: string; cluster: string; datacenter: string; datastores: string[]; folders: FolderChoice[] }) {
  const [addingHost, setAddingHost] = useState(false);
  const [creatingVm, setCreatingVm] = useState(false);
  const [moving, setMoving] = useState(false);
  return (
    <>
      <ActionsMenu>
        <DropdownMenuItem onSelect={() => setCreatingVm(true)}>
          <Plus /> New Virtual Machine…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setAddingHost(true)}>
          <ServerCog /> Add Host…
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => setMoving(true)}>
          <FolderInput /> Move To Folder…
        </DropdownMenuItem>
      </ActionsMenu>
      <NewVmWizard open={creatingVm} onOpenChange={setCreatingVm} start={{ cluster }} />
      <AddHostWizard locations={[{ cluster, datastores }]} place={cluster} open={addingHost} onOpenChange={setAddingHost} />
      <MoveClusterToFolderDialog uid={uid} datacenter={datacenter} folders={folders} open={moving} onOpenChange={setMoving} />
    </>
  );
}
