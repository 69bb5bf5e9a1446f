"use client";
// Drag a VM (a navigator node or a VM list row) onto a host, a cluster or a datastore in the
// navigator to open Migrate with that target chosen, as in the vSphere Client, or onto a VM folder
// to move it there at once; drag a cluster onto a host folder (Hosts and Clusters view) to move it
// there. What is dragged is read fresh when it is dropped; Migrate opens, and the move is made,
// only for those who may do it, as its menu offers, with the version just read.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useState, type DragEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { VmMigrateDialog } from "@/components/vms/vm-migrate-dialog";
import { moveClusterToFolder } from "@/lib/actions/folders/move-cluster-to-folder";
import { moveVmsToFolder } from "@/lib/actions/folders/move-vms-to-folder";
import type { FolderType } from "@/lib/inventory/folder-rules";
import type { MigrationDropTarget } from "@/lib/inventory/migration-drop";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectActionsQuery, objectViewQuery } from "@/lib/queries/object-queries";

const VM_DRAG_TYPE = "application/x-skylight-vm";
const CLUSTER_DRAG_TYPE = "application/x-skylight-cluster";

function dragSource(type: string, uid: string, name: string) {
  return {
    draggable: true,
    onDragStart: (event: DragEvent<HTMLElement>) => {
      event.dataTransfer.setData(type, uid);
      event.dataTransfer.setData("text/plain", name);
      event.dataTransfer.effectAllowed = "move";
    },
  };
}

/** What makes a VM's row draggable onto a migration target or a VM folder. */
export const vmDragSource = (uid: string, name: string) => dragSource(VM_DRAG_TYPE, uid, name);
/** What makes a cluster's row draggable onto a host folder. */
export const clusterDragSource = (uid: string, name: string) => dragSource(CLUSTER_DRAG_TYPE, uid, name);

/** Where a dragged VM can land (a migration target, or a VM folder), or a dragged cluster (a host folder). */
export type VmDropTarget = MigrationDropTarget | { kind: "Folder"; name: string; type: FolderType };

/** What a target takes: a host folder clusters, anything else VMs. */
const draggedTypeFor = (target: VmDropTarget) => (target.kind === "Folder" && target.type === "host" ? CLUSTER_DRAG_TYPE : VM_DRAG_TYPE);

type DropVm = (uid: string, target: VmDropTarget) => void;

async function moveIntoFolder(vm: ObjectView, folder: string) {
  const result = await moveVmsToFolder({ uids: [vm.uid], folder });
  if (result?.data) toast.success(`Moved ${vm.name} to folder ${folder}.`);
  else toast.error(`${vm.name} was not moved to folder ${folder}: ${result?.serverError?.message ?? "the request was refused."}`);
}

async function moveClusterIntoFolder(cluster: ObjectView, folder: string) {
  const result = await moveClusterToFolder({ name: cluster.name, folder, expectedResourceVersion: cluster.resourceVersion });
  if (result?.data?.status === "saved") toast.success(`Moved cluster ${cluster.name} to folder ${folder}.`);
  else toast.error(`${cluster.name} was not moved to folder ${folder}: ${result?.data?.status === "conflict" ? result.data.message : (result?.serverError?.message ?? "the request was refused.")}`);
}

const DropVmContext = createContext<DropVm | null>(null);

export function VmDropMigrateProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [migrating, setMigrating] = useState<{ vm: ObjectView; target: MigrationDropTarget; serial: number } | null>(null);
  const [open, setOpen] = useState(false);

  const dropVm = useCallback<DropVm>(
    (vmUid, target) => {
      queryClient.fetchQuery(objectActionsQuery(vmUid)).then(
        ({ object, actions }) => {
          if (target.kind === "Folder" && target.type === "host") {
            if (actions?.menu === "Cluster") void moveClusterIntoFolder(object, target.name);
            else toast.error(`You may not move ${object.name}: host folders are for administrators and operators.`);
            return;
          }
          if (target.kind === "Folder") {
            if (actions?.menu === "VirtualMachine" && actions.folders) void moveIntoFolder(object, target.name);
            else toast.error(`You may not move ${object.name}: VM folders are for administrators and operators.`);
            return;
          }
          if (actions?.menu !== "VirtualMachine" || !actions.canMigrate) {
            toast.error(`You may not migrate ${object.name}: choosing its host or datastore is for administrators and operators.`);
            return;
          }
          queryClient.setQueryData(objectViewQuery(vmUid).queryKey, object);
          setMigrating((current) => ({ vm: object, target, serial: (current?.serial ?? 0) + 1 }));
          setOpen(true);
        },
        (error: Error) => toast.error(`The VM could not be read to migrate it: ${error.message}`),
      );
    },
    [queryClient],
  );

  return (
    <DropVmContext value={dropVm}>
      {children}
      {migrating && <VmMigrateDialog key={migrating.serial} vm={migrating.vm} target={migrating.target} open={open} onClose={() => setOpen(false)} />}
    </DropVmContext>
  );
}

/** A host, cluster, datastore or VM folder row that takes a dragged VM, or a host folder row a dragged cluster; `over` while one hovers it. */
export function useVmDropTarget(target: VmDropTarget | null) {
  const dropVm = useContext(DropVmContext);
  const [over, setOver] = useState(false);
  if (!dropVm || !target) return { over: false, handlers: {} };
  const dragged = draggedTypeFor(target);
  const carriesVm = (event: DragEvent) => event.dataTransfer.types.includes(dragged);
  return {
    over,
    handlers: {
      onDragOver: (event: DragEvent<HTMLElement>) => {
        if (!carriesVm(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event: DragEvent<HTMLElement>) => {
        setOver(false);
        const uid = event.dataTransfer.getData(dragged);
        if (!uid) return;
        event.preventDefault();
        dropVm(uid, target);
      },
    },
  };
}
