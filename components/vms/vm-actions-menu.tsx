"use client";
// A VM's "Actions" menu in its page header, as in the vSphere Client: power operations (Reset and
// Restart Guest OS among them), Launch Web Console, Migrate, Clone (to a VM or a template),
// Snapshots, Edit Settings, Rename, Move To Folder and Delete from Disk. An item that does not apply right now is disabled and says why.
// Live: it follows the VM's page query, so the items change as the power state does.
import { useQuery } from "@tanstack/react-query";
import { ArrowRightLeft, Camera, Copy, FolderInput, History, LayoutTemplate, Monitor, MonitorPlay, Pause, Pencil, Power, PowerOff, RotateCcw, RotateCw, Settings, Trash2, type LucideIcon } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { MoveVmsToFolderDialog } from "@/components/folders/move-vms-to-folder-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { useFreshActions } from "@/components/objects/actions/use-fresh-actions";
import { DropdownMenuItem, DropdownMenuSeparator, DropdownMenuSub, DropdownMenuSubContent, DropdownMenuSubTrigger } from "@/components/ui/dropdown-menu";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { CloneToTemplateDialog } from "@/components/vms/clone-to-template-dialog";
import { ManageSnapshotsDialog } from "@/components/vms/manage-snapshots-dialog";
import { NewVmWizard, type CloneSource } from "@/components/vms/new-vm-wizard";
import { TakeSnapshotDialog } from "@/components/vms/take-snapshot-dialog";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { VmEditSettingsDialog } from "@/components/vms/vm-edit-settings-dialog";
import { VmMigrateDialog } from "@/components/vms/vm-migrate-dialog";
import { VmRenameDialog } from "@/components/vms/vm-rename-dialog";
import { deleteVm } from "@/lib/actions/vms/delete-vm";
import { restartVm } from "@/lib/actions/vms/restart-vm";
import { setVmPowerState } from "@/lib/actions/vms/set-vm-power-state";
import { quantityToMiB } from "@/lib/engine/schemas";
import type { FolderChoice } from "@/lib/inventory/folder-reads";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectViewQuery, webConsoleQuery } from "@/lib/queries/object-queries";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";
import { VM_INTENTS, type PowerIntentName, type RestartIntentName } from "@/lib/vocabulary/vm-intents";

type PowerOperation = PowerIntentName | RestartIntentName;

const POWER_ITEMS: { operation: PowerOperation; icon: LucideIcon }[] = [
  { operation: "powerOn", icon: Power },
  { operation: "powerOff", icon: PowerOff },
  { operation: "suspend", icon: Pause },
  { operation: "reset", icon: RotateCcw },
  { operation: "shutdownGuest", icon: PowerOff },
  { operation: "restartGuest", icon: RotateCw },
];

const STATE_WORDS: Record<string, string> = { PoweredOn: "powered on", PoweredOff: "powered off", Suspended: "suspended" };

/** Why a power operation does not apply to the VM as it is now, or null when it does. */
function whyNot(operation: PowerOperation, vm: ObjectView): string | null {
  if (vm.deletionTimestamp) return "The VM is being deleted.";
  const desired = String(vm.spec.powerState ?? "");
  const observed = String(vm.status.powerState ?? "");
  const settled = desired === observed;
  switch (operation) {
    case "powerOn":
      return desired === "PoweredOn" ? (settled ? "The VM is already powered on." : "The VM is already powering on.") : null;
    case "powerOff":
      if (desired === "PoweredOff" && vm.spec.powerOffMode === "Hard") return settled ? "The VM is already powered off." : "The VM is already powering off.";
      return observed === "PoweredOff" && settled ? "The VM is already powered off." : null;
    case "suspend":
    case "reset":
    case "shutdownGuest":
    case "restartGuest":
      if (observed === "PoweredOn" && desired === "PoweredOn") return null;
      return settled ? `The guest OS is not running: the VM is ${STATE_WORDS[observed] ?? observed}.` : "The VM is changing its power state; wait until it has finished.";
  }
}

function cloneSourceOf(vm: ObjectView): CloneSource {
  const interfaces = (vm.spec.network as { interfaces?: { network?: { name: string } }[] } | undefined)?.interfaces ?? [];
  const hardware = vm.spec.hardware as { cpus: number; memory: string } | undefined;
  return {
    namespace: vm.namespace,
    name: vm.name,
    className: String(vm.spec.className ?? ""),
    imageName: String(vm.spec.imageName ?? ""),
    hardware: hardware && { cpus: hardware.cpus, memoryMiB: quantityToMiB(hardware.memory) },
    networks: interfaces.map((entry) => entry.network?.name ?? ""),
  };
}

/** Snapshots and clones need the VM's disks, which exist once it is created on a host. */
function whyNoDisks(vm: ObjectView): string | null {
  if (vm.deletionTimestamp) return "The VM is being deleted.";
  if (!vm.status.uniqueID) return "The VM has not been created on a host yet.";
  return null;
}

function whyNoRename(vm: ObjectView): string | null {
  if (vm.deletionTimestamp) return "The VM is being deleted.";
  if (!vm.status.uniqueID) return "The VM has not been created on a host yet.";
  return null;
}

/**
 * `canMigrate`: choosing a host is for administrators and operators, not a namespace's editors;
 * `folders`: the datacenter's VM folders Move To Folder offers, null when the user may not move it.
 */
export function VmActionsMenu({ uid, canMigrate = true, folders: folderChoices = null }: { uid: string; canMigrate?: boolean; folders?: FolderChoice[] | null }) {
  const { data: vm } = useQuery(objectViewQuery(uid, "VirtualMachine"));
  const webConsoleRead = useQuery(webConsoleQuery(uid));
  const webConsole = webConsoleRead.data?.console;
  const power = useAction(setVmPowerState);
  const restart = useAction(restartVm);
  const remove = useAction(deleteVm);
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  const [dialog, setDialog] = useState<"migrate" | "editSettings" | "rename" | "moveToFolder" | "cloneToVm" | "cloneToTemplate" | null>(null);
  const [snapshotDialog, setSnapshotDialog] = useState<"take" | "manage" | null>(null);
  const fresh = useFreshActions(uid, dialog === "moveToFolder");
  const folders = fresh?.menu === "VirtualMachine" && fresh.folders ? fresh.folders : folderChoices;
  if (!vm) return null;
  const busy = power.isPending || restart.isPending || remove.isPending;

  const runPower = async (operation: PowerOperation) => {
    const item = VM_INTENTS[operation];
    const target = { namespace: vm.namespace, name: vm.name };
    const result = operation === "reset" || operation === "restartGuest" ? await restart.executeAsync({ ...target, operation }) : await power.executeAsync({ ...target, operation });
    if (result?.data) toast.success(`${item.doing} ${vm.name}`);
    else toast.error(`${item.label} ${vm.name} was refused: ${result?.serverError?.message ?? "the request was not accepted."}`);
  };
  const runDelete = async () => {
    const result = await remove.executeAsync({ namespace: vm.namespace, name: vm.name });
    if (result?.data) toast.success(`Deleting ${vm.name} from disk`);
    else toast.error(`Delete from Disk of ${vm.name} was refused: ${result?.serverError?.message ?? "the request was not accepted."}`);
  };
  const datastore = String(vm.spec.storageClass ?? "its datastore");

  return (
    <>
      <ActionsMenu disabled={busy} className="w-60">
        {POWER_ITEMS.map(({ operation, icon: Icon }) => (
          <MenuItem
            key={operation}
            label={VM_INTENTS[operation].label}
            icon={Icon}
            reason={whyNot(operation, vm)}
            onSelect={() =>
              operation === "powerOff"
                ? setConfirmation({
                    title: `Power off ${vm.name}?`,
                    description: `${VM_INTENTS.powerOff.label} cuts power to the VM at once: the guest OS does not shut down cleanly and unsaved work in it is lost. Use ${VM_INTENTS.shutdownGuest.label} to stop it cleanly.`,
                    confirm: VM_INTENTS.powerOff.label,
                    run: () => runPower("powerOff"),
                  })
                : operation === "reset"
                  ? setConfirmation({
                      title: `Reset ${vm.name}?`,
                      description: `${VM_INTENTS.reset.label} cuts power to the VM and starts it again at once: the guest OS does not shut down cleanly and unsaved work in it is lost. Use ${VM_INTENTS.restartGuest.label} to restart it cleanly.`,
                      confirm: VM_INTENTS.reset.label,
                      run: () => runPower("reset"),
                    })
                  : void runPower(operation)
            }
          />
        ))}
        <DropdownMenuSeparator />
        <MenuItem
          label="Launch Web Console"
          icon={MonitorPlay}
          reason={vm.deletionTimestamp ? "The VM is being deleted." : webConsole ? webConsole.unavailable : webConsoleRead.isError ? "Whether the VM has a web console could not be read." : "Checking whether the VM has a web console…"}
          onSelect={() => webConsole && window.open(webConsole.path, "_blank", "noopener")}
        />
        <DropdownMenuSeparator />
        {canMigrate && <MenuItem label="Migrate…" icon={ArrowRightLeft} reason={vm.deletionTimestamp ? "The VM is being deleted." : !vm.status.host ? "The VM is not placed on a host yet." : null} onSelect={() => setDialog("migrate")} />}
        <DropdownMenuSub>
          <DropdownMenuSubTrigger>
            <Copy aria-hidden /> Clone
          </DropdownMenuSubTrigger>
          <DropdownMenuSubContent className="w-56">
            <MenuItem label="Clone to Virtual Machine…" icon={Monitor} reason={whyNoDisks(vm)} onSelect={() => setDialog("cloneToVm")} />
            <MenuItem label="Clone to Template…" icon={LayoutTemplate} reason={whyNoDisks(vm)} onSelect={() => setDialog("cloneToTemplate")} />
          </DropdownMenuSubContent>
        </DropdownMenuSub>
        <DropdownMenuSub>
          <DropdownMenuSubTrigger>
            <Camera aria-hidden /> Snapshots
          </DropdownMenuSubTrigger>
          <DropdownMenuSubContent className="w-52">
            <MenuItem label="Take Snapshot…" icon={Camera} reason={whyNoDisks(vm)} onSelect={() => setSnapshotDialog("take")} />
            <MenuItem label="Manage Snapshots…" icon={History} reason={null} onSelect={() => setSnapshotDialog("manage")} />
          </DropdownMenuSubContent>
        </DropdownMenuSub>
        <DropdownMenuSeparator />
        <MenuItem label="Edit Settings…" icon={Settings} reason={vm.deletionTimestamp ? "The VM is being deleted." : null} onSelect={() => setDialog("editSettings")} />
        <MenuItem label="Rename…" icon={Pencil} reason={whyNoRename(vm)} onSelect={() => setDialog("rename")} />
        {folders && <MenuItem label="Move To Folder…" icon={FolderInput} reason={vm.deletionTimestamp ? "The VM is being deleted." : null} onSelect={() => setDialog("moveToFolder")} />}
        <DropdownMenuSeparator />
        <MenuItem
          label="Delete from Disk"
          icon={Trash2}
          destructive
          reason={vm.deletionTimestamp ? "The VM is already being deleted." : null}
          onSelect={() =>
            setConfirmation({
              title: `Delete ${vm.name} from disk?`,
              description: `${vm.name} in namespace ${vm.namespace} is powered off if it is running, removed from its host and its disks on ${datastore} are deleted. This cannot be undone.`,
              confirm: "Delete from Disk",
              run: runDelete,
            })
          }
        />
      </ActionsMenu>
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
      <VmMigrateDialog vm={vm} open={dialog === "migrate"} onClose={() => setDialog(null)} />
      <VmEditSettingsDialog vm={vm} open={dialog === "editSettings"} onClose={() => setDialog(null)} />
      <VmRenameDialog vm={vm} open={dialog === "rename"} onClose={() => setDialog(null)} />
      {folders && (
        <MoveVmsToFolderDialog
          uids={[uid]}
          label={vm.name}
          folders={folders}
          current={folders.find((folder) => folder.uid === vm.labels[FOLDER_LABEL])?.name ?? null}
          open={dialog === "moveToFolder"}
          onClose={() => setDialog(null)}
        />
      )}
      <CloneToTemplateDialog vm={vm} open={dialog === "cloneToTemplate"} onClose={() => setDialog(null)} />
      <NewVmWizard open={dialog === "cloneToVm"} onOpenChange={(open) => !open && setDialog(null)} start={{}} source={cloneSourceOf(vm)} />
      <TakeSnapshotDialog vm={vm} open={snapshotDialog === "take"} onOpenChange={(open) => !open && setSnapshotDialog(null)} />
      <ManageSnapshotsDialog uid={uid} open={snapshotDialog === "manage"} onOpenChange={(open) => !open && setSnapshotDialog(null)} />
    </>
  );
}

function MenuItem({ label, icon: Icon, reason, destructive, onSelect }: { label: string; icon: LucideIcon; reason: string | null; destructive?: boolean; onSelect: () => void }) {
  const item = (
    <DropdownMenuItem disabled={reason !== null} variant={destructive ? "destructive" : "default"} onSelect={onSelect}>
      <Icon aria-hidden /> {label}
      {reason !== null && <span className="sr-only">: {reason}</span>}
    </DropdownMenuItem>
  );
  if (reason === null) return item;
  // A disabled item takes no pointer events, so the tooltip hangs on a wrapper around it.
  return (
    <Tooltip>
      <TooltipTrigger asChild>
        <div>{item}</div>
      </TooltipTrigger>
      <TooltipContent side="left">{reason}</TooltipContent>
    </Tooltip>
  );
}
