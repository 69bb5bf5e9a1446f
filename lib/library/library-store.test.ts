// The content library's store against real files, real qemu-img and the test's own PostgreSQL:
// what an import keeps (and the VirtualMachineImage it writes), and that every refusal leaves
// nothing behind.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getObject } from "@/lib/engine/object-store";
import { ForbiddenError, InvalidInputError } from "@/lib/errors";
import { importUpload, readManifest, UploadTooLargeError, type UploadRequest } from "@/lib/library/library-store";
import { writeBootDisk, writeBootIso } from "@/lib/testing/boot-images";
import { OPERATOR } from "@/lib/testing/engine-harness";
import { IMAGE_KIND_ANNOTATION, IMAGE_SHA256_ANNOTATION, IMPORTED_BY_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

const run = promisify(execFile);
const DEVELOPER = { id: "test-developer", username: "dev", role: "developer" as const };

let pool: pg.Pool;
let dataDir: string;
let work: string;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
  dataDir = await mkdtemp(path.join(tmpdir(), "skylight-library-"));
  work = await mkdtemp(path.join(tmpdir(), "skylight-library-uploads-"));
});
afterAll(async () => {
  await pool.end();
  await rm(dataDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

const sha256 = async (file: string) => createHash("sha256").update(await readFile(file)).digest("hex");
const upload = (file: string, overrides: Partial<UploadRequest> = {}): Promise<unknown> =>
  importUpload({ name: "x", os: null, fileName: path.basename(file), source: createReadStream(file), limitBytes: 64 * 1024 * 1024, actor: OPERATOR, pool, dataDir, ...overrides });
/** What the library holds besides its images: a refused import must leave no partial file. */
const leftovers = async () => [...(await readdir(path.join(dataDir, "library")).catch(() => [])), ...(await readdir(path.join(dataDir, "library", ".incoming")).catch(() => []))].filter((entry) => entry !== ".incoming");
const image = (name: string) => getObject<unknown, { disks?: { capacity: string }[]; conditions?: { type: string; status: string }[] }>(pool, { kind: "VirtualMachineImage", namespace: "", name });

describe("importing into the content library", () => {
  it("stores a raw disk as qcow2, records the upload's sha256, and writes a Ready VirtualMachineImage", async () => {
    const raw = path.join(work, "boot.img");
    await writeBootDisk(raw, "RAW");
    await upload(raw, { name: "boot-disk", os: "Boot sector" });

    const dir = path.join(dataDir, "library", "boot-disk");
    const info = JSON.parse((await run("qemu-img", ["info", "--output=json", path.join(dir, "disk.qcow2")])).stdout) as { format: string; "virtual-size": number; "backing-filename"?: string };
    expect(info).toMatchObject({ format: "qcow2", "virtual-size": 1024 * 1024 });
    expect(info["backing-filename"]).toBeUndefined();
    const manifest = await readManifest("boot-disk", dataDir);
    expect(manifest).toMatchObject({ kind: "disk", sourceFormat: "raw", os: "Boot sector", sha256: await sha256(raw), importedBy: OPERATOR.username });
    expect(manifest!.files).toEqual([{ name: "disk.qcow2", size: (await readFile(path.join(dir, "disk.qcow2"))).length, sha256: await sha256(path.join(dir, "disk.qcow2")) }]);

    const object = await image("boot-disk");
    expect(object?.annotations).toMatchObject({ [IMAGE_KIND_ANNOTATION]: "disk", [IMAGE_SHA256_ANNOTATION]: await sha256(raw), [IMPORTED_BY_ANNOTATION]: OPERATOR.username });
    expect(object?.status.disks).toEqual([{ capacity: "1Gi" }]);
    expect(object?.status.conditions?.find((condition) => condition.type === "Ready")?.status).toBe("True");
    expect(await leftovers()).toEqual(["boot-disk"]);
  });

  it("keeps a qcow2 and an ISO as they came", async () => {
    const qcow2 = path.join(work, "plain.qcow2");
    await run("qemu-img", ["create", "-q", "-f", "qcow2", qcow2, "2G"]);
    await upload(qcow2, { name: "plain" });
    expect(await sha256(path.join(dataDir, "library", "plain", "disk.qcow2"))).toBe(await sha256(qcow2));
    expect((await image("plain"))?.status.disks).toEqual([{ capacity: "2Gi" }]);

    const iso = path.join(work, "installer.bin");
    await writeBootIso(iso, "ISO");
    await upload(iso, { name: "installer" });
    expect(await readManifest("installer", dataDir)).toMatchObject({ kind: "iso", sourceFormat: "iso", files: [{ name: "cdrom.iso", sha256: await sha256(iso) }] });
  });

  it("refuses a qcow2 with a backing file, which would read a file of the server's", async () => {
    const hostile = path.join(work, "hostile.qcow2");
    await run("qemu-img", ["create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", hostile]);
    const refused = await upload(hostile, { name: "hostile" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(InvalidInputError);
    expect(refused).toMatchObject({ field: "file", message: expect.stringContaining("backing file (/etc/passwd)") });
    expect(await image("hostile")).toBeNull();
    expect(await leftovers()).not.toContain("hostile");
    expect(await readdir(path.join(dataDir, "library", ".incoming"))).toEqual([]);
  });

  it("stops an upload at the limit and keeps nothing of it", async () => {
    const big = path.join(work, "big.img");
    await writeBootDisk(big, "BIG");
    const refused = await upload(big, { name: "too-big", limitBytes: 64 * 1024 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UploadTooLargeError);
    expect((refused as UploadTooLargeError).status).toBe(413);
    expect(await readdir(path.join(dataDir, "library", ".incoming"))).toEqual([]);
    expect(await image("too-big")).toBeNull();
  });

  it("refuses a name that is no image name, or one taken, naming the field, before reading the file", async () => {
    const unread = { source: (async function* () { throw new Error("the body was read"); })() };
    for (const name of ["../x", "UPPER", "a/b", ""]) {
      await expect(upload(path.join(work, "boot.img"), { name, ...unread })).rejects.toMatchObject({ field: "name" });
    }
    await expect(upload(path.join(work, "boot.img"), { name: "boot-disk", ...unread })).rejects.toThrow(/already has an image named "boot-disk"/);
    await expect(upload(path.join(work, "boot.img"), { name: "fresh", actor: DEVELOPER, ...unread })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await readdir(path.join(dataDir, "library"))).toEqual([".incoming", "boot-disk", "installer", "plain"]);
  });
});
