"use client";
// Cluster › Move To Folder…: a host folder of the cluster's datacenter, or the datacenter itself,
// sent with the version the cluster's page read; a stale one gets Reload. The choices are read
// again as it opens (use-fresh-actions.ts).
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { FolderPickerDialog } from "@/components/folders/folder-picker-dialog";
import { FolderWriteAlert, problemOf, type FolderWriteProblem } from "@/components/folders/folder-write-alert";
import { useFreshActions } from "@/components/objects/actions/use-fresh-actions";
import { moveClusterToFolder } from "@/lib/actions/folders/move-cluster-to-folder";
import type { FolderChoice } from "@/lib/inventory/folder-reads";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export function MoveClusterToFolderDialog(props: { uid: string; datacenter: string; folders: FolderChoice[]; open: boolean; onOpenChange: (open: boolean) => void }) {
  const { data: cluster } = useQuery(objectViewQuery(props.uid, "Cluster"));
  const fresh = useFreshActions(props.uid, props.open);
  const folders = fresh?.menu === "Cluster" ? fresh.folders : props.folders;
  const queryClient = useQueryClient();
  const move = useAction(moveClusterToFolder);
  const [problem, setProblem] = useState<FolderWriteProblem | null>(null);
  if (!cluster) return null;
  const close = () => {
    setProblem(null);
    props.onOpenChange(false);
  };
  const choose = async (folder: string | null) => {
    const found = problemOf(await move.executeAsync({ name: cluster.name, folder, expectedResourceVersion: cluster.resourceVersion }));
    if (found) return setProblem(found);
    toast.success(folder === null ? `Moved cluster ${cluster.name} to ${props.datacenter}.` : `Moved cluster ${cluster.name} to folder ${folder}.`);
    await queryClient.invalidateQueries({ queryKey: objectKeys.view(props.uid) });
    close();
  };
  const inFolder = cluster.labels[FOLDER_LABEL];
  return (
    <FolderPickerDialog
      title={`Move To Folder — ${cluster.name}`}
      description={`A host and cluster folder of ${props.datacenter}, or the datacenter itself. The cluster's hosts and VMs go with it; nothing about how they run changes.`}
      top={{ label: props.datacenter, place: "datacenter" }}
      folders={folders}
      current={inFolder ? (folders.find((folder) => folder.uid === inFolder)?.name ?? null) : null}
      confirm="Move"
      pending={move.isPending}
      alert={<FolderWriteAlert problem={problem} onReload={() => void queryClient.invalidateQueries({ queryKey: objectKeys.all }).then(close)} />}
      open={props.open}
      onOpenChange={(open) => !open && close()}
      onChoose={(folder) => void choose(folder)}
    />
  );
}
