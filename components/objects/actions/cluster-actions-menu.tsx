"use client";
// Cluster › Actions, under the vSphere Client's names.
import { ChevronDown, Plus, ServerCog } from "lucide-react";
import { useState } from "react";
import { AddHostWizard } from "@/components/objects/actions/add-host-wizard";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import { NewVmWizard } from "@/components/vms/new-vm-wizard";

export function ClusterActionsMenu({ cluster, datastores }: { cluster: string; datastores: string[] }) {
  const [addingHost, setAddingHost] = useState(false);
  const [creatingVm, setCreatingVm] = useState(false);
  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger asChild>
          <Button variant="outline" size="sm">
            Actions <ChevronDown className="size-4" aria-hidden />
          </Button>
        </DropdownMenuTrigger>
        <DropdownMenuContent align="end" className="w-56">
          <DropdownMenuItem onSelect={() => setCreatingVm(true)}>
            <Plus /> New Virtual Machine…
          </DropdownMenuItem>
          <DropdownMenuItem onSelect={() => setAddingHost(true)}>
            <ServerCog /> Add Host…
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>
      <NewVmWizard open={creatingVm} onOpenChange={setCreatingVm} start={{ cluster }} />
      <AddHostWizard cluster={cluster} datastores={datastores} open={addingHost} onOpenChange={setAddingHost} />
    </>
  );
}
