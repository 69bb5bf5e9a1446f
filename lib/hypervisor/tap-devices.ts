// Tap devices that put a VM's NIC on a Linux bridge of the host: created before QEMU starts (it
// opens them by name, with no scripts), enslaved to the bridge, and removed with the VM. Needs
// root or CAP_NET_ADMIN; without them, or without the bridge, the error says which.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

async function ip(args: string[]): Promise<string> {
  try {
    return (await run("ip", args)).stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim() ?? (error as Error).message;
    if (/Operation not permitted|permission denied/i.test(stderr)) {
      throw new Error(`Putting a VM's NIC on a bridge needs root or CAP_NET_ADMIN for the agent (ip ${args.join(" ")}: ${stderr})`);
    }
    throw new Error(`ip ${args.join(" ")}: ${stderr}`);
  }
}

const exists = (device: string) => run("ip", ["link", "show", "dev", device]).then(() => true, () => false);

/** The tap device `name` on `bridge`, up; made if missing. */
export async function ensureTap(name: string, bridge: string): Promise<void> {
  if (!(await run("ip", ["-details", "link", "show", "dev", bridge]).then(({ stdout }) => /\bbridge\b/.test(stdout), () => false))) {
    throw new Error(`The host has no bridge ${bridge}: create it (README › Real hosts › Bridged networking) or drop the agent's --bridge for it.`);
  }
  if (!(await exists(name))) await ip(["tuntap", "add", "dev", name, "mode", "tap"]);
  await ip(["link", "set", "dev", name, "master", bridge]);
  await ip(["link", "set", "dev", name, "up"]);
}

export async function removeTap(name: string): Promise<void> {
  if (await exists(name)) await ip(["link", "del", "dev", name]);
}
