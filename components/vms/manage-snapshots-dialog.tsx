"use client";
// VM › Actions › Snapshots › Manage Snapshots, as in the vSphere Client: the snapshot tree with
// "You are here" under the snapshot the VM's state builds on, the selected snapshot's details,
// and Revert to, Delete and Delete All, each confirmed first. Live: it reads the VM's page query,
// so the tree changes as the engine carries the requests out.
import { useQuery } from "@tanstack/react-query";
import { Camera, MapPin } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { changeVmSnapshots } from "@/lib/actions/vms/change-vm-snapshots";
import type { VirtualMachineStatus } from "@/lib/engine/controllers/vm-controller";
import type { SnapshotRequest } from "@/lib/engine/schemas";
import { flattenSnapshotTree, type SnapshotNode } from "@/lib/engine/snapshot-tree";
import { objectViewQuery } from "@/lib/queries/object-queries";
import { cn } from "@/lib/utils";

type Operation = "revert" | "delete" | "deleteAll";

const STARTED: Record<Operation, string> = { revert: "Reverting", delete: "Deleting a snapshot of", deleteAll: "Deleting all snapshots of" };
const LABELS: Record<Operation, string> = { revert: "Revert to", delete: "Delete", deleteAll: "Delete All" };

export function ManageSnapshotsDialog({ uid, open, onOpenChange }: { uid: string; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-3xl">{open && <ManageSnapshots uid={uid} onDone={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

function ManageSnapshots({ uid, onDone }: { uid: string; onDone: () => void }) {
  const { data: vm } = useQuery(objectViewQuery(uid, "VirtualMachine"));
  const { executeAsync, isPending } = useAction(changeVmSnapshots);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  if (!vm) return null;

  const status = vm.status as VirtualMachineStatus;
  const rows = flattenSnapshotTree(status.snapshots ?? []);
  const selected = rows.find(({ node }) => node.id === (selectedId ?? status.currentSnapshot))?.node ?? null;
  const request = vm.spec.snapshotRequest as SnapshotRequest | undefined;
  const working = request !== undefined && request.id !== status.snapshotRequestDone;
  const disabled = isPending || working;

  const run = async (operation: Operation, snapshot?: SnapshotNode) => {
    const target = { namespace: vm.namespace, name: vm.name };
    const result = await executeAsync(operation === "deleteAll" ? { operation, ...target } : { operation, ...target, snapshotId: snapshot!.id });
    if (result?.data) toast.success(`${STARTED[operation]} ${vm.name}${snapshot ? ` (snapshot "${snapshot.name}")` : ""}`);
    else toast.error(`${LABELS[operation]} was refused: ${result?.serverError?.message ?? "the request was not accepted."}`);
  };

  const confirmationFor = (operation: "revert" | "delete", snapshot: SnapshotNode): VmConfirmation =>
    operation === "revert"
      ? {
          title: `Revert to "${snapshot.name}"?`,
          description: `${vm.name}'s current state is lost unless a snapshot holds it. ${snapshot.includesMemory ? "The snapshot includes memory: the VM resumes powered on." : "The snapshot has no memory: the VM is powered off."}`,
          confirm: "Revert",
          run: () => run("revert", snapshot),
        }
      : {
          title: `Delete snapshot "${snapshot.name}"?`,
          description: "Its changes are merged into the snapshots that depend on it and the VM's current state is unchanged. Its children move up to its parent.",
          confirm: "Delete",
          run: () => run("delete", snapshot),
        };

  return (
    <>
      <DialogHeader>
        <DialogTitle>Manage Snapshots</DialogTitle>
        <DialogDescription>{vm.name}</DialogDescription>
      </DialogHeader>
      <div className="grid min-h-64 gap-4 sm:grid-cols-[1fr_1fr]">
        <div className="overflow-auto rounded-md border p-1">
          {rows.length === 0 ? (
            <p className="p-3 text-sm text-muted-foreground">This virtual machine has no snapshots.</p>
          ) : (
            <ul role="tree" aria-label="Snapshots" className="text-sm">
              {rows.map(({ node, depth }) => (
                <SnapshotRow key={node.id} node={node} depth={depth} selected={node.id === selected?.id} current={node.id === status.currentSnapshot} onSelect={() => setSelectedId(node.id)} />
              ))}
            </ul>
          )}
        </div>
        <SnapshotDetails snapshot={selected} />
      </div>
      {working && (
        <p role="status" className="text-sm text-muted-foreground">
          Working on the last snapshot request; the tree updates when it is done.
        </p>
      )}
      <DialogFooter className="sm:justify-between">
        <div className="flex gap-2">
          {(["revert", "delete"] as const).map((operation) => (
            <Button key={operation} variant="outline" disabled={disabled || !selected} onClick={() => selected && setConfirmation(confirmationFor(operation, selected))}>
              {LABELS[operation]}
            </Button>
          ))}
          <Button
            variant="outline"
            disabled={disabled || rows.length === 0}
            onClick={() =>
              setConfirmation({
                title: `Delete all snapshots of ${vm.name}?`,
                description: `All ${rows.length} snapshot${rows.length === 1 ? "" : "s"} are deleted; the VM keeps its current state. You can no longer revert to any of them.`,
                confirm: "Delete All",
                run: () => run("deleteAll"),
              })
            }
          >
            Delete All
          </Button>
        </div>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </>
  );
}

function SnapshotRow({ node, depth, selected, current, onSelect }: { node: SnapshotNode; depth: number; selected: boolean; current: boolean; onSelect: () => void }) {
  return (
    <>
      <li
        role="treeitem"
        aria-level={depth + 1}
        aria-selected={selected}
        tabIndex={0}
        onClick={onSelect}
        onKeyDown={(event) => (event.key === "Enter" || event.key === " ") && (event.preventDefault(), onSelect())}
        style={{ paddingLeft: `${0.5 + depth * 1.25}rem` }}
        className={cn("flex cursor-default items-center gap-2 rounded-sm py-1 pr-2 outline-none focus-visible:ring-2 focus-visible:ring-ring", selected ? "bg-accent text-accent-foreground" : "hover:bg-muted")}
      >
        <Camera aria-hidden className="size-4 shrink-0 text-muted-foreground" />
        <span className="truncate">{node.name}</span>
      </li>
      {current && (
        <li role="treeitem" aria-level={depth + 2} aria-selected={false} style={{ paddingLeft: `${0.5 + (depth + 1) * 1.25}rem` }} className="flex items-center gap-2 py-1 pr-2 font-medium text-primary">
          <MapPin aria-hidden className="size-4 shrink-0" /> You are here
        </li>
      )}
    </>
  );
}

function SnapshotDetails({ snapshot }: { snapshot: SnapshotNode | null }) {
  if (!snapshot) return <p className="self-center text-center text-sm text-muted-foreground">Select a snapshot to see its details.</p>;
  const facts: [string, React.ReactNode][] = [
    ["Name", snapshot.name],
    ["Description", snapshot.description || "—"],
    ["Created", <DateTime key="created" value={snapshot.createdAt} />],
    ["Memory", snapshot.includesMemory ? "Included: reverting resumes the VM powered on" : "Not included: reverting leaves the VM powered off"],
    ["Hardware", `${snapshot.hardware.cpus} vCPU, ${snapshot.hardware.memoryMiB / 1024} GiB memory, ${snapshot.hardware.diskGiB} GiB disk`],
  ];
  return (
    <dl aria-label="Snapshot details" className="grid content-start gap-x-4 gap-y-2 text-sm sm:grid-cols-[auto_1fr]">
      {facts.map(([term, value]) => (
        <div key={term} className="contents">
          <dt className="text-muted-foreground">{term}</dt>
          <dd className="break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
