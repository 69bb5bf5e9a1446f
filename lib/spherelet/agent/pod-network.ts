// Each pod's network: a network namespace of its own (named, under /run/netns, so it outlives the
// agent like the pod does) with a veth pair into the agent's bridge, and an address from the
// agent's /24, whose first address is the bridge's. The host reaches every pod at its address and
// pods of one agent reach each other; with no forwarding or NAT on these hosts (ip_forward is 0,
// no iptables) a pod reaches nothing beyond its host. Names derive from the agent's key (unique per
// agent on a machine) and the pod's uid, within Linux's 15 characters for a link.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

const shortHash = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** What names an agent's bridge, cgroups and namespaces: unique per run directory, so per agent on a machine. */
export const agentKey = (runDir: string) => shortHash(path.resolve(runDir), 8);

/** The agent's bridge, which outlives it (its pods' veths are on it). */
export const bridgeName = (key: string) => `skyb${key}`;

/** A /24 written `a.b.c.0/24`, the only size a pod range has here. */
export const POD_CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.0\/24$/;

/** The range an agent uses unless told (--pod-cidr): one of 10.244.0.0/16's /24s, picked by the host's name. */
export const defaultPodCidr = (hostName: string) => `10.244.${parseInt(shortHash(hostName, 2), 16)}.0/24`;

export class PodNetwork {
  readonly bridge: string;
  private readonly prefix: string;

  constructor(
    private readonly agentKey: string,
    cidr: string,
  ) {
    const match = POD_CIDR_PATTERN.exec(cidr);
    if (!match || match.slice(1, 4).some((octet) => Number(octet) > 255)) throw new Error(`The pod range must be a /24 written a.b.c.0/24; got ${cidr}.`);
    this.prefix = match.slice(1, 4).join(".");
    this.bridge = bridgeName(agentKey);
  }

  get gateway(): string {
    return `${this.prefix}.1`;
  }

  /** The pod addresses: .2 to .254. */
  address(host: number): string {
    return `${this.prefix}.${host}`;
  }

  static readonly HOSTS = { first: 2, last: 254 };

  netnsName = (podUid: string) => `skylight-${this.agentKey}-${podUid}`;
  netnsPath = (podUid: string) => `/run/netns/${this.netnsName(podUid)}`;

  /** Creates the agent's bridge with the gateway address, unless it is there. */
  async ensureBridge(): Promise<void> {
    if (!(await ip(["link", "show", this.bridge]))) await ip(["link", "add", this.bridge, "type", "bridge"], true);
    await ip(["addr", "replace", `${this.gateway}/24`, "dev", this.bridge], true);
    await ip(["link", "set", this.bridge, "up"], true);
  }

  /** Gives the pod its namespace and address; a pod that has them already keeps them. */
  async attach(podUid: string, address: string): Promise<void> {
    const ns = this.netnsName(podUid);
    if (await ip(["-n", ns, "addr", "show", "dev", "eth0", "to", `${address}/32`], false, true)) return;
    await this.detach(podUid);
    await this.ensureBridge();
    const outside = `skyv${shortHash(`${this.agentKey}/${podUid}`, 10)}`;
    const inside = `skyp${shortHash(`${this.agentKey}/${podUid}`, 10)}`;
    await ip(["netns", "add", ns], true);
    await ip(["link", "add", outside, "type", "veth", "peer", "name", inside], true);
    await ip(["link", "set", inside, "netns", ns], true);
    await ip(["-n", ns, "link", "set", inside, "name", "eth0"], true);
    await ip(["-n", ns, "addr", "add", `${address}/24`, "dev", "eth0"], true);
    await ip(["-n", ns, "link", "set", "lo", "up"], true);
    await ip(["-n", ns, "link", "set", "eth0", "up"], true);
    await ip(["-n", ns, "route", "add", "default", "via", this.gateway], true);
    await ip(["link", "set", outside, "master", this.bridge, "up"], true);
  }

  /** Removes the pod's namespace, which takes its veth pair with it. */
  async detach(podUid: string): Promise<void> {
    await ip(["netns", "delete", this.netnsName(podUid)]);
  }
}

/** Runs `ip`; true when it succeeded (and, with `nonEmpty`, printed something). A failure throws only when `required`. */
async function ip(args: string[], required = false, nonEmpty = false): Promise<boolean> {
  try {
    const { stdout } = await run("ip", args);
    return !nonEmpty || stdout.trim() !== "";
  } catch (error) {
    if (required) throw new Error(`ip ${args.join(" ")}: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
    return false;
  }
}
