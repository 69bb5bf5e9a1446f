"use client";
// Edit Settings' added devices, as the vSphere Client's Add New Device: hard disks besides Hard
// disk 1 (a size that only grows; removing one the VM has is confirmed) and CD/DVD drives backed by
// an ISO image of the content library that the namespace may use, connected or not.
import { Disc3, HardDrive, X } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { MAX_ADDED_DISKS, MAX_CDROMS, MAX_DISK_GIB } from "@/lib/engine/schemas";
import { addedDiskLabel, cdromLabel } from "@/lib/engine/vm-device-rules";
import type { CdromDrive } from "@/lib/provider/provider";

/** A disk as the form holds it: its volume name (empty while being added) and the size typed. */
export interface DiskRow {
  name: string;
  sizeGiB: string;
}

/** A new disk's size until the user types another, as vSphere's Add Hard Disk proposes. */
const NEW_DISK_GIB = "16";

function Problem({ error, hint }: { error?: string; hint?: string }) {
  if (error) {
    return (
      <p role="alert" className="text-xs text-destructive">
        {error}
      </p>
    );
  }
  return hint ? <p className="text-xs text-amber-700 dark:text-amber-400">{hint}</p> : null;
}

/** A device list: its heading with the Add button, then its rows. */
function DeviceSection({ id, title, add, children }: { id: string; title: string; add: { label: string; icon: React.ReactNode; disabled: boolean; onClick: () => void }; children: React.ReactNode }) {
  return (
    <div className="grid gap-2" role="group" aria-labelledby={id}>
      <div className="flex items-center justify-between">
        <h3 id={id} className="text-sm font-medium">
          {title}
        </h3>
        <Button type="button" size="sm" variant="outline" disabled={add.disabled} onClick={add.onClick}>
          {add.icon} {add.label}
        </Button>
      </div>
      {children}
    </div>
  );
}

function RowLabel({ htmlFor, label, isNew }: { htmlFor: string; label: string; isNew: boolean }) {
  return (
    <label htmlFor={htmlFor} className="text-sm">
      {label}
      {isNew && <span className="ml-1 text-xs text-muted-foreground">(new)</span>}
    </label>
  );
}

/** The list with the item at `index` replaced, or removed when `item` is null. */
const replaceAt = <T,>(list: T[], index: number, item: T | null) => (item ? list.map((current, at) => (at === index ? item : current)) : list.filter((_, at) => at !== index));

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Button type="button" size="icon" variant="ghost" aria-label={`Remove ${label}`} onClick={onClick}>
      <X aria-hidden />
    </Button>
  );
}

export function VmHardDisks({ disks, onChange, error, hint, vmName }: { disks: DiskRow[]; onChange: (disks: DiskRow[]) => void; error?: string; hint?: string; vmName: string }) {
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  const set = (index: number, disk: DiskRow | null) => onChange(replaceAt(disks, index, disk));
  const remove = (index: number) => {
    const disk = disks[index]!;
    // A disk not saved yet is only a row of the form; one the VM has loses its data.
    if (!disk.name) return set(index, null);
    setConfirmation({
      title: `Remove ${addedDiskLabel(index)}?`,
      description: `${addedDiskLabel(index)} (${disk.name}) is detached from ${vmName} and deleted from its datastore when you press OK, with everything on it.`,
      confirm: "Remove disk",
      run: async () => {
        set(index, null);
        setConfirmation(null);
      },
    });
  };
  return (
    <DeviceSection
      id="disks-heading"
      title="Added hard disks"
      add={{ label: "Add Hard Disk", icon: <HardDrive aria-hidden />, disabled: disks.length >= MAX_ADDED_DISKS, onClick: () => onChange([...disks, { name: "", sizeGiB: NEW_DISK_GIB }]) }}
    >
      <p className="text-xs text-muted-foreground">
        Up to {MAX_ADDED_DISKS} besides Hard disk 1, each 1 to {MAX_DISK_GIB.toLocaleString("en-US")} GiB, on the VM&apos;s datastore. A disk can only grow.
      </p>
      {disks.map((disk, index) => (
        <div key={`${disk.name || "new"}-${index}`} className="grid grid-cols-[10rem_10rem_1fr_auto] items-center gap-2">
          <RowLabel htmlFor={`disk-${index}`} label={addedDiskLabel(index)} isNew={!disk.name} />
          <Input id={`disk-${index}`} type="number" min={1} max={MAX_DISK_GIB} value={disk.sizeGiB} onChange={(event) => set(index, { ...disk, sizeGiB: event.target.value })} />
          <span className="text-sm text-muted-foreground">GiB</span>
          <RemoveButton label={addedDiskLabel(index)} onClick={() => remove(index)} />
        </div>
      ))}
      <Problem error={error} hint={hint} />
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </DeviceSection>
  );
}

/** What the drives may be backed by, and why Add CD/DVD Drive is off when it is. */
function cdromsNote(images: number, unused: number, drives: number): string {
  if (images === 0) return "The content library has no ISO image this namespace may use; import one on the Content Library page.";
  if (drives >= MAX_CDROMS) return `A VM has at most ${MAX_CDROMS} CD/DVD drives.`;
  if (unused === 0) return "Each drive has an ISO image of its own, and every ISO image this namespace may use is in a drive.";
  return "Backed by an ISO image of the content library that this namespace may use.";
}

export function VmCdromDrives({ drives, isoImages, onChange, error }: { drives: CdromDrive[]; isoImages: string[]; onChange: (drives: CdromDrive[]) => void; error?: string }) {
  const set = (index: number, drive: CdromDrive | null) => onChange(replaceAt(drives, index, drive));
  const unused = isoImages.filter((image) => !drives.some((drive) => drive.image === image));
  return (
    <DeviceSection
      id="cdroms-heading"
      title="CD/DVD drives"
      add={{
        label: "Add CD/DVD Drive",
        icon: <Disc3 aria-hidden />,
        disabled: drives.length >= MAX_CDROMS || unused.length === 0,
        onClick: () => onChange([...drives, { name: "", image: unused[0]!, connected: true }]),
      }}
    >
      <p className="text-xs text-muted-foreground">{cdromsNote(isoImages.length, unused.length, drives.length)}</p>
      {drives.map((drive, index) => (
        <div key={`${drive.name || "new"}-${index}`} className="grid grid-cols-[10rem_1fr_auto_auto] items-center gap-2">
          <RowLabel htmlFor={`cdrom-${index}`} label={cdromLabel(index)} isNew={!drive.name} />
          <Select value={drive.image} onValueChange={(image) => set(index, { ...drive, image })}>
            <SelectTrigger id={`cdrom-${index}`} className="w-full" aria-label={`${cdromLabel(index)} ISO image`}>
              <SelectValue placeholder="Choose an ISO image" />
            </SelectTrigger>
            <SelectContent>
              {[...new Set([drive.image, ...unused])].map((image) => (
                <SelectItem key={image} value={image}>
                  {image}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="accent-primary" checked={drive.connected} onChange={(event) => set(index, { ...drive, connected: event.target.checked })} />
            Connected
          </label>
          <RemoveButton label={cdromLabel(index)} onClick={() => set(index, null)} />
        </div>
      ))}
      <Problem error={error} />
    </DeviceSection>
  );
}
