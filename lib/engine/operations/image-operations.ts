// Engine function for the content library's Import: the image's files are already in the
// library's store (lib/library/library-store.ts); this writes the VirtualMachineImage that New
// Virtual Machine deploys from, Ready at once, with what it holds and its checksum in engine-owned
// annotations. Re-importing an image of the same name (only `npm run images -- build-tiny` asks
// for it, for the seeded skylight-tiny) updates those annotations on the existing object.
import type pg from "pg";
import { VM_OPERATOR_API_VERSION } from "@/lib/inventory/kinds";
import { getObject } from "@/lib/engine/object-store";
import { writeObject, type OperationActor } from "@/lib/engine/operations/write-object";
import { getPool } from "@/lib/db/pool";
import { storedBytes, type ImageManifest } from "@/lib/library/image-manifest";
import {
  IMAGE_KIND_ANNOTATION,
  IMAGE_SHA256_ANNOTATION,
  IMAGE_SIZE_ANNOTATION,
  IMPORTED_AT_ANNOTATION,
  IMPORTED_BY_ANNOTATION,
} from "@/lib/vocabulary/engine-owned-metadata";

const GIB = 1024 ** 3;

const importAnnotations = (manifest: ImageManifest) => ({
  [IMAGE_KIND_ANNOTATION]: manifest.kind,
  [IMAGE_SHA256_ANNOTATION]: manifest.sha256,
  [IMAGE_SIZE_ANNOTATION]: String(storedBytes(manifest)),
  [IMPORTED_BY_ANNOTATION]: manifest.importedBy,
  [IMPORTED_AT_ANNOTATION]: manifest.importedAt,
});

/** An ISO's VMs get the 20 GiB default disk; the tiny image's VMs a small one. */
function imageDisks(manifest: ImageManifest) {
  if (manifest.kind === "disk") return [{ capacity: `${Math.max(1, Math.ceil(manifest.capacityBytes / GIB))}Gi` }];
  if (manifest.kind === "kernel") return [{ capacity: "1Gi" }];
  return [];
}

export async function importImage(actor: OperationActor, manifest: ImageManifest, options: { replace?: boolean; pool?: pg.Pool } = {}) {
  const pool = options.pool ?? getPool();
  const key = { kind: "VirtualMachineImage" as const, namespace: "", name: manifest.name };
  const common = {
    actor,
    key,
    authority: { permission: "inventory.operate" as const },
    operation: "VirtualMachineImage.import",
    description: `Import image ${manifest.name} into the content library`,
    message: `${actor.username} imported ${manifest.kind} image ${manifest.name} (sha256 ${manifest.sha256})`,
    completesAtOnce: true,
    pool,
  };
  if (options.replace && (await getObject(pool, key))) {
    return writeObject({ ...common, change: (current) => ({ annotations: { ...current.annotations, ...importAnnotations(manifest) } }) });
  }
  const at = new Date().toISOString();
  return writeObject({
    ...common,
    nameTaken: { field: "name", message: `The content library already has an image named "${manifest.name}".` },
    create: () => ({
      apiVersion: VM_OPERATOR_API_VERSION,
      kind: "VirtualMachineImage",
      namespace: "",
      name: manifest.name,
      annotations: importAnnotations(manifest),
      spec: { providerRef: { kind: "ContentLibraryItem", name: manifest.name }, contentLibrary: "skylight-library" },
      status: {
        name: manifest.name,
        osInfo: { type: "Linux", version: manifest.os ?? "" },
        firmware: "bios",
        disks: imageDisks(manifest),
        conditions: [{ type: "Ready", status: "True", reason: "Imported", message: "", lastTransitionTime: at }],
      },
    }),
  });
}
