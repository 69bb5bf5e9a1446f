"use client";
// A pod's Actions: Delete (confirmed). The pod is marked deleted at once and goes once its host has
// stopped its containers; the console returns to the pods of its namespace.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { deletePod } from "@/lib/actions/workloads/delete-pod";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";

export function PodActionsMenu({ uid }: { uid: string }) {
  const { data: pod } = useQuery(objectViewQuery(uid, "Pod"));
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const removal = useAction(deletePod);
  if (!pod) return null;

  const remove = async () => {
    const result = await removal.executeAsync({ namespace: pod.namespace, name: pod.name, expectedResourceVersion: pod.resourceVersion });
    if (result?.data?.status === "saved") {
      toast.success(`Deleting pod ${pod.name}`);
      const namespace = pod.related.namespace;
      if (namespace) router.push(`/objects/${namespace.uid}/pods`);
    } else if (result?.data?.status === "conflict") {
      toast.error(result.data.message, { action: { label: "Reload", onClick: () => void queryClient.invalidateQueries({ queryKey: objectKeys.view(uid) }) } });
    } else toast.error(result?.serverError?.message ?? "Delete failed. Try again.");
  };

  return (
    <>
      <ActionsMenu disabled={removal.isPending || pod.deletionTimestamp !== null}>
        <DropdownMenuItem variant="destructive" onSelect={() => setConfirming(true)}>
          <Trash2 aria-hidden /> Delete…
        </DropdownMenuItem>
      </ActionsMenu>
      <AlertDialog open={confirming} onOpenChange={setConfirming}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete pod {pod.name}?</AlertDialogTitle>
            <AlertDialogDescription>
              Its containers are stopped on host {String(pod.spec.nodeName ?? "—")} and the pod is removed from namespace {pod.namespace}, with its logs. A pod that a
              Deployment keeps is replaced by a new one.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction variant="destructive" onClick={() => void remove()}>
              Delete
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
