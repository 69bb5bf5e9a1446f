"use client";
// Drag a VM (a navigator node or a VM list row) onto a host, a cluster or a datastore in the
// navigator to open Migrate with that target chosen, as in the vSphere Client, or onto a VM folder
// to move it there at once. The VM is read fresh when it is dropped; Migrate opens, and the move is
// made, only for those who may do it, as its menu offers.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useState, type DragEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { VmMigrateDialog } from "@/components/vms/vm-migrate-dialog";
import { moveVmsToFolder } from "@/lib/actions/folders/move-vms-to-folder";
import type { MigrationDropTarget } from "@/lib/inventory/migration-drop";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectActionsQuery, objectViewQuery } from "@/lib/queries/object-queries";

const VM_DRAG_TYPE = "application/x-skylight-vm";

/** What makes a VM's row draggable onto a migration target. */
export function vmDragSource(uid: string, name: string) {
  return {
    draggable: true,
    onDragStart: (event: DragEvent<HTMLElement>) => {
      event.dataTransfer.setData(VM_DRAG_TYPE, uid);
      event.dataTransfer.setData("text/plain", name);
      event.dataTransfer.effectAllowed = "move";
    },
  };
}

/** Where a dragged VM can land: a migration target, or a VM folder. */
export type VmDropTarget = MigrationDropTarget | { kind: "Folder"; name: string };

type DropVm = (vmUid: string, target: VmDropTarget) => void;

async function moveIntoFolder(vm: ObjectView, folder: string) {
  const result = await moveVmsToFolder({ uids: [vm.uid], folder });
  if (result?.data) toast.success(`Moved ${vm.name} to folder ${folder}.`);
  else toast.error(`${vm.name} was not moved to folder ${folder}: ${result?.serverError?.message ?? "the request was refused."}`);
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

/** A host, cluster, datastore or folder row that takes a dragged VM; `over` while one hovers it. */
export function useVmDropTarget(target: VmDropTarget | null) {
  const dropVm = useContext(DropVmContext);
  const [over, setOver] = useState(false);
  if (!dropVm || !target) return { over: false, handlers: {} };
  const carriesVm = (event: DragEvent) => event.dataTransfer.types.includes(VM_DRAG_TYPE);
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
        const vmUid = event.dataTransfer.getData(VM_DRAG_TYPE);
        if (!vmUid) return;
        event.preventDefault();
        dropVm(vmUid, target);
      },
    },
  };
}
