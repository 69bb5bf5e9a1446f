"use client";
// VM › Move To Folder… and the VM list's "Move to folder…": the VMs' datacenter's folders, or no
// folder (back under their namespaces), in one request; the toast says how many moved.
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { FolderPickerDialog } from "@/components/folders/folder-picker-dialog";
import { FolderWriteAlert } from "@/components/folders/folder-write-alert";
import { moveVmsToFolder } from "@/lib/actions/folders/move-vms-to-folder";
import type { FolderChoice } from "@/lib/inventory/folder-reads";

export function MoveVmsToFolderDialog(props: { uids: string[]; label: string; folders: FolderChoice[]; current?: string | null; open: boolean; onClose: (moved: boolean) => void }) {
  const { executeAsync, isPending } = useAction(moveVmsToFolder);
  const [refusal, setRefusal] = useState<string | null>(null);
  const choose = async (folder: string | null) => {
    setRefusal(null);
    const result = await executeAsync({ uids: props.uids, folder });
    if (!result?.data) return setRefusal(result?.serverError?.message ?? "The VMs could not be moved. Try again.");
    const gone = result.data.notFound > 0 ? ` ${result.data.notFound} not found.` : "";
    toast.success(`Moved ${props.label} ${folder === null ? "out of folders, back under their namespaces" : `to folder ${folder}`}.${gone}`);
    props.onClose(true);
  };
  return (
    <FolderPickerDialog
      title={`Move To Folder — ${props.label}`}
      description="VMs in a folder show under it in the VMs and Templates view; with no folder, under their namespace. Their namespace, host and storage stay as they are."
      top={{ label: "No folder (under its namespace)", place: "namespace" }}
      folders={props.folders}
      current={props.current}
      confirm="Move"
      pending={isPending}
      alert={<FolderWriteAlert problem={refusal ? { refusal } : null} onReload={() => {}} />}
      open={props.open}
      onOpenChange={(open) => {
        if (!open) {
          setRefusal(null);
          props.onClose(false);
        }
      }}
      onChoose={(folder) => void choose(folder)}
    />
  );
}
