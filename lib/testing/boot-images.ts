// Tiny bootable images written byte by byte, for tests of what the firmware boots: a raw disk
// whose boot sector prints a marker on the first serial port and halts, and an El Torito ISO
// (no emulation) that loads the same code from the CD-ROM. Nothing to download or install.
import { writeFile } from "node:fs/promises";

/** Real-mode code loaded at 0:7C00: DS=0, print the NUL-terminated text at 0x7C16 to COM1 (0x3F8), halt. */
function bootCode(marker: string): Buffer {
  const code = Buffer.from([0x31, 0xc0, 0x8e, 0xd8, 0xba, 0xf8, 0x03, 0xbe, 0x16, 0x7c, 0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8, 0xfa, 0xf4, 0xeb, 0xfd]);
  return Buffer.concat([code, Buffer.from(`${marker}\r\n\0`, "latin1")]);
}

/** A 1 MiB raw disk whose MBR prints `marker`. */
export async function writeBootDisk(file: string, marker: string): Promise<void> {
  const disk = Buffer.alloc(1024 * 1024);
  bootCode(marker).copy(disk);
  disk.writeUInt16LE(0xaa55, 510);
  await writeFile(file, disk);
}

const SECTOR = 2048;

/** An ISO 9660 image with an El Torito boot catalog whose boot image prints `marker`. */
export async function writeBootIso(file: string, marker: string): Promise<void> {
  const iso = Buffer.alloc(SECTOR * 24);
  const descriptor = (sector: number, type: number) => {
    iso[sector * SECTOR] = type;
    iso.write("CD001", sector * SECTOR + 1, "latin1");
    iso[sector * SECTOR + 6] = 1;
  };
  descriptor(16, 1); // primary volume descriptor
  descriptor(17, 0); // boot record: El Torito, boot catalog in sector 19
  iso.write("EL TORITO SPECIFICATION", 17 * SECTOR + 7, "latin1");
  iso.writeUInt32LE(19, 17 * SECTOR + 0x47);
  descriptor(18, 255); // terminator
  const catalog = 19 * SECTOR;
  iso[catalog] = 1; // validation entry, platform x86
  iso[catalog + 30] = 0x55;
  iso[catalog + 31] = 0xaa;
  let sum = 0;
  for (let offset = 0; offset < 32; offset += 2) sum += iso.readUInt16LE(catalog + offset);
  iso.writeUInt16LE((0x10000 - (sum & 0xffff)) & 0xffff, catalog + 28);
  iso[catalog + 32] = 0x88; // bootable, no emulation, default load segment
  iso.writeUInt16LE(4, catalog + 32 + 6); // four 512-byte sectors
  iso.writeUInt32LE(20, catalog + 32 + 8); // boot image in sector 20
  bootCode(marker).copy(iso, 20 * SECTOR);
  await writeFile(file, iso);
}
