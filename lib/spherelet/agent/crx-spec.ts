// What the host tells a crx guest's /init about the container it runs (lib/spherelet/agent/crx-image.ts):
// its hostname, env, working directory and process args, as a shell fragment in a small cpio archive
// appended to the guest's initramfs (the kernel unpacks concatenated archives in order). Every value
// is single-quoted, so nothing in a pod's spec is ever read as shell syntax by the guest.
import { cpioArchive } from "@/lib/hypervisor/cpio-newc";
import { CRX_SPEC_PATH } from "@/lib/spherelet/agent/crx-image";

export interface CrxProcess {
  hostname: string;
  args: string[];
  env: { name: string; value: string }[];
  cwd: string;
}

/** A spec the guest cannot run as given; the message names the field and the rule. */
export class CrxSpecError extends Error {}

// `env` would take a name starting with "-" for one of its options; kube's C_IDENTIFIER-like rule otherwise.
const ENV_NAME = /^[._a-zA-Z][-._a-zA-Z0-9]*$/;
const HOSTNAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** Linux's ARG_MAX for one exec is far larger; a container's command line this long is a mistake or an attack. */
const MAX_SPEC_BYTES = 256 * 1024;
/** Where /init finds the program that enters the working directory and execs the command, inside the chroot. */
const GUEST_EXEC = ["/proc/1/root/bin/busybox", "sh", "/proc/1/root/crx/exec"];

const quoted = (value: string) => `'${value.replaceAll("'", "'\\''")}'`;

function checked({ hostname, args, env, cwd }: CrxProcess): void {
  if (!HOSTNAME.test(hostname)) throw new CrxSpecError(`hostname "${hostname}" must be an RFC 1123 label`);
  if (args.length === 0) throw new CrxSpecError("args must name the process to run (the image's entrypoint and cmd gave none)");
  args.forEach((arg, index) => {
    if (arg.includes("\0")) throw new CrxSpecError(`args[${index}] must not contain a NUL character`);
  });
  env.forEach(({ name, value }, index) => {
    if (!ENV_NAME.test(name)) throw new CrxSpecError(`env[${index}].name "${name}" must consist of letters, digits, '_', '-' or '.', and not start with a digit or '-'`);
    if (value.includes("\0")) throw new CrxSpecError(`env[${index}].value must not contain a NUL character`);
  });
  if (!cwd.startsWith("/") || cwd.includes("\0")) throw new CrxSpecError(`cwd "${cwd}" must be an absolute path`);
}

/** The shell fragment /init sources: `crx_hostname`, and the arguments of `env -i` as its positional parameters. */
export function crxSpecScript(process: CrxProcess): string {
  checked(process);
  const words = [...process.env.map(({ name, value }) => `${name}=${value}`), ...GUEST_EXEC, process.cwd, ...process.args];
  const script = `crx_hostname=${quoted(process.hostname)}\nset -- ${words.map(quoted).join(" ")}\n`;
  if (Buffer.byteLength(script) > MAX_SPEC_BYTES) throw new CrxSpecError(`args and env together must stay under ${MAX_SPEC_BYTES / 1024} KiB`);
  return script;
}

/** The archive to append to the guest's initramfs. */
export const crxSpecArchive = (process: CrxProcess): Buffer => cpioArchive([{ type: "file", path: CRX_SPEC_PATH, data: crxSpecScript(process) }]);
