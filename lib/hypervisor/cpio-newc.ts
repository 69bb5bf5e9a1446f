// The "newc" cpio format the Linux kernel unpacks as an initramfs (the kernel's
// Documentation/driver-api/early-userspace/buffer-format): a 110-byte ASCII header per entry,
// its name and its data, each padded to four bytes, ended by a TRAILER!!! entry.

export type CpioEntry =
  | { type: "directory"; path: string; mode?: number }
  | { type: "file"; path: string; data: Buffer | string; mode?: number }
  | { type: "symlink"; path: string; target: string };

const FILE_TYPE = { directory: 0o040000, file: 0o100000, symlink: 0o120000 } as const;
const DEFAULT_PERMISSIONS = { directory: 0o755, file: 0o644, symlink: 0o777 } as const;

const hex8 = (value: number) => value.toString(16).padStart(8, "0");
const padding = (length: number) => Buffer.alloc((4 - (length % 4)) % 4);

function header(inode: number, mode: number, size: number, nameSize: number): string {
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  return "070701" + [inode, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, nameSize, 0].map(hex8).join("");
}

function record(inode: number, path: string, mode: number, data: Buffer): Buffer[] {
  const name = Buffer.from(`${path}\0`);
  const head = Buffer.from(header(inode, mode, data.length, name.length), "ascii");
  return [head, name, padding(head.length + name.length), data, padding(data.length)];
}

/** The archive of `entries`, in order; parents must come before what they hold. */
export function cpioArchive(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => {
    const path = entry.path.replace(/^\/+/, "");
    const permissions = entry.type === "symlink" ? DEFAULT_PERMISSIONS.symlink : (entry.mode ?? DEFAULT_PERMISSIONS[entry.type]);
    const data = entry.type === "file" ? Buffer.from(entry.data) : entry.type === "symlink" ? Buffer.from(entry.target) : Buffer.alloc(0);
    parts.push(...record(index + 1, path, FILE_TYPE[entry.type] | permissions, data));
  });
  parts.push(...record(0, "TRAILER!!!", 0, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
