// What Edit Settings may change while a VM is not powered off, in the words both the dialog and
// the engine (editVirtualMachineSettings) use, so the form warns exactly where the engine refuses.
// As in vSphere with CPU and memory hot-add enabled: CPUs and memory can be added to a running VM
// but not removed; a disk can grow (hot-extend) but never shrink; a network adapter can be added
// or moved to another network, but removing one needs the VM powered off.
import { z } from "zod";
import { MAX_ADDED_DISKS, MAX_CDROMS, MAX_DISK_GIB } from "@/lib/engine/schemas";
import { addedDiskLabel, cdromLabel } from "@/lib/engine/vm-device-rules";

export const MAX_NETWORK_ADAPTERS = 10;

export const vmSettingsInputSchema = z.object({
  className: z.string().min(1, "is required: choose a VM class"),
  /** Null: the class sizes the VM. */
  hardware: z
    .object({
      cpus: z.number().int("must be a whole number").min(1, "must be at least 1").max(128, "must be at most 128"),
      memoryMiB: z.number().int("must be a whole number of MiB").min(256, "must be at least 256 MiB").max(6 * 1024 * 1024, "must be at most 6 TiB").multipleOf(4, "must be a multiple of 4 MiB"),
    })
    .nullable(),
  diskGiB: z.number().int("must be a whole number of GiB").min(1, "must be at least 1 GiB").max(62 * 1024, "must be at most 62 TiB"),
  adapters: z
    .array(z.object({ name: z.string(), network: z.string().min(1, "is required: choose a network") }))
    .max(MAX_NETWORK_ADAPTERS, `can be at most ${MAX_NETWORK_ADAPTERS}`),
  /** Added hard disks (name empty for one being added); absent: they stay as they are. */
  disks: z
    .array(
      z.object({
        name: z.string(),
        sizeGiB: z.number().int("must be a whole number of GiB").min(1, "must be at least 1 GiB").max(MAX_DISK_GIB, `must be at most ${MAX_DISK_GIB} GiB (16 TiB)`),
      }),
    )
    .max(MAX_ADDED_DISKS, `can be at most ${MAX_ADDED_DISKS} besides Hard disk 1`)
    .optional(),
  /** CD/DVD drives (name empty for one being added), each backed by a content-library ISO image; absent: they stay as they are. */
  cdroms: z
    .array(z.object({ name: z.string(), image: z.string().min(1, "is required: choose an ISO image"), connected: z.boolean() }))
    .max(MAX_CDROMS, `can be at most ${MAX_CDROMS}`)
    .optional(),
});
export type VmSettingsInput = z.infer<typeof vmSettingsInputSchema>;

const FIELD_LABELS: Record<string, string> = { className: "VM class", cpus: "CPU", memoryMiB: "Memory", diskGiB: "Hard disk 1", adapters: "Network adapters", disks: "Hard disks", cdroms: "CD/DVD drives" };
const ITEM_LABELS: Record<string, (index: number) => string> = { disks: addedDiskLabel, cdroms: cdromLabel };

/** The form field a refusal of the settings' shape belongs to, and its words ("Hard disk 2 must be at least 1 GiB."). */
export function settingsIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  const [top, index] = issue.path;
  const field = top === "hardware" ? String(issue.path.at(-1)) : String(top ?? "settings");
  const label = typeof index === "number" && ITEM_LABELS[field] ? ITEM_LABELS[field](index) : (FIELD_LABELS[field] ?? field);
  return { field, message: `${label} ${issue.message}.` };
}

export interface VmAdapter {
  /** vm-operator's interface name (eth0, eth1, …); empty for an adapter being added. */
  name: string;
  network: string;
}

export interface VmSettings {
  cpus: number;
  memoryMiB: number;
  diskGiB: number;
  adapters: VmAdapter[];
}

export interface SettingsRefusal {
  field: "cpus" | "memoryMiB" | "diskGiB" | "adapters";
  message: string;
}

export const formatGib = (mib: number) => `${Number.isInteger(mib / 1024) ? mib / 1024 : (mib / 1024).toFixed(1)} GiB`;

/** vSphere's label for the adapter at this position. */
export const adapterLabel = (index: number) => `Network adapter ${index + 1}`;

/**
 * Why the change from `current` to `desired` cannot be made now, or [] when it can. `sizedByClass`
 * means the new CPUs and memory come from a VM class: a class applies at the next power-off (as in
 * vm-operator), so shrinking through a class is not refused.
 */
export function settingsRefusals(current: VmSettings, desired: VmSettings, options: { poweredOff: boolean; sizedByClass: boolean }): SettingsRefusal[] {
  const refusals: SettingsRefusal[] = [];
  if (desired.diskGiB < current.diskGiB) {
    refusals.push({ field: "diskGiB", message: `Hard disk 1 can only grow: it is ${current.diskGiB} GiB and cannot shrink to ${desired.diskGiB} GiB.` });
  }
  if (options.poweredOff) return refusals;
  if (!options.sizedByClass && desired.cpus < current.cpus) {
    refusals.push({ field: "cpus", message: `Reducing CPUs from ${current.cpus} to ${desired.cpus} needs the VM powered off: CPUs can be hot-added but not removed while it runs.` });
  }
  if (!options.sizedByClass && desired.memoryMiB < current.memoryMiB) {
    refusals.push({
      field: "memoryMiB",
      message: `Reducing memory from ${formatGib(current.memoryMiB)} to ${formatGib(desired.memoryMiB)} needs the VM powered off: memory can be hot-added but not removed while it runs.`,
    });
  }
  const kept = new Set(desired.adapters.map((adapter) => adapter.name));
  const removed = current.adapters.findIndex((adapter) => !kept.has(adapter.name));
  if (removed >= 0) refusals.push({ field: "adapters", message: `Removing ${adapterLabel(removed)} needs the VM powered off.` });
  return refusals;
}
