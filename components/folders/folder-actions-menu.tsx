"use client";
// Folder › Actions, under the vSphere Client's names: New Folder (inside it, of its type), Rename,
// Move To (a folder of its type and datacenter, or the datacenter itself) and Delete (refused,
// naming what it holds, while it is not empty). Each sends the version the folder's page read.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { FolderInput, FolderPlus, Pencil, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { FolderNameDialog } from "@/components/folders/folder-name-dialog";
import { FolderPickerDialog } from "@/components/folders/folder-picker-dialog";
import { FolderWriteAlert, problemOf, type FolderWriteProblem } from "@/components/folders/folder-write-alert";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { useFreshActions } from "@/components/objects/actions/use-fresh-actions";
import { AlertDialog, AlertDialogCancel, AlertDialogContent, AlertDialogDescription, AlertDialogFooter, AlertDialogHeader, AlertDialogTitle } from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { DropdownMenuItem, DropdownMenuSeparator } from "@/components/ui/dropdown-menu";
import { deleteFolder } from "@/lib/actions/folders/delete-folder";
import { moveFolder } from "@/lib/actions/folders/move-folder";
import type { FolderChoice } from "@/lib/inventory/folder-reads";
import { FOLDER_TYPE_WORDS, folderTypeOf } from "@/lib/inventory/folder-rules";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";

export function FolderActionsMenu({ uid, datacenter, destinations }: { uid: string; datacenter: string; destinations: FolderChoice[] }) {
  const { data: folder } = useQuery(objectViewQuery(uid, "Folder"));
  const queryClient = useQueryClient();
  const router = useRouter();
  const [dialog, setDialog] = useState<"new" | "rename" | "move" | "delete" | null>(null);
  const [problem, setProblem] = useState<FolderWriteProblem | null>(null);
  const move = useAction(moveFolder);
  const remove = useAction(deleteFolder);
  const fresh = useFreshActions(uid, dialog === "move");
  const choices = fresh?.menu === "Folder" ? fresh.destinations : destinations;
  if (!folder) return null;
  const close = () => {
    setProblem(null);
    setDialog(null);
  };
  const reload = () => void queryClient.invalidateQueries({ queryKey: objectKeys.all }).then(close);
  const parentUid = folder.spec.parent ? String(folder.spec.parent) : null;
  const currentParent = choices.find((candidate) => candidate.uid === parentUid)?.name ?? null;
  const type = folderTypeOf(folder.spec);

  const moveTo = async (destination: string | null) => {
    const found = problemOf(await move.executeAsync({ name: folder.name, destination, expectedResourceVersion: folder.resourceVersion }));
    if (found) return setProblem(found);
    toast.success(`Folder ${folder.name} moved to ${destination ?? datacenter}`);
    await queryClient.invalidateQueries({ queryKey: objectKeys.view(uid) });
    close();
  };
  const runDelete = async () => {
    const found = problemOf(await remove.executeAsync({ name: folder.name, expectedResourceVersion: folder.resourceVersion }));
    if (found) return setProblem(found);
    toast.success(`Folder ${folder.name} deleted`);
    close();
    router.push("/");
  };

  return (
    <>
      <ActionsMenu className="w-52">
        <DropdownMenuItem onSelect={() => setDialog("new")}>
          <FolderPlus aria-hidden /> New Folder…
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => setDialog("rename")}>
          <Pencil aria-hidden /> Rename…
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => setDialog("move")}>
          <FolderInput aria-hidden /> Move To…
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem variant="destructive" onSelect={() => setDialog("delete")}>
          <Trash2 aria-hidden /> Delete
        </DropdownMenuItem>
      </ActionsMenu>
      <FolderNameDialog naming={{ mode: "create", datacenter, parent: folder.name, type }} open={dialog === "new"} onOpenChange={(open) => !open && close()} />
      <FolderNameDialog naming={{ mode: "rename", uid, name: folder.name, resourceVersion: folder.resourceVersion }} open={dialog === "rename"} onOpenChange={(open) => !open && close()} />
      <FolderPickerDialog
        title={`Move To — ${folder.name}`}
        description={`Another ${FOLDER_TYPE_WORDS[type].folder} of ${datacenter}, or the datacenter itself. What it holds moves with it.`}
        top={{ label: datacenter, place: "datacenter" }}
        folders={choices}
        current={currentParent}
        confirm="Move"
        pending={move.isPending}
        alert={<FolderWriteAlert problem={problem} onReload={reload} />}
        open={dialog === "move"}
        onOpenChange={(open) => !open && close()}
        onChoose={(destination) => void moveTo(destination)}
      />
      <AlertDialog open={dialog === "delete"} onOpenChange={(open) => !open && close()}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete folder {folder.name}?</AlertDialogTitle>
            <AlertDialogDescription>Only an empty folder can be deleted: move its {type === "host" ? "clusters" : "VMs"} and subfolders elsewhere first.</AlertDialogDescription>
          </AlertDialogHeader>
          <FolderWriteAlert problem={problem} onReload={reload} />
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <Button variant="destructive" disabled={remove.isPending || problem !== null} onClick={() => void runDelete()}>
              {remove.isPending ? "Deleting…" : "Delete"}
            </Button>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
