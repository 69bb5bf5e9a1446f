"use client";
// VM › Actions › Migrate, as in the vSphere Client: change the compute resource (another host of
// the VM's cluster), the storage (another datastore its hosts mount), or both. Each host and
// datastore says whether it can take the VM now, or why not, by the same rules the engine applies;
// a powered-on VM moves live (vMotion, Storage vMotion). The dialog sends the resourceVersion it
// opened with, so a VM changed meanwhile is reported as changed by someone else, with Reload.
// Opened by dropping the VM on a host, cluster or datastore, it starts with that target chosen,
// or says why that target cannot take the VM.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConflictAlert } from "@/components/vms/conflict-alert";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { migrateVm } from "@/lib/actions/vms/migrate-vm";
import { migrationPreset, type MigrationDropTarget, type MigrationPreset } from "@/lib/inventory/migration-drop";
import type { ObjectView } from "@/lib/inventory/object-view";
import type { MigrationTarget, StorageTarget } from "@/lib/inventory/migration-targets";
import { migrationTargetsQuery } from "@/lib/queries/migration-queries";
import { objectViewQuery } from "@/lib/queries/object-queries";

function capitalized(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

type MigrationType = "compute" | "storage" | "both";

const MIGRATION_TYPES: { value: MigrationType; label: string; detail: string }[] = [
  { value: "compute", label: "Change compute resource only", detail: "Move the VM to another host; its disks stay where they are." },
  { value: "storage", label: "Change storage only", detail: "Move the VM's disks to another datastore; it stays on its host." },
  { value: "both", label: "Change both compute resource and storage", detail: "Move the VM to another host and its disks to another datastore." },
];

export function VmMigrateDialog({ vm, target, open, onClose }: { vm: ObjectView; target?: MigrationDropTarget; open: boolean; onClose: () => void }) {
  return <Dialog open={open} onOpenChange={(next) => !next && onClose()}>{open && <MigrateForm vm={vm} target={target} onClose={onClose} />}</Dialog>;
}

function MigrateForm({ vm, target: dropped, onClose }: { vm: ObjectView; target?: MigrationDropTarget; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { data: targets, error: loadError } = useQuery(migrationTargetsQuery(vm.uid));
  const migrate = useAction(migrateVm);
  const [openedAt, setOpenedAt] = useState(vm.resourceVersion);
  const [type, setType] = useState<MigrationType>(dropped?.kind === "Datastore" ? "storage" : "compute");
  const [host, setHost] = useState<string | null>(null);
  const [datastore, setDatastore] = useState<string | null>(null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preset, setPreset] = useState<MigrationPreset | null>(null);
  // The dropped target is chosen once the hosts and datastores are known, as if clicked.
  if (dropped && targets && !preset) {
    const next = migrationPreset(dropped, targets);
    setPreset(next);
    if (next.host) setHost(next.host);
    if (next.datastore) setDatastore(next.datastore);
  }
  const live = vm.status.powerState === "PoweredOn";
  const changesHost = type !== "storage";
  const changesStorage = type !== "compute";
  const ready = (!changesHost || host !== null) && (!changesStorage || datastore !== null);

  const reload = async () => {
    const current = await queryClient.fetchQuery({ ...objectViewQuery(vm.uid), staleTime: 0 });
    setOpenedAt(current.resourceVersion);
    setConflict(null);
  };
  const submit = async () => {
    if (!ready) return setError(changesHost && !host ? "Choose a compatible host to migrate the VM to." : "Choose a compatible datastore for the VM's disks.");
    setError(null);
    const target = { ...(changesHost && host && { host }), ...(changesStorage && datastore && { datastore }) };
    const result = await migrate.executeAsync({ namespace: vm.namespace, name: vm.name, ...target, expectedResourceVersion: openedAt });
    if (result?.data?.status === "saved") {
      toast.success(`Migrating ${vm.name} to ${[target.host, target.datastore].filter(Boolean).join(" and ")}`);
      onClose();
    } else if (result?.data?.status === "conflict") setConflict(result.data.message);
    else setError(result?.serverError?.message ?? "The migration was not accepted. Try again.");
  };

  return (
    <DialogContent className="sm:max-w-2xl">
      <DialogHeader>
        <DialogTitle>Migrate {vm.name}</DialogTitle>
        <DialogDescription>
          {live ? `${vm.name} is powered on: it moves live (vMotion) and keeps running.` : `${vm.name} is not running: it moves as it is.`}{" "}
          {targets ? (
            <>
              Its host is {targets.currentHost ?? "not chosen yet"} and its disks ({targets.diskGiB} GiB) are on {targets.currentDatastore ?? "no datastore yet"}.
            </>
          ) : (
            <span className="text-muted-foreground">Finding where it runs now…</span>
          )}
        </DialogDescription>
      </DialogHeader>
      <ConflictAlert message={conflict} onReload={() => void reload()} />
      {preset?.notice && (
        <Alert>
          <AlertDescription>{preset.notice}</AlertDescription>
        </Alert>
      )}
      {(error || loadError) && (
        <Alert variant="destructive">
          <AlertDescription>{error ?? "The cluster's hosts and datastores could not be loaded."}</AlertDescription>
        </Alert>
      )}
      <fieldset className="grid gap-1.5">
        <legend className="mb-1 text-sm font-medium">Migration type</legend>
        {MIGRATION_TYPES.map((option) => (
          <label key={option.value} className="flex items-start gap-2 text-sm">
            <input type="radio" name="migration-type" className="mt-1 accent-primary" checked={type === option.value} onChange={() => setType(option.value)} />
            <span>
              {option.label}
              <span className="block text-xs text-muted-foreground">{option.detail}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="grid max-h-[45vh] gap-4 overflow-y-auto">
        {changesHost && <HostTable cluster={targets?.cluster} hosts={targets?.hosts} selected={host} onSelect={setHost} />}
        {changesStorage && <DatastoreTable datastores={targets?.datastores} selected={datastore} onSelect={setDatastore} />}
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={!ready || migrate.isPending || conflict !== null} onClick={() => void submit()}>
          Migrate
        </Button>
      </DialogFooter>
    </DialogContent>
  );
}

function Compatibility({ refusal }: { refusal: string | null }) {
  return <TableCell className={refusal ? "whitespace-normal" : "text-emerald-700 dark:text-emerald-400"}>{refusal ? capitalized(refusal) : "Compatible"}</TableCell>;
}

function HostTable({ cluster, hosts, selected, onSelect }: { cluster: string | undefined; hosts: MigrationTarget[] | undefined; selected: string | null; onSelect: (host: string) => void }) {
  return (
    <Table aria-label="Hosts">
      <TableHeader>
        <TableRow>
          <TableHead className="w-8" />
          <TableHead>Host in {cluster ?? "the cluster"}</TableHead>
          <TableHead>Compatibility</TableHead>
          <TableHead className="text-right">Free memory</TableHead>
          <TableHead className="text-right">Free vCPUs</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {hosts?.map((target) => (
          <TableRow key={target.name} data-state={selected === target.name ? "selected" : undefined} className={target.incompatible ? "text-muted-foreground" : "cursor-pointer"} onClick={() => !target.incompatible && onSelect(target.name)}>
            <TableCell>
              <input type="radio" name="host" aria-label={target.name} value={target.name} checked={selected === target.name} disabled={target.incompatible !== null} onChange={() => onSelect(target.name)} />
            </TableCell>
            <TableCell className="font-medium">{target.name}</TableCell>
            <Compatibility refusal={target.incompatible} />
            <TableCell className="text-right tabular-nums">{target.freeMemoryMiB === null ? "—" : `${(target.freeMemoryMiB / 1024).toFixed(1)} GiB`}</TableCell>
            <TableCell className="text-right tabular-nums">{target.freeVcpus ?? "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function DatastoreTable({ datastores, selected, onSelect }: { datastores: StorageTarget[] | undefined; selected: string | null; onSelect: (datastore: string) => void }) {
  return (
    <Table aria-label="Datastores">
      <TableHeader>
        <TableRow>
          <TableHead className="w-8" />
          <TableHead>Datastore</TableHead>
          <TableHead>Type</TableHead>
          <TableHead>Compatibility</TableHead>
          <TableHead className="text-right">Free space</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {datastores?.map((target) => (
          <TableRow key={target.name} data-state={selected === target.name ? "selected" : undefined} className={target.incompatible ? "text-muted-foreground" : "cursor-pointer"} onClick={() => !target.incompatible && onSelect(target.name)}>
            <TableCell>
              <input type="radio" name="datastore" aria-label={target.name} value={target.name} checked={selected === target.name} disabled={target.incompatible !== null} onChange={() => onSelect(target.name)} />
            </TableCell>
            <TableCell className="font-medium">{target.name}</TableCell>
            <TableCell className="uppercase text-muted-foreground">{target.type || "—"}</TableCell>
            <Compatibility refusal={target.incompatible} />
            <TableCell className="text-right tabular-nums">{target.freeGiB === null ? "—" : `${target.freeGiB.toLocaleString()} GiB`}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
