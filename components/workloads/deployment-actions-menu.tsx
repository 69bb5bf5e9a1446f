"use client";
// A Deployment's Actions › Scale: how many pods it should run. The form sends the resourceVersion
// it opened with, so a Deployment changed meanwhile is "changed by someone else" with Reload.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Scaling } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { DropdownMenuItem } from "@/components/ui/dropdown-menu";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { ConflictAlert } from "@/components/vms/conflict-alert";
import { scaleDeployment } from "@/lib/actions/workloads/scale-deployment";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectViewQuery } from "@/lib/queries/object-queries";

export function DeploymentActionsMenu({ uid }: { uid: string }) {
  const { data: deployment } = useQuery(objectViewQuery(uid, "Deployment"));
  const [scaling, setScaling] = useState(false);
  if (!deployment) return null;
  return (
    <>
      <ActionsMenu disabled={deployment.deletionTimestamp !== null}>
        <DropdownMenuItem onSelect={() => setScaling(true)}>
          <Scaling aria-hidden /> Scale…
        </DropdownMenuItem>
      </ActionsMenu>
      <Dialog open={scaling} onOpenChange={setScaling}>
        <DialogContent className="sm:max-w-md">{scaling && <ScaleForm deployment={deployment} onClose={() => setScaling(false)} />}</DialogContent>
      </Dialog>
    </>
  );
}

function ScaleForm({ deployment, onClose }: { deployment: ObjectView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const scale = useAction(scaleDeployment);
  const [openedAt, setOpenedAt] = useState(deployment.resourceVersion);
  const [replicas, setReplicas] = useState(String(deployment.spec.replicas ?? 1));
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);

  const reload = async () => {
    const current = await queryClient.fetchQuery({ ...objectViewQuery(deployment.uid), staleTime: 0 });
    setOpenedAt(current.resourceVersion);
    setReplicas(String(current.spec.replicas ?? 1));
    setConflict(null);
  };
  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setError(null);
    const text = replicas.trim();
    if (!/^\d+$/.test(text)) {
      setError("Replicas must be a whole number, 0 or more.");
      return;
    }
    const result = await scale.executeAsync({ namespace: deployment.namespace, name: deployment.name, replicas: Number(text), expectedResourceVersion: openedAt });
    if (result?.data?.status === "saved") {
      toast.success(`Scaling deployment ${deployment.name} to ${Number(text)}`);
      onClose();
    } else if (result?.data?.status === "conflict") setConflict(result.data.message);
    else setError(result?.serverError?.message ?? "The scale was not accepted. Try again.");
  };

  return (
    <form onSubmit={(event) => void submit(event)} className="grid gap-4" noValidate>
      <DialogHeader>
        <DialogTitle>Scale {deployment.name}</DialogTitle>
        <DialogDescription>The Deployment adds or removes pods until it runs this many. 0 stops all of them and keeps the Deployment.</DialogDescription>
      </DialogHeader>
      <ConflictAlert message={conflict} onReload={() => void reload()} />
      <FormField label="Replicas" htmlFor="deployment-replicas" error={error ?? undefined} description="A whole number, 0 or more.">
        <Input id="deployment-replicas" inputMode="numeric" autoFocus autoComplete="off" value={replicas} onChange={(event) => setReplicas(event.target.value)} />
      </FormField>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={scale.isPending || conflict !== null}>
          OK
        </Button>
      </DialogFooter>
    </form>
  );
}
