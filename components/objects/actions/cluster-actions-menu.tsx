"use client";
// Cluster › Actions, under the vSphere Client's names.
import { Plus, ServerCog } from "lucide-react";
import { useState } from "react";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { AddHostWizard } from "@/components/objects/actions/add-host-wizard";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { NewVmWizard } from "@/components/vms/new-vm-wizard";

export function ClusterActionsMenu({ cluster, datastores }: { cluster: string; datastores: string[] }) {
  const [addingHost, setAddingHost] = useState(false);
  const [creatingVm, setCreatingVm] = useState(false);
  return (
    <>
      <ActionsMenu>
        <DropdownMenuItem onSelect={() => setCreatingVm(true)}>
          <Plus /> New Virtual Machine…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setAddingHost(true)}>
          <ServerCog /> Add Host…
        </DropdownMenuItem>
      </ActionsMenu>
      <NewVmWizard open={creatingVm} onOpenChange={setCreatingVm} start={{ cluster }} />
      <AddHostWizard locations={[{ cluster, datastores }]} place={cluster} open={addingHost} onOpenChange={setAddingHost} />
    </>
  );
}
