"use client";
// VM › Actions › Migrate: pick another host of the VM's cluster. Each host says whether it can
// take the VM now, or why not, by the same rules the engine applies; a powered-on VM moves live
// (vMotion). The dialog sends the resourceVersion it opened with, so a VM changed meanwhile is
// reported as changed by someone else, with Reload, instead of being moved on stale facts.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { migrateVm } from "@/lib/actions/vms/migrate-vm";
import type { ObjectView } from "@/lib/inventory/object-view";
import { migrationTargetsQuery } from "@/lib/queries/migration-queries";
import { objectViewQuery } from "@/lib/queries/object-queries";

function capitalized(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function VmMigrateDialog({ vm, open, onClose }: { vm: ObjectView; open: boolean; onClose: () => void }) {
  return <Dialog open={open} onOpenChange={(next) => !next && onClose()}>{open && <MigrateForm vm={vm} onClose={onClose} />}</Dialog>;
}

function MigrateForm({ vm, onClose }: { vm: ObjectView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { data: targets, error: loadError } = useQuery(migrationTargetsQuery(vm.uid));
  const migrate = useAction(migrateVm);
  const [openedAt, setOpenedAt] = useState(vm.resourceVersion);
  const [host, setHost] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = vm.status.powerState === "PoweredOn";

  const reload = async () => {
    const current = await queryClient.fetchQuery({ ...objectViewQuery(vm.uid), staleTime: 0 });
    setOpenedAt(current.resourceVersion);
    setConflict(null);
  };
  const submit = async () => {
    if (!host) return setError("Choose a compatible host to migrate the VM to.");
    setError(null);
    const result = await migrate.executeAsync({ namespace: vm.namespace, name: vm.name, host, expectedResourceVersion: openedAt });
    if (result?.data?.status === "saved") {
      toast.success(`Migrating ${vm.name} to ${host}`);
      onClose();
    } else if (result?.data?.status === "conflict") setConflict(result.data.message);
    else setError(result?.serverError?.message ?? "The migration was not accepted. Try again.");
  };

  return (
    <DialogContent className="sm:max-w-2xl">
      <DialogHeader>
        <DialogTitle>Migrate {vm.name}</DialogTitle>
        <DialogDescription>
          {live
            ? `${vm.name} is powered on: it moves live (vMotion) and keeps running. Its storage stays where it is.`
            : `${vm.name} is not running: it moves to the new host as it is. Its storage stays where it is.`}{" "}
          Choose a host in {targets?.cluster ?? "its cluster"}.
        </DialogDescription>
      </DialogHeader>
      {conflict && (
        <Alert variant="destructive">
          <AlertTitle>Changed by someone else</AlertTitle>
          <AlertDescription>
            {conflict}
            <Button variant="outline" size="sm" onClick={() => void reload()}>
              <RotateCw aria-hidden /> Reload
            </Button>
          </AlertDescription>
        </Alert>
      )}
      {(error || loadError) && (
        <Alert variant="destructive">
          <AlertDescription>{error ?? "The cluster's hosts could not be loaded."}</AlertDescription>
        </Alert>
      )}
      <Table aria-label="Hosts">
        <TableHeader>
          <TableRow>
            <TableHead className="w-8" />
            <TableHead>Host</TableHead>
            <TableHead>Compatibility</TableHead>
            <TableHead className="text-right">Free memory</TableHead>
            <TableHead className="text-right">Free vCPUs</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {targets?.hosts.map((target) => (
            <TableRow key={target.name} data-state={host === target.name ? "selected" : undefined} className={target.incompatible ? "text-muted-foreground" : "cursor-pointer"} onClick={() => !target.incompatible && setHost(target.name)}>
              <TableCell>
                <input type="radio" name="host" aria-label={target.name} value={target.name} checked={host === target.name} disabled={target.incompatible !== null} onChange={() => setHost(target.name)} />
              </TableCell>
              <TableCell className="font-medium">{target.name}</TableCell>
              <TableCell className={target.incompatible ? "whitespace-normal" : "text-emerald-700 dark:text-emerald-400"}>{target.incompatible ? capitalized(target.incompatible) : "Compatible"}</TableCell>
              <TableCell className="text-right tabular-nums">{target.freeMemoryMiB === null ? "—" : `${(target.freeMemoryMiB / 1024).toFixed(1)} GB`}</TableCell>
              <TableCell className="text-right tabular-nums">{target.freeVcpus ?? "—"}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <DialogFooter>
        <Button variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={!host || migrate.isPending || conflict !== null} onClick={() => void submit()}>
          Migrate
        </Button>
      </DialogFooter>
    </DialogContent>
  );
}
