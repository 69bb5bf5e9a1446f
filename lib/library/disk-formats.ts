// What an uploaded file is (qcow2, ISO 9660 or raw, by its content, the file name only telling a
// raw disk from an ISO that lacks its signature), and the qemu-img steps the library's store
// takes with it. A qcow2 may name a backing file or an external data file: opened, either would
// read whatever path it names on the server or a host, so such an image is refused. qemu-img is
// always told the format (-f): it never probes, which is how a raw file could pass for qcow2.
import { execFile } from "node:child_process";
import { open } from "node:fs/promises";
import { promisify } from "node:util";
import { InvalidInputError } from "@/lib/errors";

const run = promisify(execFile);

export type UploadFormat = "qcow2" | "raw" | "iso";

const QCOW2_MAGIC = Buffer.from([0x51, 0x46, 0x49, 0xfb]);
/** ISO 9660's primary volume descriptor starts at sector 16 with "\x01CD001". */
const ISO_SIGNATURE_OFFSET = 16 * 2048 + 1;
const ISO_SIGNATURE = Buffer.from("CD001");

async function readAt(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function detectFormat(file: string, fileName: string | null): Promise<UploadFormat> {
  if ((await readAt(file, 0, 4)).equals(QCOW2_MAGIC)) return "qcow2";
  if ((await readAt(file, ISO_SIGNATURE_OFFSET, 5)).equals(ISO_SIGNATURE)) return "iso";
  return fileName && /\.iso$/i.test(fileName) ? "iso" : "raw";
}

async function qemuImg(args: string[]): Promise<string> {
  try {
    return (await run("qemu-img", args, { timeout: 30 * 60_000, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    throw new InvalidInputError("file", `qemu-img could not read the disk: ${detail}`);
  }
}

interface Qcow2Info {
  "virtual-size": number;
  "backing-filename"?: string;
  "full-backing-filename"?: string;
  "format-specific"?: { data?: { "data-file"?: string } };
}

/** The qcow2's virtual size in bytes; refuses one that reads another file. */
export async function checkQcow2(file: string): Promise<number> {
  const info = JSON.parse(await qemuImg(["info", "-f", "qcow2", "--output=json", file])) as Qcow2Info;
  const backing = info["backing-filename"] ?? info["full-backing-filename"];
  if (backing !== undefined) {
    throw new InvalidInputError("file", `The qcow2 image has a backing file (${backing}); only standalone images can be imported. Flatten it first with \`qemu-img convert -O qcow2 IN OUT\`.`);
  }
  const dataFile = info["format-specific"]?.data?.["data-file"];
  if (dataFile !== undefined) throw new InvalidInputError("file", `The qcow2 image keeps its data in an external file (${dataFile}); only standalone images can be imported.`);
  return info["virtual-size"];
}

/** Converts a raw disk to qcow2; answers the virtual size in bytes. */
export async function convertRawToQcow2(raw: string, qcow2: string): Promise<number> {
  await qemuImg(["convert", "-f", "raw", "-O", "qcow2", raw, qcow2]);
  return checkQcow2(qcow2);
}
