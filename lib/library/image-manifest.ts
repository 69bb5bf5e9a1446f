// What one image of the content library is, as its store writes it beside the files
// (`SKYLIGHT_DATA_DIR/library/<name>/manifest.json`) and as Skylight serves it to host agents,
// which fetch exactly these files and check each against its sha256. Pure: the server, the
// agent and the console import it.
import { z } from "zod";
import { dns1123SubdomainSchema } from "@/lib/engine/schemas";

/** disk: a qcow2 base disk VMs are linked clones of; iso: a CD-ROM VMs boot from; kernel: a kernel and initramfs (the tiny image). */
export const IMAGE_KINDS = ["disk", "iso", "kernel"] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** The files each kind keeps, by the names agents look for in `<datastore>/images/<name>/`. */
export const IMAGE_FILES: Record<ImageKind, readonly string[]> = {
  disk: ["disk.qcow2"],
  iso: ["cdrom.iso"],
  kernel: ["vmlinuz", "initrd.img"],
};

export const MANIFEST_FILE = "manifest.json";

/** Image names are VirtualMachineImage names, and directory names: no `/`, never `..`. */
export const imageNameSchema = dns1123SubdomainSchema;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, "must be a sha256 in hex");

export const imageManifestSchema = z
  .object({
    name: imageNameSchema,
    kind: z.enum(IMAGE_KINDS),
    /** What was imported: qcow2 and ISO are stored as they came, raw is converted to qcow2. */
    sourceFormat: z.enum(["qcow2", "raw", "iso", "kernel"]),
    os: z.string().max(256).nullable(),
    files: z.array(z.object({ name: z.string(), size: z.number().int().min(0), sha256: sha256Schema })).min(1),
    /** The checksum of what was imported, as received (for a kernel image, of the kernel then the initramfs). */
    sha256: sha256Schema,
    /** A disk's virtual size; 0 for an ISO or a kernel. */
    capacityBytes: z.number().int().min(0),
    importedAt: z.string(),
    importedBy: z.string(),
  })
  .refine((manifest) => manifest.files.map((file) => file.name).join("/") === IMAGE_FILES[manifest.kind].join("/"), {
    message: "must list exactly the files of its kind",
    path: ["files"],
  });
export type ImageManifest = z.infer<typeof imageManifestSchema>;

export const storedBytes = (manifest: ImageManifest) => manifest.files.reduce((sum, file) => sum + file.size, 0);
