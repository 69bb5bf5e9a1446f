"use client";
// Actions on the VMs selected in a list: Power On, Power Off, Suspend, Reset, Shut Down Guest OS and
// Delete from Disk. Each VM gets its own task, which shows in Recent Tasks; the toast says how many
// started, names any that were refused, and why, and counts any no longer there. Reset and Delete
// from Disk ask first, naming how many VMs they touch. Assign Tag… tags them all in one call.
// "Move to folder…" (administrators and operators) offers the folders of the first selected VM's
// datacenter.
import { useQuery } from "@tanstack/react-query";
import { FolderInput, Pause, Power, PowerOff, RotateCcw, Tag, Trash2, type LucideIcon } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { MoveVmsToFolderDialog } from "@/components/folders/move-vms-to-folder-dialog";
import { AssignTagDialog } from "@/components/tags/assign-tag-dialog";
import { Button } from "@/components/ui/button";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { runVmBulkOperation, type BulkVmOperation } from "@/lib/actions/vms/run-vm-bulk-operation";
import { objectActionsQuery } from "@/lib/queries/object-queries";
import { VM_INTENTS } from "@/lib/vocabulary/vm-intents";

const OPERATIONS: { operation: BulkVmOperation; icon: LucideIcon; already: string }[] = [
  { operation: "powerOn", icon: Power, already: "already on" },
  { operation: "powerOff", icon: PowerOff, already: "already off" },
  { operation: "suspend", icon: Pause, already: "already suspended" },
  { operation: "reset", icon: RotateCcw, already: "" },
  { operation: "shutdownGuest", icon: PowerOff, already: "already off" },
  { operation: "delete", icon: Trash2, already: "already being deleted" },
];

const vmCount = (count: number) => `${count} VM${count === 1 ? "" : "s"}`;
// The toast's wording, which the list spec reads, stays as the Power On / Power Off toasts had it.
const vmCountInToast = (count: number) => `${count} VM(s)`;

export function VmBulkActions({ uids, onDone }: { uids: string[]; onDone: () => void }) {
  const { executeAsync, isPending } = useAction(runVmBulkOperation);
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  const [tagging, setTagging] = useState(false);
  const [choosingFolder, setChoosingFolder] = useState(false);
  const { data: first } = useQuery({ ...objectActionsQuery(uids[0]!), enabled: uids.length > 0 });
  const folders = first?.actions?.menu === "VirtualMachine" ? first.actions.folders : null;
  const run = async (operation: BulkVmOperation) => {
    const item = OPERATIONS.find((candidate) => candidate.operation === operation)!;
    const { doing } = VM_INTENTS[operation];
    const result = await executeAsync({ uids, operation });
    if (result?.serverError || !result?.data) {
      toast.error(result?.serverError?.message ?? "The request was refused.");
      return;
    }
    const { started, unchanged, failed, notFound } = result.data;
    const already = unchanged > 0 ? ` ${unchanged} ${item.already}.` : "";
    const gone = notFound > 0 ? ` ${vmCount(notFound)} not found: deleted, or not in your namespaces.` : "";
    if (started === 0 && unchanged === 0 && failed.length === 1 && notFound === 0) {
      toast.error(failed[0]!.message);
    } else if (started === 0 && unchanged === 0 && failed.length === 0) {
      toast.error(gone.trim());
    } else if (failed.length > 0 || notFound > 0) {
      const refused = failed.length > 0 ? ` ${failed.length} refused: ${failed.map((failure) => `${failure.name} (${failure.message})`).join("; ")}` : "";
      toast.warning(`${doing} ${vmCountInToast(started)}.${already}${refused}${gone}`);
    } else {
      toast.success(`${doing} ${vmCountInToast(started)}.${already}`);
    }
    onDone();
  };
  const confirmFirst = (operation: BulkVmOperation) => {
    const count = vmCount(uids.length);
    if (operation === "delete") {
      setConfirmation({
        title: `Delete ${count} from disk?`,
        description: `The ${count} selected ${uids.length === 1 ? "is" : "are"} powered off if running, removed from ${uids.length === 1 ? "its host" : "their hosts"} and ${uids.length === 1 ? "its disks are" : "their disks are"} deleted. This cannot be undone.`,
        confirm: `Delete ${count}`,
        run: () => run("delete"),
      });
    } else if (operation === "reset") {
      setConfirmation({
        title: `Reset ${count}?`,
        description: `Reset cuts power to the ${count} selected and starts them again at once: their guest OSes do not shut down cleanly and unsaved work in them is lost. VMs that are not running are refused.`,
        confirm: `Reset ${count}`,
        run: () => run("reset"),
      });
    } else void run(operation);
  };
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-md border border-border bg-accent/50 px-2 py-1">
      <span className="text-sm text-muted-foreground">{uids.length} selected</span>
      {OPERATIONS.map(({ operation, icon: Icon }) => (
        <Button key={operation} size="sm" variant={operation === "delete" ? "destructive" : "outline"} disabled={isPending} onClick={() => confirmFirst(operation)}>
          <Icon aria-hidden />
          {VM_INTENTS[operation].label}
        </Button>
      ))}
      <Button size="sm" variant="outline" onClick={() => setTagging(true)}>
        <Tag aria-hidden />
        Assign Tag…
      </Button>
      {folders && (
        <>
          <Button size="sm" variant="outline" onClick={() => setChoosingFolder(true)}>
            <FolderInput aria-hidden />
            Move to folder…
          </Button>
          <MoveVmsToFolderDialog
            uids={uids}
            label={vmCount(uids.length)}
            folders={folders}
            open={choosingFolder}
            onClose={(moved) => {
              setChoosingFolder(false);
              if (moved) onDone();
            }}
          />
        </>
      )}
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
      <AssignTagDialog uids={uids} kind="VirtualMachine" subject={vmCount(uids.length)} open={tagging} onOpenChange={setTagging} onAssigned={onDone} />
    </div>
  );
}
