// The host as Kubernetes sees it: its core v1 Node (capacity, addresses, nodeInfo naming QEMU, a
// Ready condition, the agent's own port in daemonEndpoints, as the kubelet writes them, and the
// hash of that port's certificate in an annotation) and its Lease in kube-node-lease, renewed as
// the kubelet's heartbeat.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { hostname, networkInterfaces, release } from "node:os";
import { promisify } from "node:util";
import type { SkylightApi } from "@/lib/spherelet/agent/skylight-api";
import { SERVING_CERTIFICATE_ANNOTATION } from "@/lib/spherelet/console-protocol";

const run = promisify(execFile);

export const LEASE_DURATION_SECONDS = 40;
export const KUBELET_VERSION = "v1.32.0-spherelet";

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface HostCapacity {
  cpus: number;
  memoryGiB: number;
}

/** The agent's own endpoint (kubelet-server.ts): its port and its certificate's hash. */
export interface HostEndpoint {
  port: number;
  certificateHash: string;
}

/** RFC 3339 to the second, as metav1.Time is written. */
const kubeTime = (date = new Date()) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

/** RFC 3339 with microseconds, as metav1.MicroTime is written. */
export function microTime(): string {
  const micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return `${new Date(Math.floor(micros / 1000)).toISOString().slice(0, 19)}.${String(micros % 1_000_000).padStart(6, "0")}Z`;
}

const readTrimmed = (file: string) => readFile(file, "utf8").then((text) => text.trim(), () => "");

async function qemuVersion(): Promise<string> {
  const { stdout } = await run("qemu-system-x86_64", ["--version"]).catch(() => ({ stdout: "" }));
  return /version (\S+)/.exec(stdout)?.[1] ?? "unknown";
}

function internalAddress(): string {
  const addresses = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return addresses.find((entry) => entry.family === "IPv4" && !entry.internal)?.address ?? "127.0.0.1";
}

/** What the Node says about this machine; read once at start (none of it changes while the agent runs). */
export async function hostFacts(name: string) {
  const machineID = await readTrimmed("/etc/machine-id");
  const osRelease = await readTrimmed("/etc/os-release");
  return {
    addresses: [
      { type: "InternalIP", address: internalAddress() },
      { type: "Hostname", address: hostname() },
    ],
    nodeInfo: {
      machineID,
      // product_uuid is readable by root only; the kubelet falls back the same way.
      systemUUID: (await readTrimmed("/sys/class/dmi/id/product_uuid")) || machineID,
      bootID: await readTrimmed("/proc/sys/kernel/random/boot_id"),
      kernelVersion: release(),
      osImage: /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? "Linux",
      operatingSystem: "linux",
      architecture: process.arch === "x64" ? "amd64" : process.arch,
      containerRuntimeVersion: `qemu://${await qemuVersion()}`,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: "",
    },
    name,
  };
}

export type HostFacts = Awaited<ReturnType<typeof hostFacts>>;

function nodeStatus(facts: HostFacts, capacity: HostCapacity, endpoint: HostEndpoint, readySince: string) {
  // kubelet's default maxPods: the agent runs pods (pod-runtime.ts).
  const resources = { cpu: String(capacity.cpus), memory: `${Math.floor(capacity.memoryGiB * 1024 * 1024)}Ki`, pods: "110" };
  return {
    capacity: resources,
    allocatable: resources,
    addresses: facts.addresses,
    nodeInfo: facts.nodeInfo,
    daemonEndpoints: { kubeletEndpoint: { Port: endpoint.port } },
    conditions: [
      { type: "Ready", status: "True", reason: "KubeletReady", message: "spherelet is posting ready status", lastHeartbeatTime: kubeTime(), lastTransitionTime: readySince },
    ],
  };
}

const NODE_STATUS_INTERVAL_MS = 60_000;

/** Keeps the host's Node registered and its status current: written when it changes, and at least every minute. */
export class HostNode {
  private node: KubeObject | null = null;
  private readonly readySince = kubeTime();
  private postedShape = "";
  private postedAt = 0;

  constructor(
    private readonly api: SkylightApi,
    private readonly facts: HostFacts,
    private readonly capacity: HostCapacity,
    private readonly endpoint: HostEndpoint,
    private readonly log: (message: string) => void,
  ) {}

  private get path() {
    return `/api/v1/nodes/${encodeURIComponent(this.facts.name)}`;
  }

  /** The Node's metadata with this run's certificate hash (a new one at each start of the agent). */
  private metadata(metadata: KubeObject["metadata"]) {
    const annotations = { ...(metadata.annotations as Record<string, string> | undefined), [SERVING_CERTIFICATE_ANNOTATION]: this.endpoint.certificateHash };
    return { ...metadata, annotations };
  }

  async sync(): Promise<void> {
    if (!this.node) await this.register();
    const status = nodeStatus(this.facts, this.capacity, this.endpoint, this.readySince);
    const shape = JSON.stringify({ ...status, conditions: status.conditions.map(({ lastHeartbeatTime: _, ...condition }) => condition) });
    if (shape === this.postedShape && Date.now() - this.postedAt < NODE_STATUS_INTERVAL_MS) return;
    for (let attempt = 0; ; attempt++) {
      const response = await this.api.expect<KubeObject>([200, 201, 409], "PUT", `${this.path}/status`, { body: { ...this.node!, metadata: this.metadata(this.node!.metadata), status } });
      if (response.status !== 409) {
        this.node = response.body;
        break;
      }
      // Someone else wrote the Node since: take its resourceVersion and write again.
      if (attempt >= 3) throw new Error(`PUT ${this.path}/status: 409 Conflict ${attempt + 1} times`);
      this.node = (await this.api.expect<KubeObject>([200], "GET", this.path)).body;
    }
    this.postedShape = shape;
    this.postedAt = Date.now();
  }

  private async register() {
    const existing = await this.api.expect<KubeObject>([200, 404], "GET", this.path);
    if (existing.status === 200) {
      this.node = existing.body;
      return;
    }
    const created = await this.api.expect<KubeObject>([200, 201], "POST", "/api/v1/nodes", {
      body: { apiVersion: "v1", kind: "Node", metadata: this.metadata({ name: this.facts.name }), status: nodeStatus(this.facts, this.capacity, this.endpoint, this.readySince) },
    });
    this.node = created.body;
    this.log(`registered Node ${this.facts.name}`);
  }
}

/** The host's heartbeat: its Lease in kube-node-lease, renewed on each call. */
export class HostLease {
  private lease: KubeObject | null = null;

  constructor(
    private readonly api: SkylightApi,
    private readonly name: string,
  ) {}

  private get path() {
    return `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(this.name)}`;
  }

  async renew(): Promise<void> {
    if (!this.lease) {
      const existing = await this.api.expect<KubeObject>([200, 404], "GET", this.path);
      this.lease = existing.status === 200 ? existing.body : null;
    }
    const spec = { holderIdentity: this.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime() };
    try {
      this.lease = this.lease
        ? (await this.api.expect<KubeObject>([200], "PUT", this.path, { body: { ...this.lease, spec: { ...this.lease.spec, ...spec } } })).body
        : (
            await this.api.expect<KubeObject>([200, 201], "POST", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases", {
              body: { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: this.name, namespace: "kube-node-lease" }, spec },
            })
          ).body;
    } catch (error) {
      // Read it afresh next time (a conflict, or it was deleted).
      this.lease = null;
      throw error;
    }
  }
}
