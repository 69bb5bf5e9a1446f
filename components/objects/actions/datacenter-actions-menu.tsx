"use client";
// Datacenter › Actions, under the vSphere Client's names: New Cluster, and Add Host into one of its clusters.
import { Boxes, Server } from "lucide-react";
import { useState } from "react";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { AddHostWizard, type HostLocation } from "@/components/objects/actions/add-host-wizard";
import { NewClusterDialog } from "@/components/objects/actions/new-cluster-dialog";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";

export function DatacenterActionsMenu({ datacenter, clusters }: { datacenter: string; clusters: HostLocation[] }) {
  const [creatingCluster, setCreatingCluster] = useState(false);
  const [addingHost, setAddingHost] = useState(false);
  return (
    <>
      <ActionsMenu>
        <DropdownMenuItem onSelect={() => setCreatingCluster(true)}>
          <Boxes /> New Cluster…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setAddingHost(true)}>
          <Server /> Add Host…
        </DropdownMenuItem>
      </ActionsMenu>
      <NewClusterDialog datacenter={datacenter} open={creatingCluster} onOpenChange={setCreatingCluster} />
      <AddHostWizard locations={clusters} place={datacenter} open={addingHost} onOpenChange={setAddingHost} />
    </>
  );
}
