// The spherelet: the agent on a real host, the kubelet's counterpart. It keeps the host's Node and
// Lease through Skylight's Kubernetes API, waits for the specs of the machines placed on the host,
// drives each towards its spec with QEMU and reports their status and its datastores' space.
// QEMU processes are not its children: stopping the agent leaves every VM running, and the next
// agent of the host adopts each when the server's list names it. Only the machines placed on this
// host are touched: the hosts of a cluster share one datastore directory (as they would mount one
// NFS export), while each keeps its QEMU pid files and sockets in its own run directory. Its own
// endpoint (kubelet-server.ts, the kubelet's port) serves the screens of those machines to Skylight.
// Beside the machines it runs the Pods bound to the host (pod-workers.ts, pod-runtime.ts), which
// outlive it the same way.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { vmFiles } from "@/lib/hypervisor/qemu-vm";
import { hashToken } from "@/lib/kube/api-tokens";
import { pause, runLoop } from "@/lib/spherelet/agent/agent-loop";
import { HostLease, HostNode, hostFacts, type HostFacts } from "@/lib/spherelet/agent/host-node";
import { DatastoreDirs } from "@/lib/spherelet/agent/datastore-dirs";
import { ensureIsolationWatchdog, recordHeartbeat } from "@/lib/spherelet/agent/isolation-watchdog";
import { startKubeletServer, type KubeletServer } from "@/lib/spherelet/agent/kubelet-server";
import { MachineWorkers } from "@/lib/spherelet/agent/machine-workers";
import { podImagesDir } from "@/lib/spherelet/agent/pod-files";
import { PodImages } from "@/lib/spherelet/agent/pod-images";
import { defaultPodCidr, POD_CIDR_PATTERN } from "@/lib/spherelet/agent/pod-network";
import { PodRuntime } from "@/lib/spherelet/agent/pod-runtime";
import { PodWorkers, skylightRegistry, USAGE_REPORT_MS } from "@/lib/spherelet/agent/pod-workers";
import { PODS_PATH_SEGMENT, type PodList } from "@/lib/spherelet/pod-protocol";
import { MAX_WAIT_SECONDS, SPHERELET_PATH_PREFIX, type MachineList } from "@/lib/spherelet/machine-protocol";
import { trustedCertificateAuthority, TrustError, type ServerTrust } from "@/lib/spherelet/agent/server-trust";
import { SkylightApi } from "@/lib/spherelet/agent/skylight-api";

export interface AgentTiming {
  leaseRenewMs: number;
  nodeStatusMs: number;
  reconvergeMs: number;
  datastoreReportMs: number;
  /** How long each long poll for machine specs waits on the server. */
  machineWaitSeconds: number;
}

export const DEFAULT_TIMING: AgentTiming = { leaseRenewMs: 10_000, nodeStatusMs: 10_000, reconvergeMs: 5_000, datastoreReportMs: 30_000, machineWaitSeconds: 25 };

export interface AgentOptions {
  /** Skylight's Kubernetes API, https://host:port. */
  server: string;
  /** The host's bootstrap token. */
  token: string;
  /** The host's name: its Node, its Lease, and the host its machines are placed on. */
  name: string;
  /** The directory of the host's default datastore (a bare --datastore DIR). */
  datastoreDir: string;
  /** The directories of its other datastores, by name (--datastore NAME=DIR). */
  datastoreDirs?: Record<string, string>;
  /** This host's own directory for QEMU's pid files and sockets (never a shared datastore). */
  runDir: string;
  cpus: number;
  memoryGiB: number;
  /** The agent's own HTTPS port (the kubelet's 10250); 0: any free port. */
  port: number;
  trust: ServerTrust;
  /** The /24 this host's pods get their addresses from (--pod-cidr); by default one of 10.244.0.0/16's, picked by the host's name. */
  podCidr?: string;
  /** Skylight networks whose NICs go on a bridge of this host, by network name; others get user-mode networking. */
  bridges?: Record<string, string>;
  /** One line per action; default console.log. */
  log?: (line: string) => void;
  timing?: Partial<AgentTiming>;
}

export interface RunningAgent {
  /** Stops talking to Skylight and lets go of the VMs, which run on. */
  stop(): Promise<void>;
}

/**
 * Starts the agent. Rejects only when the server's certificate does not match the pinned CA (or
 * the options are unusable); a server that cannot be reached is retried in the background.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const log = (message: string) => (options.log ?? console.log)(`[spherelet] ${message}`);
  const serverUrl = new URL(options.server);
  const podCidr = options.podCidr ?? defaultPodCidr(options.name);
  if (!POD_CIDR_PATTERN.test(podCidr)) throw new Error(`The pod range must be a /24 written a.b.c.0/24; got ${podCidr}.`);
  if (serverUrl.protocol !== "https:") throw new Error(`The server must be an https:// URL (the host's token is sent only over TLS); got ${options.server}.`);
  for (const dir of [options.datastoreDir, ...Object.values(options.datastoreDirs ?? {})]) await mkdir(path.join(dir, "vms"), { recursive: true });
  const datastores = new DatastoreDirs(options.datastoreDir, options.datastoreDirs);
  await mkdir(options.runDir, { recursive: true });
  await ensureIsolationWatchdog(options.runDir);
  const facts = await hostFacts(options.name);
  // Only machines the server lists for this host show their screen; the list comes with each answer about machine specs.
  const listed = new Set<string>();
  // The pods' runtime starts once Skylight is trusted; until then no pod has an address to forward to.
  let podRuntime: PodRuntime | null = null;
  const endpoint = await startKubeletServer({
    host: options.name,
    tokenHash: hashToken(options.token),
    port: options.port,
    hostnames: [options.name, ...facts.addresses.map((address) => address.address)],
    consoleSocket: (id) => (listed.has(id) ? vmFiles(path.join(options.runDir, id)).vnc : null),
    runDir: options.runDir,
    podAddress: (uid) => podRuntime?.podIP(uid) ?? null,
    log,
  }).catch((error: Error) => {
    throw new Error(`The agent's port ${options.port} could not be opened (agents sharing a machine each need their own --port, or --port 0): ${error.message}`);
  });
  const controller = new AbortController();
  const { signal } = controller;

  // The first look at the server's certificate happens before startAgent returns, so a pin that
  // does not match fails the start; a server that cannot be reached yet is retried in the background.
  const firstTrust = await trustedCertificateAuthority(serverUrl, options.trust).catch((error: Error) => {
    if (error instanceof TrustError || "caFile" in options.trust) throw error;
    log(`reaching ${serverUrl.origin} failed (retrying): ${error.message}`);
    return null;
  });
  const running = (async () => {
    const ca = firstTrust ?? (await retryTrust(serverUrl, options.trust, log, signal));
    if (ca === null) return;
    const api = new SkylightApi(options.server, options.token, ca);
    const workers = new MachineWorkers(api, options.name, datastores, options.runDir, log, options.bridges, facts.addresses.find((address) => address.type === "InternalIP")!.address);
    const runtime = new PodRuntime({ runDir: options.runDir, podCidr, images: new PodImages(podImagesDir(options.runDir), skylightRegistry(api)), log });
    podRuntime = runtime;
    const pods = new PodWorkers(api, options.name, runtime, log);
    await Promise.all(hostLoops(options, timing, { api, datastores, workers, pods, facts, endpoint, listed, log, signal }));
    await Promise.all([workers.stop(), pods.stop()]);
    api.close();
  })().catch((error: Error) => log(`${options.name}: stopped after an error: ${error.message}`));
  const others = Object.entries(options.datastoreDirs ?? {}).map(([name, dir]) => `, datastore ${name} at ${dir}`);
  log(`${options.name}: started (default datastore at ${options.datastoreDir}${others.join("")}, ${options.cpus} CPUs, ${options.memoryGiB} GiB, pods in ${podCidr}, server ${serverUrl.origin}, consoles on port ${endpoint.port})`);

  return {
    async stop() {
      controller.abort();
      await running;
      await endpoint.close();
      log(`${options.name}: stopped; its VMs and pods run on`);
    },
  };
}

interface HostParts {
  api: SkylightApi;
  datastores: DatastoreDirs;
  workers: MachineWorkers;
  pods: PodWorkers;
  facts: HostFacts;
  endpoint: KubeletServer;
  /** The machines the server last listed for this host. */
  listed: Set<string>;
  log: (message: string) => void;
  signal: AbortSignal;
}

/** The agent's repeating tasks, each until `signal` aborts. */
function hostLoops(options: AgentOptions, timing: AgentTiming, { api, datastores, workers, pods, facts, endpoint, listed, log, signal }: HostParts): Promise<void>[] {
  const node = new HostNode(api, facts, options, { port: endpoint.port, certificateHash: endpoint.certificateHash }, log);
  const lease = new HostLease(api, options.name);
  const hostPath = `${SPHERELET_PATH_PREFIX}${encodeURIComponent(options.name)}`;
  const waitSeconds = Math.min(timing.machineWaitSeconds, MAX_WAIT_SECONDS);
  let version: string | null = null;
  let podVersion: string | null = null;
  const reportDatastores = async () => {
    const report = await datastores.report();
    if (report) await api.expect([200, 204], "PUT", `${hostPath}/datastore`, { body: report });
  };
  let listedDatastores = "";
  /** Skylight's datastores for this host, as its machine list names them (their space is reported at once); what this host lacks is said once. */
  const learnDatastores = (names: string[]) => {
    if (names.join("\0") === listedDatastores) return;
    listedDatastores = names.join("\0");
    for (const name of datastores.configure(names)) log(`datastore ${name} has no directory on this host: VMs on it cannot run here until the agent is started with --datastore ${name}=DIR`);
    for (const name of datastores.unlisted()) log(`--datastore ${name}: Skylight lists no such datastore for ${options.name}; its directory is left alone`);
    reportDatastores().catch((error: Error) => log(`reporting the datastores failed: ${error.message}`));
  };
  return [
    runLoop({ name: "updating the Node", intervalMs: timing.nodeStatusMs, run: () => node.sync(), log, signal }),
    runLoop({
      name: "renewing the Lease",
      intervalMs: timing.leaseRenewMs,
      maxBackoffMs: timing.leaseRenewMs,
      run: async () => {
        const sentAt = new Date();
        await lease.renew();
        await recordHeartbeat(options.runDir, sentAt);
      },
      log,
      signal,
    }),
    runLoop({
      name: "reporting the datastores",
      intervalMs: timing.datastoreReportMs,
      run: reportDatastores,
      log,
      signal,
    }),
    runLoop({
      name: "waiting for machine specs",
      intervalMs: 0,
      run: async (abort) => {
        const query = version === null ? "" : `?after=${encodeURIComponent(version)}&waitSeconds=${waitSeconds}`;
        const { body } = await api.expect<MachineList>([200], "GET", `${hostPath}/machines${query}`, { signal: abort, timeoutMs: (waitSeconds + 15) * 1000 });
        version = body.version;
        listed.clear();
        for (const machine of body.machines) if (!machine.spec.deleted && machine.role === "run") listed.add(machine.id);
        if (body.datastores.length > 0) learnDatastores(body.datastores);
        workers.update(body.machines);
      },
      log,
      signal,
    }),
    runLoop({
      name: "waiting for pod specs",
      intervalMs: 0,
      run: async (abort) => {
        const query = podVersion === null ? "" : `?after=${encodeURIComponent(podVersion)}&waitSeconds=${waitSeconds}`;
        const { body } = await api.expect<PodList>([200], "GET", `${hostPath}/${PODS_PATH_SEGMENT}${query}`, { signal: abort, timeoutMs: (waitSeconds + 15) * 1000 });
        podVersion = body.version;
        pods.update(body);
      },
      log,
      signal,
    }),
    runLoop({ name: "reporting pod usage", intervalMs: USAGE_REPORT_MS, run: async () => pods.reportAll(), log, signal }),
    (async () => {
      while (!signal.aborted) {
        await pause(timing.reconvergeMs, signal);
        workers.kickAll();
      }
    })(),
  ];
}

/** The pinned CA once the server can be reached; null if the agent stops first. A mismatch ends the agent. */
async function retryTrust(serverUrl: URL, trust: ServerTrust, log: (message: string) => void, signal: AbortSignal): Promise<string | null> {
  for (let backoffMs = 1_000; !signal.aborted; backoffMs = Math.min(backoffMs * 2, 30_000)) {
    await pause(backoffMs, signal);
    try {
      return await trustedCertificateAuthority(serverUrl, trust);
    } catch (error) {
      if (error instanceof TrustError) throw error;
      log(`reaching ${serverUrl.origin} failed (retrying in ${backoffMs / 1000} s): ${(error as Error).message}`);
    }
  }
  return null;
}
