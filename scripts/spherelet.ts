// `npm run spherelet -- --server URL --token TOKEN --name NAME [--datastore DIR] [--datastore NAME=DIR …]
// [--run-dir DIR] [--cpus N] [--memory GiB] [--port N] [--ca-cert-hash sha256:HEX | --certificate-authority FILE]
// [--bridge NETWORK=BRIDGE …] [--pod-cidr A.B.C.0/24]`: runs the host agent (lib/spherelet/agent/agent.ts) until SIGTERM or
// SIGINT, which stop it and leave its VMs and pods running. A bare --datastore DIR is the directory of the
// host's default datastore; --datastore NAME=DIR says where another of its datastores is mounted.
import { realpathSync } from "node:fs";
import { availableParallelism, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { readConfig } from "@/lib/config";
import { startAgent } from "@/lib/spherelet/agent/agent";
import { POD_CIDR_PATTERN } from "@/lib/spherelet/agent/pod-network";
import { DEFAULT_KUBELET_PORT } from "@/lib/spherelet/console-protocol";

const USAGE =
  "usage: npm run spherelet -- --server https://HOST:PORT --token TOKEN --name NAME [--datastore DIR] [--datastore NAME=DIR ...] [--run-dir DIR] [--cpus N] [--memory GiB] [--port N] [--ca-cert-hash sha256:HEX | --certificate-authority FILE] [--bridge NETWORK=BRIDGE ...] [--pod-cidr A.B.C.0/24]";

function refuse(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseFlags() {
  try {
    return parseArgs({
      strict: true,
      options: {
        server: { type: "string" },
        token: { type: "string" },
        name: { type: "string" },
        datastore: { type: "string", multiple: true },
        "run-dir": { type: "string" },
        cpus: { type: "string" },
        memory: { type: "string" },
        port: { type: "string" },
        "ca-cert-hash": { type: "string" },
        "certificate-authority": { type: "string" },
        bridge: { type: "string", multiple: true },
        "pod-cidr": { type: "string" },
      },
    }).values;
  } catch (error) {
    refuse((error as Error).message);
  }
}

const flags = parseFlags();
for (const required of ["server", "token", "name"] as const) if (!flags[required]) refuse(`--${required} is required.`);
if (!/^[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?$/.test(flags.name!)) refuse(`--name must be a host name (lowercase letters, digits, "-" and "."); got ${JSON.stringify(flags.name)}.`);
if (!/^https:\/\//.test(flags.server!)) refuse(`--server must be an https:// URL; got ${JSON.stringify(flags.server)}.`);
if (flags["ca-cert-hash"] && flags["certificate-authority"]) refuse("--ca-cert-hash and --certificate-authority: give one, not both.");
if (!flags["ca-cert-hash"] && !flags["certificate-authority"]) refuse("--ca-cert-hash or --certificate-authority is required: the agent trusts no server it cannot check.");
if (flags["ca-cert-hash"] && !/^sha256:[0-9a-fA-F]{64}$/.test(flags["ca-cert-hash"])) refuse(`--ca-cert-hash must be sha256: and 64 hex digits; got ${JSON.stringify(flags["ca-cert-hash"])}.`);
const cpus = flags.cpus === undefined ? availableParallelism() : Number(flags.cpus);
if (!Number.isInteger(cpus) || cpus < 1) refuse(`--cpus must be a whole number of at least 1; got ${JSON.stringify(flags.cpus)}.`);
const memoryGiB = flags.memory === undefined ? Math.floor((totalmem() / 1024 ** 3) * 10) / 10 : Number(flags.memory);
if (!Number.isFinite(memoryGiB) || memoryGiB <= 0) refuse(`--memory must be a number of GiB above 0; got ${JSON.stringify(flags.memory)}.`);
const port = flags.port === undefined ? DEFAULT_KUBELET_PORT : Number(flags.port);
if (!/^\d{1,5}$/.test(flags.port ?? "0") || port > 65535) refuse(`--port must be a TCP port from 0 (any free port) to 65535; got ${JSON.stringify(flags.port)}.`);

if (flags["pod-cidr"] !== undefined && !POD_CIDR_PATTERN.test(flags["pod-cidr"])) refuse(`--pod-cidr must be a /24 written A.B.C.0/24 (the host's pods get .2 to .254, its bridge .1); got ${JSON.stringify(flags["pod-cidr"])}.`);

const bridges: Record<string, string> = {};
for (const mapping of flags.bridge ?? []) {
  const match = /^(.+)=([A-Za-z0-9_.-]{1,15})$/.exec(mapping);
  if (!match) refuse(`--bridge must be NETWORK=BRIDGE (a Skylight network's name, then a Linux bridge of this host of at most 15 characters); got ${JSON.stringify(mapping)}.`);
  bridges[match[1]!] = match[2]!;
}

/** NAME=DIR names a datastore (an RFC 1123 name, as Skylight's are); anything else is the default datastore's directory. */
const NAMED_DATASTORE = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)=(.+)$/;
let defaultDatastoreDir: string | undefined;
const datastoreDirs: Record<string, string> = {};
for (const value of flags.datastore ?? []) {
  const named = NAMED_DATASTORE.exec(value);
  if (!named) {
    if (defaultDatastoreDir !== undefined) refuse(`--datastore DIR (the default datastore's directory) may be given once; got ${JSON.stringify(defaultDatastoreDir)} and ${JSON.stringify(value)}. Name the others: --datastore NAME=DIR.`);
    defaultDatastoreDir = path.resolve(value);
  } else {
    if (Object.hasOwn(datastoreDirs, named[1]!)) refuse(`--datastore ${named[1]}=DIR is given twice.`);
    datastoreDirs[named[1]!] = path.resolve(named[3]!);
  }
}
defaultDatastoreDir ??= path.resolve(path.join(readConfig().dataDir, "spherelet", flags.name!));
// One directory under two names would look like a VM's files in two places; moving them between the two would delete them.
const byDirectory = new Map<string, string>();
for (const [name, dir] of [["the default datastore", defaultDatastoreDir], ...Object.entries(datastoreDirs)] as const) {
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // Not made yet: the agent makes it.
  }
  const other = byDirectory.get(real);
  if (other) refuse(`--datastore: ${other} and ${name} are the same directory (${real}); each datastore needs its own.`);
  byDirectory.set(real, name);
}

const agent = await startAgent({
  server: flags.server!,
  token: flags.token!,
  name: flags.name!,
  datastoreDir: defaultDatastoreDir,
  datastoreDirs,
  // Short (unix socket paths are limited to 108 bytes) and gone at reboot, as the QEMU processes are.
  runDir: path.resolve(flags["run-dir"] ?? (process.getuid?.() === 0 ? path.join("/run/skylight-spherelet", flags.name!) : path.join(tmpdir(), `skylight-spherelet-${flags.name!}`))),
  cpus,
  memoryGiB,
  port,
  trust: flags["ca-cert-hash"] ? { caCertHash: flags["ca-cert-hash"] } : { caFile: path.resolve(flags["certificate-authority"]!) },
  bridges,
  podCidr: flags["pod-cidr"],
}).catch((error: Error) => {
  console.error(`[spherelet] could not start: ${error.message}`);
  process.exit(1);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void agent.stop().then(() => process.exit(0));
  });
}
