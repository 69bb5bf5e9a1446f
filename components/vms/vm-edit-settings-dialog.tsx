"use client";
// VM › Actions › Edit Settings, as the vSphere Client's Virtual Hardware: the VM class, or custom
// CPUs and memory (the class stays, for its reservation policy); Hard disk 1, which can only grow;
// the network adapters; and Add New Device's hard disks and CD/DVD drives. What needs the VM powered off is said beside the field as you type,
// in the words the engine refuses it with (lib/engine/vm-settings-rules). The dialog sends the
// spec generation it opened with: a VM reconfigured meanwhile is "changed by someone else", with Reload.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { formatMiB } from "@/components/objects/summary/summary-parts";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConflictAlert } from "@/components/vms/conflict-alert";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { VmCdromDrives, VmHardDisks, type DiskRow } from "@/components/vms/vm-added-devices";
import { VmNetworkAdapters } from "@/components/vms/vm-network-adapters";
import { editVmSettings } from "@/lib/actions/vms/edit-vm-settings";
import { quantityToMiB, type VirtualMachineSpec } from "@/lib/engine/schemas";
import { addedDisksOf, cdromsOf, diskShrinkRefusal } from "@/lib/engine/vm-device-rules";
import { settingsIssue, settingsRefusals, vmSettingsInputSchema, type SettingsRefusal, type VmAdapter, type VmSettings } from "@/lib/engine/vm-settings-rules";
import type { ObjectView } from "@/lib/inventory/object-view";
import { newVmChoicesQuery } from "@/lib/queries/new-vm-queries";
import type { CdromDrive } from "@/lib/provider/provider";
import { objectViewQuery } from "@/lib/queries/object-queries";

type Field = SettingsRefusal["field"] | "className" | "settings" | "disks" | "cdroms";

type Spec = Partial<Pick<VirtualMachineSpec, "className" | "hardware" | "advanced" | "network" | "volumes" | "cdrom">>;

/** The VM as it is: what its host reports, and its spec's adapters, added disks and CD/DVD drives. */
function currentOf(vm: ObjectView): VmSettings & { className: string; custom: boolean; disks: DiskRow[]; cdroms: CdromDrive[] } {
  const spec = vm.spec as Spec;
  const hardware = (vm.status.hardware ?? {}) as { cpus?: number; memoryMiB?: number; diskGiB?: number };
  const bootDisk = spec.advanced?.bootDiskCapacity ? Math.ceil(quantityToMiB(spec.advanced.bootDiskCapacity) / 1024) : 0;
  return {
    className: spec.className ?? "",
    custom: spec.hardware !== undefined,
    cpus: hardware.cpus ?? spec.hardware?.cpus ?? 0,
    memoryMiB: hardware.memoryMiB ?? (spec.hardware ? quantityToMiB(spec.hardware.memory) : 0),
    diskGiB: Math.max(hardware.diskGiB ?? 0, bootDisk),
    adapters: (spec.network?.interfaces ?? []).map((entry) => ({ name: entry.name, network: entry.network?.name ?? "" })),
    disks: addedDisksOf(spec).map((disk) => ({ name: disk.name, sizeGiB: String(disk.capacityGiB) })),
    cdroms: cdromsOf(spec),
  };
}

const toDisks = (rows: DiskRow[]) => rows.map((row) => ({ name: row.name, capacityGiB: Number(row.sizeGiB) }));

export function VmEditSettingsDialog({ vm, open, onClose }: { vm: ObjectView; open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()}>
      {open && <EditSettingsForm key={vm.uid} vm={vm} onClose={onClose} />}
    </Dialog>
  );
}

/** What the engine would refuse, said as you type; saving anyway gets the engine's refusal. */
function Hint({ text }: { text: string | undefined }) {
  return text ? <p className="mt-1.5 text-xs text-amber-700 dark:text-amber-400">{text}</p> : null;
}

function EditSettingsForm({ vm: opened, onClose }: { vm: ObjectView; onClose: () => void }) {
  const queryClient = useQueryClient();
  const { data: choices } = useQuery(newVmChoicesQuery(opened.namespace));
  const save = useAction(editVmSettings);
  const [vm, setVm] = useState(opened);
  const current = currentOf(vm);
  const [className, setClassName] = useState(current.className);
  const [custom, setCustom] = useState(current.custom);
  const [cpus, setCpus] = useState(String(current.cpus));
  const [memoryGb, setMemoryGb] = useState(String(current.memoryMiB / 1024));
  const [diskGb, setDiskGb] = useState(String(current.diskGiB));
  const [adapters, setAdapters] = useState<VmAdapter[]>(current.adapters);
  const [disks, setDisks] = useState<DiskRow[]>(current.disks);
  const [cdroms, setCdroms] = useState<CdromDrive[]>(current.cdroms);
  const [refused, setRefused] = useState<{ errors: Partial<Record<Field, string>>; values: string }>({ errors: {}, values: "" });
  const [conflict, setConflict] = useState<string | null>(null);

  const vmClass = choices?.classes.find((option) => option.name === className);
  const poweredOff = vm.spec.powerState === "PoweredOff" && (vm.status.powerState ?? "PoweredOff") === "PoweredOff";
  const values = {
    className,
    hardware: custom ? { cpus: Number(cpus), memoryMiB: Math.round(Number(memoryGb) * 1024) } : null,
    diskGiB: Number(diskGb),
    adapters,
    disks: disks.map((disk) => ({ name: disk.name, sizeGiB: Number(disk.sizeGiB) })),
    cdroms,
  };
  const desired: VmSettings = { cpus: values.hardware?.cpus ?? vmClass?.cpus ?? current.cpus, memoryMiB: values.hardware?.memoryMiB ?? vmClass?.memoryMiB ?? current.memoryMiB, diskGiB: values.diskGiB, adapters };
  // A refusal belongs to the values it was given for; editing them clears it.
  const errors = refused.values === JSON.stringify(values) ? refused.errors : {};
  const setErrors = (next: Partial<Record<Field, string>>) => setRefused({ errors: next, values: JSON.stringify(values) });
  const hints = Object.fromEntries(settingsRefusals(current, desired, { poweredOff, sizedByClass: !custom }).map((refusal) => [refusal.field, refusal.message])) as Partial<Record<Field, string>>;
  const diskShrink = diskShrinkRefusal(toDisks(current.disks), toDisks(disks))?.message;
  const isoImages = (choices?.images ?? []).filter((image) => image.iso).map((image) => image.name);
  const classChangeWaits = !poweredOff && !custom && className !== current.className;

  const reload = async () => {
    // The form starts over from the VM as it now is, as when it was first opened.
    const fresh = await queryClient.fetchQuery({ ...objectViewQuery(vm.uid), staleTime: 0 });
    const now = currentOf(fresh);
    setVm(fresh);
    setClassName(now.className);
    setCustom(now.custom);
    setCpus(String(now.cpus));
    setMemoryGb(String(now.memoryMiB / 1024));
    setDiskGb(String(now.diskGiB));
    setAdapters(now.adapters);
    setDisks(now.disks);
    setCdroms(now.cdroms);
    setConflict(null);
  };
  const submit = async () => {
    const parsed = vmSettingsInputSchema.safeParse(values);
    if (!parsed.success) {
      const { field, message } = settingsIssue(parsed.error.issues[0]!);
      return setErrors({ [field as Field]: message });
    }
    setErrors({});
    const result = await save.executeAsync({ namespace: vm.namespace, name: vm.name, settings: parsed.data, expectedGeneration: vm.generation });
    if (result?.data?.status === "saved") {
      toast.success(`Reconfiguring ${vm.name}`);
      onClose();
    } else if (result?.data?.status === "conflict") setConflict(result.data.message);
    else setErrors({ [(result?.serverError?.field as Field | undefined) ?? "settings"]: result?.serverError?.message ?? "The settings were not accepted. Try again." });
  };

  return (
    <DialogContent className="sm:max-w-2xl">
      <DialogHeader>
        <DialogTitle>Edit Settings — {vm.name}</DialogTitle>
        <DialogDescription>
          {poweredOff
            ? `${vm.name} is powered off: every change applies.`
            : `${vm.name} is not powered off: CPUs, memory and network adapters can be added and the disk can grow; removing CPUs, memory or an adapter needs the VM powered off.`}
        </DialogDescription>
      </DialogHeader>
      <ConflictAlert message={conflict} onReload={() => void reload()} />
      {errors.settings && (
        <Alert variant="destructive">
          <AlertDescription>{errors.settings}</AlertDescription>
        </Alert>
      )}
      <div className="grid max-h-[60vh] gap-5 overflow-y-auto pr-1">
        <FormField label="VM class" htmlFor="settings-class" error={errors.className} description={classChangeWaits ? "A new class applies the next time the VM is powered off, as in vm-operator." : undefined}>
          <Select value={className} onValueChange={setClassName}>
            <SelectTrigger id="settings-class" className="w-full">
              <SelectValue placeholder="Choose a class" />
            </SelectTrigger>
            <SelectContent>
              {choices?.classes.map((option) => (
                <SelectItem key={option.name} value={option.name}>
                  {option.name} <span className="text-muted-foreground">— {option.cpus} vCPU, {formatMiB(option.memoryMiB)}{option.reserved ? ", reserved" : ""}</span>
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        </FormField>
        <fieldset className="grid gap-3">
          <legend className="mb-1 text-sm font-medium">CPU and memory</legend>
          <div className="flex gap-6 text-sm">
            <label className="flex items-center gap-2">
              <input type="radio" name="sizing" className="accent-primary" checked={!custom} onChange={() => setCustom(false)} />
              As the VM class sizes it{vmClass ? ` (${vmClass.cpus} vCPU, ${formatMiB(vmClass.memoryMiB)})` : ""}
            </label>
            <label className="flex items-center gap-2">
              <input type="radio" name="sizing" className="accent-primary" checked={custom} onChange={() => setCustom(true)} />
              Custom
            </label>
          </div>
          <div className="grid grid-cols-2 gap-4">
            <div>
              <FormField label="CPU" htmlFor="settings-cpus" error={errors.cpus} description={`vCPUs; now ${current.cpus}.`}>
                <Input id="settings-cpus" type="number" min={1} max={128} disabled={!custom} value={custom ? cpus : String(desired.cpus)} onChange={(event) => setCpus(event.target.value)} />
              </FormField>
              <Hint text={custom && !errors.cpus ? hints.cpus : undefined} />
            </div>
            <div>
              <FormField label="Memory (GiB)" htmlFor="settings-memory" error={errors.memoryMiB} description={`Now ${formatMiB(current.memoryMiB)}.`}>
                <Input id="settings-memory" type="number" min={0.25} step={0.25} disabled={!custom} value={custom ? memoryGb : String(desired.memoryMiB / 1024)} onChange={(event) => setMemoryGb(event.target.value)} />
              </FormField>
              <Hint text={custom && !errors.memoryMiB ? hints.memoryMiB : undefined} />
            </div>
          </div>
          {custom && <p className="text-xs text-muted-foreground">The VM keeps class {className} for its reservation policy: a guaranteed class reserves the custom size in full, a best-effort one nothing.</p>}
        </fieldset>
        <div>
          <FormField label="Hard disk 1 (GiB)" htmlFor="settings-disk" error={errors.diskGiB} description={`Now ${current.diskGiB} GiB. A disk can only grow, never shrink; it can grow while the VM runs.`}>
            <Input id="settings-disk" type="number" min={current.diskGiB} value={diskGb} onChange={(event) => setDiskGb(event.target.value)} className="w-40" />
          </FormField>
          <Hint text={errors.diskGiB ? undefined : hints.diskGiB} />
        </div>
        <VmHardDisks disks={disks} onChange={setDisks} error={errors.disks} hint={diskShrink} vmName={vm.name} />
        <VmNetworkAdapters adapters={adapters} networks={choices?.placement?.networks ?? []} onChange={setAdapters} error={errors.adapters} hint={hints.adapters} />
        <VmCdromDrives drives={cdroms} isoImages={isoImages} onChange={setCdroms} error={errors.cdroms} />
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button disabled={save.isPending || conflict !== null} onClick={() => void submit()}>
          OK
        </Button>
      </DialogFooter>
    </DialogContent>
  );
}
