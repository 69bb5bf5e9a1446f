"use client";
// Datastore › Actions, under the vSphere Client's names: Browse Files (the Files tab) and Refresh
// Capacity Information (the datastore observed again now, as a task in Recent Tasks).
import { FolderOpen, RefreshCw } from "lucide-react";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { toast } from "sonner";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { refreshDatastoreCapacity } from "@/lib/actions/datastores/refresh-datastore-capacity";

export function DatastoreActionsMenu({ uid, datastore }: { uid: string; datastore: string }) {
  const router = useRouter();
  const refresh = useAction(refreshDatastoreCapacity);
  const refreshCapacity = async () => {
    const result = await refresh.executeAsync({ name: datastore });
    if (result?.data) toast.success(`Refreshing capacity information of ${datastore}`);
    else toast.error(result?.serverError?.message ?? "The refresh could not be started. Try again.");
  };
  return (
    <ActionsMenu disabled={refresh.isPending}>
      <DropdownMenuItem onSelect={() => router.push(`/objects/${uid}/files`)}>
        <FolderOpen /> Browse Files
      </DropdownMenuItem>
      <DropdownMenuItem onSelect={() => void refreshCapacity()}>
        <RefreshCw /> Refresh Capacity Information
      </DropdownMenuItem>
    </ActionsMenu>
  );
}
