// Admission of a VM's added devices against what the spec's shape cannot say: an added disk never
// shrinks, and a CD/DVD drive names an ISO image of the content library that the VM's namespace
// may use. Images a drive of the VM already had are not asked about again, so a namespace that
// later stops allowing one does not block the VM's other changes.
import type { Db } from "@/lib/db/pool";
import type { NamespaceSpec, VirtualMachineSpec } from "@/lib/engine/schemas";
import { addedDisksOf, cdromsOf, diskShrinkRefusal } from "@/lib/engine/vm-device-rules";
import { InvalidInputError } from "@/lib/errors";
import { IMAGE_KIND_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

type DeviceFields = Pick<VirtualMachineSpec, "volumes" | "cdrom">;

export async function admitDevices(tx: Db, namespace: string, current: DeviceFields | null, next: DeviceFields): Promise<void> {
  const shrink = diskShrinkRefusal(addedDisksOf(current ?? {}), addedDisksOf(next));
  if (shrink) {
    const disk = addedDisksOf(next)[shrink.index]!;
    const index = (next.volumes ?? []).findIndex((volume) => volume.name === disk.name);
    throw new InvalidInputError(`spec.volumes[${index}].persistentVolumeClaim.instanceVolumeClaim.size`, shrink.message);
  }
  const known = new Set(cdromsOf(current ?? {}).map((drive) => drive.image));
  const drives = cdromsOf(next);
  const asked = drives.filter((drive) => !known.has(drive.image)).map((drive) => drive.image);
  if (asked.length === 0) return;
  const { rows } = await tx.query<{ kind: string; name: string; imageKind: string | null; images: string[] | null }>(
    `SELECT kind, name, annotations->>$3 AS "imageKind", spec->'images' AS images FROM resources
      WHERE namespace = '' AND deletion_timestamp IS NULL
        AND ((kind = 'VirtualMachineImage' AND name = ANY($1::text[])) OR (kind = 'Namespace' AND name = $2))`,
    [asked, namespace, IMAGE_KIND_ANNOTATION],
  );
  const allowed = rows.find((row) => row.kind === "Namespace")?.images as NamespaceSpec["images"] | null;
  for (const [index, drive] of drives.entries()) {
    if (known.has(drive.image)) continue;
    const field = `spec.cdrom[${index}].image.name`;
    const image = rows.find((row) => row.kind === "VirtualMachineImage" && row.name === drive.image);
    if (!image) throw new InvalidInputError(field, `Image "${drive.image}" is not in the content library.`);
    if (image.imageKind !== "iso") throw new InvalidInputError(field, `Image ${drive.image} is not an ISO image: a CD/DVD drive is backed by an ISO image from the content library.`);
    if (allowed && !allowed.includes(drive.image)) throw new InvalidInputError(field, `Image ${drive.image} is not allowed in namespace ${namespace}; ${allowed.length ? `it allows ${allowed.join(", ")}` : "it allows none"}.`);
  }
}
