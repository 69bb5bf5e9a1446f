"use client";
// Datacenter › Actions, under the vSphere Client's names.
import { Boxes } from "lucide-react";
import { useState } from "react";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { NewClusterDialog } from "@/components/objects/actions/new-cluster-dialog";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";

export function DatacenterActionsMenu({ datacenter }: { datacenter: string }) {
  const [creatingCluster, setCreatingCluster] = useState(false);
  return (
    <>
      <ActionsMenu>
        <DropdownMenuItem onSelect={() => setCreatingCluster(true)}>
          <Boxes /> New Cluster…
        </DropdownMenuItem>
      </ActionsMenu>
      <NewClusterDialog datacenter={datacenter} open={creatingCluster} onOpenChange={setCreatingCluster} />
    </>
  );
}
