// For tests that boot real guests: the tiny image (built once per checkout into .cache, since
// fetching and unpacking its packages takes a while), a scratch directory per test file, and a
// sweep that kills whatever QEMU a failed test left running.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runningPid } from "@/lib/hypervisor/qemu-vm";
import { buildTinyImage, readTinyImage, type TinyImage } from "@/lib/hypervisor/tiny-image";

export async function tinyImageForTests(): Promise<TinyImage> {
  const dir = path.resolve(".cache/tiny-image");
  return (await readTinyImage(dir)) ?? buildTinyImage(dir, path.resolve(".cache/debian-packages"));
}

export interface GuestScratch {
  /** A directory for one VM, swept at the end. */
  vmDir(name: string): string;
  sweep(): Promise<void>;
}

export async function guestScratch(): Promise<GuestScratch> {
  const root = await mkdtemp(path.join(tmpdir(), "skylight-qemu-"));
  const dirs: string[] = [];
  return {
    vmDir(name) {
      const dir = path.join(root, name);
      dirs.push(dir);
      return dir;
    },
    async sweep() {
      for (const dir of dirs) {
        const pid = await runningPid(dir);
        if (pid) process.kill(pid, "SIGKILL");
      }
      await rm(root, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
