// Runs the pods Skylight binds to this agent's host: for each HostPod, a network namespace with an
// address (pod-network.ts), its images pulled (pod-images.ts) and each container started by its
// RuntimeClass's engine (runc-engine.ts; crx beside it), restarted per restartPolicy with kube's
// backoff, and a PodReport of what it observes. `sync` is level-triggered and idempotent: it may be
// called with the same list any number of times, by an agent that was just restarted too.
//
// What the runtime must remember across an agent's restart (restart counts, the last termination,
// the pod's address) is in `state.json` in the pod's directory, written before the step it
// records is taken; what runs is asked of the engine, which finds it on disk. So an agent killed
// with -9 adopts the containers that ran on and never starts a second copy.
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ContainerEngine } from "@/lib/spherelet/agent/container-engine";
import { podCgroup, podCgroupUsage, removePodCgroups } from "@/lib/spherelet/agent/pod-cgroups";
import { containerBundleDir, containerLogFile, containerStdinFifo, podDir, podsDir, runcContainerId } from "@/lib/spherelet/agent/pod-files";
import { ImagePullError, type PulledImage } from "@/lib/spherelet/agent/pod-images";
import { agentKey, PodNetwork } from "@/lib/spherelet/agent/pod-network";
import { backoffDelay, KUBE_BACKOFF, type BackoffPolicy } from "@/lib/spherelet/agent/restart-backoff";
import { containerProcess } from "@/lib/spherelet/agent/oci-config";
import { RuncEngine } from "@/lib/spherelet/agent/runc-engine";
import { CrxEngine } from "@/lib/spherelet/agent/crx-engine";
import type { ContainerReport, HostPod, HostPodContainer, PodReport } from "@/lib/spherelet/pod-protocol";

type Terminated = { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string; containerID?: string };

interface ContainerState {
  restartCount: number;
  imageID: string;
  /** The run under way: recorded before the engine is asked to start it. */
  run: { startedAt: string } | null;
  /** The last run's end, once it ended. */
  terminated: Terminated | null;
  /** It will not be started again (restartPolicy). */
  done: boolean;
  /** The next attempt (a restart or an image pull) and its backoff step. */
  nextAttemptAt: number;
  backoffStep: number;
  waiting: { reason: string; message?: string } | null;
}

interface PodState {
  pod: HostPod;
  /** The host part of the pod's address in the agent's /24. */
  addressHost: number;
  startTime: string;
  containers: Record<string, ContainerState>;
}

/** What pods a runtime serves images from: pod-images.ts's PodImages, or a test's. */
export interface ImageSource {
  pull(image: HostPodContainer["pull"]): Promise<PulledImage>;
  unpack(digest: string, rootfs: string): Promise<void>;
}

export interface PodRuntimeOptions {
  /** The agent's run directory (pod-files.ts). */
  runDir: string;
  /** The agent's pod range, a /24 (--pod-cidr). */
  podCidr: string;
  images: ImageSource;
  log: (message: string) => void;
  /** Engines by RuntimeClass; runc by default. A pod whose class has no engine waits with a message. */
  engines?: Partial<Record<HostPod["runtimeClass"], ContainerEngine>>;
  backoff?: BackoffPolicy;
  /** How often running pods are looked at (exits, restarts due, usage). */
  tickMs?: number;
}

type Listener = (uid: string) => void;

export class PodRuntime {
  private readonly pods = new Map<string, PodState>();
  /** Deleted pods whose files are gone: reported `stopped` until the server stops listing them. */
  private readonly stopped = new Set<string>();
  private readonly passes = new Map<string, { running: Promise<void>; again: boolean }>();
  private readonly reported = new Map<string, string>();
  private readonly reports = new Map<string, PodReport>();
  private readonly usage = new Map<string, { at: number; cpuNanos: number; report: PodReport["usage"] }>();
  private readonly listeners = new Set<Listener>();
  /** Pods whose network this runtime has seen in place, and the state each last saved: neither is redone every look. */
  private readonly attached = new Set<string>();
  private readonly saved = new Map<string, string>();
  private readonly network: PodNetwork;
  private readonly engines: Partial<Record<HostPod["runtimeClass"], ContainerEngine>>;
  private readonly backoff: BackoffPolicy;
  private readonly agentKey: string;
  private readonly loaded: Promise<void>;
  private readonly ticker: NodeJS.Timeout;

  constructor(private readonly options: PodRuntimeOptions) {
    this.agentKey = agentKey(options.runDir);
    this.network = new PodNetwork(this.agentKey, options.podCidr);
    this.engines = options.engines ?? { runc: new RuncEngine(options.runDir, this.agentKey), crx: new CrxEngine(options.runDir) };
    this.backoff = options.backoff ?? KUBE_BACKOFF;
    this.loaded = this.load();
    this.ticker = setInterval(() => {
      for (const uid of this.pods.keys()) this.kick(uid);
    }, options.tickMs ?? 1_000);
    this.ticker.unref();
  }

  /** The server's whole list of this host's pods. A pod that is here and not listed is stopped and removed too. */
  async sync(pods: HostPod[]): Promise<void> {
    await this.loaded;
    const listed = new Set(pods.map((pod) => pod.uid));
    for (const uid of this.stopped) if (!listed.has(uid)) this.stopped.delete(uid);
    for (const pod of pods) {
      if (this.stopped.has(pod.uid)) continue;
      const state = this.pods.get(pod.uid);
      if (state) state.pod = pod;
      else if (!pod.deleted) await this.admit(pod);
      else {
        this.stopped.add(pod.uid);
        this.notify(pod.uid);
      }
    }
    for (const [uid, state] of this.pods) if (!listed.has(uid)) state.pod = { ...state.pod, deleted: true };
    await Promise.all([...this.pods.keys()].map((uid) => this.kick(uid)));
  }

  /** The pod's latest report; null for a pod this runtime does not know. */
  report(uid: string): PodReport | null {
    if (this.stopped.has(uid)) return { phase: "Succeeded", podIP: null, startTime: null, containers: [], stopped: true, usage: null };
    return this.reports.get(uid) ?? null;
  }

  podIP(uid: string): string | null {
    const state = this.pods.get(uid);
    return state ? this.network.address(state.addressHost) : null;
  }

  /** Called with a pod's uid when its report changed (other than its usage). */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops looking at the pods; their containers run on for the next agent. */
  async close(): Promise<void> {
    clearInterval(this.ticker);
    await Promise.all([...this.passes.values()].map((pass) => pass.running));
  }

  private async load(): Promise<void> {
    const entries = await readdir(podsDir(this.options.runDir)).catch(() => []);
    for (const uid of entries) {
      const text = await readFile(this.stateFile(uid), "utf8").catch(() => null);
      if (text) this.pods.set(uid, JSON.parse(text) as PodState);
    }
  }

  private async admit(pod: HostPod): Promise<void> {
    const known = await readFile(this.stateFile(pod.uid), "utf8").catch(() => null);
    if (known) {
      this.pods.set(pod.uid, { ...(JSON.parse(known) as PodState), pod });
      return;
    }
    const used = new Set([...this.pods.values()].map((state) => state.addressHost));
    let host = PodNetwork.HOSTS.first;
    while (used.has(host) && host <= PodNetwork.HOSTS.last) host++;
    if (host > PodNetwork.HOSTS.last) throw new Error(`no address left in ${this.options.podCidr} for pod ${pod.namespace}/${pod.name}`);
    const containers = Object.fromEntries(
      pod.containers.map((container): [string, ContainerState] => [
        container.name,
        { restartCount: 0, imageID: "", run: null, terminated: null, done: false, nextAttemptAt: 0, backoffStep: 0, waiting: { reason: "ContainerCreating" } },
      ]),
    );
    const state: PodState = { pod, addressHost: host, startTime: new Date().toISOString(), containers };
    this.pods.set(pod.uid, state);
    await mkdir(podDir(this.options.runDir, pod.uid), { recursive: true });
    await this.save(state);
    this.options.log(`pod ${pod.namespace}/${pod.name}: admitted at ${this.network.address(host)}`);
  }

  /** Runs a pass over the pod; one asked for while one runs runs once more after it. */
  private kick(uid: string): Promise<void> {
    const current = this.passes.get(uid);
    if (current) {
      current.again = true;
      return current.running;
    }
    const pass = { running: Promise.resolve(), again: false };
    pass.running = (async () => {
      do {
        pass.again = false;
        try {
          await this.pass(uid);
        } catch (error) {
          this.options.log(`pod ${uid}: ${(error as Error).message}`);
        }
      } while (pass.again);
    })().finally(() => this.passes.delete(uid));
    this.passes.set(uid, pass);
    return pass.running;
  }

  private async pass(uid: string): Promise<void> {
    const state = this.pods.get(uid);
    if (!state) return;
    if (state.pod.deleted) return this.remove(state);
    if (!this.attached.has(uid)) {
      await this.network.attach(uid, this.network.address(state.addressHost));
      this.attached.add(uid);
    }
    for (const container of state.pod.containers) await this.drive(state, container);
    await this.save(state);
    this.publish(state, await this.measure(uid));
  }

  /** One container's next step: note how its run ended, restart it when due, or start it the first time. */
  private async drive(state: PodState, container: HostPodContainer): Promise<void> {
    const pod = state.pod;
    const current = (state.containers[container.name] ??= { restartCount: 0, imageID: "", run: null, terminated: null, done: false, nextAttemptAt: 0, backoffStep: 0, waiting: null });
    const engine = this.engines[pod.runtimeClass];
    if (!engine) {
      current.waiting = { reason: "CreateContainerConfigError", message: `this host runs no ${pod.runtimeClass} containers` };
      return;
    }
    const bundle = containerBundleDir(this.options.runDir, pod.uid, container.name);
    if (current.run) {
      const seen = await engine.observe(pod.uid, container.name, bundle);
      if (seen.state === "running") return;
      const ended: Terminated =
        seen.state === "exited"
          ? { exitCode: seen.exitCode, reason: seen.oomKilled ? "OOMKilled" : seen.exitCode === 0 ? "Completed" : "Error", startedAt: current.run.startedAt, finishedAt: seen.finishedAt }
          : { exitCode: 137, reason: "ContainerStatusUnknown", message: "The container could not be found: its process ended without a trace", startedAt: current.run.startedAt, finishedAt: new Date().toISOString() };
      ended.containerID = `${pod.runtimeClass}://${runcContainerId(pod.uid, container.name)}`;
      this.ended(pod, container, current, ended);
      await this.save(state);
    }
    if (current.done || Date.now() < current.nextAttemptAt) {
      if (!current.done && current.terminated) current.waiting = { reason: "CrashLoopBackOff", message: `back-off ${Math.round(backoffDelay(this.backoff, current.backoffStep - 1) / 1000)}s restarting failed container=${container.name} pod=${pod.name}_${pod.namespace}(${pod.uid})` };
      else if (current.waiting?.reason === "ErrImagePull" && !current.done) current.waiting = { reason: "ImagePullBackOff", message: `Back-off pulling image "${container.image}": ${current.waiting.message ?? ""}`.slice(0, 1024) };
      return;
    }
    try {
      await this.start(state, container, current, engine, bundle);
    } catch (error) {
      // The image is there but the container could not be made (unpacking, runc's config): say so, and try again later.
      this.options.log(`pod ${pod.namespace}/${pod.name}: container ${container.name} could not start: ${(error as Error).message}`);
      current.waiting = { reason: "CreateContainerError", message: (error as Error).message.slice(0, 1024) };
      current.nextAttemptAt = Date.now() + backoffDelay(this.backoff, Math.max(1, current.backoffStep));
      current.backoffStep++;
    }
  }

  /** Records a run's end and decides, per restartPolicy, whether and when it starts again. */
  private ended(pod: HostPod, container: HostPodContainer, current: ContainerState, ended: Terminated) {
    const ranMs = Date.parse(ended.finishedAt) - Date.parse(ended.startedAt!);
    this.options.log(`pod ${pod.namespace}/${pod.name}: container ${container.name} ended (${ended.reason}, exit code ${ended.exitCode})`);
    current.run = null;
    current.terminated = ended;
    current.done = pod.restartPolicy === "Never" || (pod.restartPolicy === "OnFailure" && ended.exitCode === 0);
    if (ranMs >= this.backoff.resetAfterMs) current.backoffStep = 0;
    current.nextAttemptAt = Date.parse(ended.finishedAt) + backoffDelay(this.backoff, current.backoffStep);
    current.backoffStep++;
    current.waiting = null;
  }

  private async start(state: PodState, container: HostPodContainer, current: ContainerState, engine: ContainerEngine, bundle: string) {
    const pod = state.pod;
    let image: PulledImage;
    try {
      image = await this.options.images.pull(container.pull);
    } catch (error) {
      if (!(error instanceof ImagePullError)) throw error;
      current.waiting = { reason: "ErrImagePull", message: error.message.slice(0, 1024) };
      current.nextAttemptAt = Date.now() + backoffDelay(this.backoff, Math.max(1, current.backoffStep));
      current.backoffStep++;
      return;
    }
    const restartCount = current.terminated ? current.restartCount + 1 : current.restartCount;
    await mkdir(bundle, { recursive: true });
    await engine.remove(pod.uid, container.name, bundle);
    await rm(path.join(bundle, "exit"), { force: true });
    await this.options.images.unpack(image.digest, path.join(bundle, "rootfs"));
    const binds = [];
    for (const mount of container.volumeMounts) {
      if (!pod.volumes.some((volume) => volume.name === mount.name && volume.emptyDir)) continue;
      const source = path.join(podDir(this.options.runDir, pod.uid), "volumes", mount.name);
      await mkdir(source, { recursive: true });
      binds.push({ source, destination: mount.mountPath, readOnly: mount.readOnly });
    }
    // Recorded before the start: a crash in between shows as a run that vanished, never as two.
    Object.assign(current, { restartCount, imageID: image.digest, run: { startedAt: new Date().toISOString() }, waiting: null });
    if (current.backoffStep === 0) current.backoffStep = 1;
    await this.save(state);
    await engine.start({
      podUid: pod.uid,
      container: container.name,
      bundleDir: bundle,
      process: containerProcess(image.config, container),
      cpuMillis: container.cpuMillis,
      memoryBytes: container.memoryBytes,
      logFile: containerLogFile(this.options.runDir, pod.uid, container.name, restartCount),
      netnsPath: this.network.netnsPath(pod.uid),
      hostname: pod.name.slice(0, 63),
      binds,
      stdinFifo: container.stdin ? containerStdinFifo(this.options.runDir, pod.uid, container.name) : null,
    });
    this.options.log(`pod ${pod.namespace}/${pod.name}: container ${container.name} started${restartCount > 0 ? ` (restart ${restartCount})` : ""}`);
  }

  /** A deleted pod: its containers stopped (SIGTERM, then SIGKILL after its grace period), its address and files released. */
  private async remove(state: PodState): Promise<void> {
    const pod = state.pod;
    const engine = this.engines[pod.runtimeClass];
    const names = Object.keys(state.containers);
    if (engine) {
      await Promise.all(
        names.map(async (name) => {
          const bundle = containerBundleDir(this.options.runDir, pod.uid, name);
          await engine.stop(pod.uid, name, bundle, pod.terminationGracePeriodSeconds);
          await engine.remove(pod.uid, name, bundle);
        }),
      );
    }
    await this.network.detach(pod.uid);
    await removePodCgroups(this.agentKey, pod.uid, names);
    await rm(podDir(this.options.runDir, pod.uid), { recursive: true, force: true });
    this.pods.delete(pod.uid);
    this.reports.delete(pod.uid);
    this.reported.delete(pod.uid);
    this.usage.delete(pod.uid);
    this.attached.delete(pod.uid);
    this.saved.delete(pod.uid);
    this.stopped.add(pod.uid);
    this.options.log(`pod ${pod.namespace}/${pod.name}: stopped and removed`);
    this.notify(pod.uid);
  }

  /** CPU in nanocores over the time since the last look, and the memory working set, from the pod's cgroup. */
  private async measure(uid: string): Promise<PodReport["usage"]> {
    const sample = await podCgroupUsage(podCgroup(this.agentKey, uid));
    if (!sample) return null;
    const now = Date.now();
    const last = this.usage.get(uid);
    const cpuNanoCores = last && now > last.at ? Math.max(0, ((sample.cpuNanos - last.cpuNanos) / (now - last.at)) * 1e6) : 0;
    const report = { cpuNanoCores: Math.round(cpuNanoCores), memoryBytes: sample.workingSetBytes };
    this.usage.set(uid, { at: now, cpuNanos: sample.cpuNanos, report });
    return report;
  }

  private publish(state: PodState, usage: PodReport["usage"]) {
    const report = podReport(state, this.network.address(state.addressHost), usage);
    this.reports.set(state.pod.uid, report);
    const shape = JSON.stringify({ ...report, usage: null });
    if (this.reported.get(state.pod.uid) === shape) return;
    this.reported.set(state.pod.uid, shape);
    this.notify(state.pod.uid);
  }

  private notify(uid: string) {
    for (const listener of this.listeners) listener(uid);
  }

  private stateFile(uid: string) {
    return path.join(podDir(this.options.runDir, uid), "state.json");
  }

  private async save(state: PodState): Promise<void> {
    const text = JSON.stringify(state);
    if (this.saved.get(state.pod.uid) === text) return;
    const file = this.stateFile(state.pod.uid);
    await writeFile(`${file}.new`, text);
    await rename(`${file}.new`, file);
    this.saved.set(state.pod.uid, text);
  }
}

/** The pod's report from what the runtime holds: kube's container states and the pod's phase. */
function podReport(state: PodState, podIP: string, usage: PodReport["usage"]): PodReport {
  const containers = state.pod.containers.map((container): ContainerReport => {
    const current = state.containers[container.name]!;
    const containerID = current.run || current.terminated ? `${state.pod.runtimeClass}://${runcContainerId(state.pod.uid, container.name)}` : undefined;
    const lastState: ContainerReport["lastState"] = current.terminated && (current.run || !current.done) ? { terminated: current.terminated } : {};
    const reportState: ContainerReport["state"] = current.run
      ? { running: { startedAt: current.run.startedAt } }
      : current.done && current.terminated
        ? { terminated: current.terminated }
        : { waiting: current.waiting ?? { reason: "ContainerCreating" } };
    return {
      name: container.name,
      state: reportState,
      lastState,
      ready: current.run !== null,
      started: current.run !== null,
      restartCount: current.restartCount,
      image: container.image,
      imageID: current.imageID,
      ...(containerID && { containerID }),
    };
  });
  return { phase: podPhase(state), podIP, startTime: state.startTime, containers, stopped: false, usage };
}

/**
 * kube's phase: Pending until every container has started once; Succeeded or Failed once every
 * container has ended for good (Failed if any ended with a non-zero code); Running in between,
 * which includes a container waiting out its restart backoff.
 */
function podPhase(state: PodState): PodReport["phase"] {
  const containers = Object.values(state.containers);
  if (containers.every((container) => container.done)) return containers.some((container) => container.terminated!.exitCode !== 0) ? "Failed" : "Succeeded";
  if (containers.some((container) => !container.run && !container.terminated)) return "Pending";
  return "Running";
}
