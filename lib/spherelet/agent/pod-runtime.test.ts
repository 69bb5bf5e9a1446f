// The pod runtime against real runc, as root: busybox pods from the checkout's OCI layout (served
// to the runtime's puller by lib/testing/oci-layout-registry.ts instead of Skylight's registry).
// A pod prints, serves HTTP at its address and is reached from the host; one over its memory limit
// is OOM-killed and restarted with backoff; a pod started by a runtime in another process that is
// killed with -9 is adopted, not started twice; a deleted pod is stopped and leaves nothing behind.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, rmdirSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { get } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkoutBusyboxImage, type BusyboxImage } from "@/lib/containers/busybox-image";
import { shimPid } from "@/lib/spherelet/agent/container-shim";
import { containerBundleDir, containerLogFile, podDir, runcRoot } from "@/lib/spherelet/agent/pod-files";
import { PodImages } from "@/lib/spherelet/agent/pod-images";
import { agentKey, bridgeName } from "@/lib/spherelet/agent/pod-network";
import { PodRuntime } from "@/lib/spherelet/agent/pod-runtime";
import { layoutRegistry } from "@/lib/testing/oci-layout-registry";
import type { HostPod, HostPodContainer, PodReport } from "@/lib/spherelet/pod-protocol";

const BACKOFF = { initialMs: 1_000, maxMs: 2_000, resetAfterMs: 600_000 };
const POD_CIDR = "10.251.7.0/24";
let runDir: string;
let image: BusyboxImage;
let images: PodImages;
const runtimes: PodRuntime[] = [];
const pods: HostPod[] = [];

const newRuntime = () => {
  const runtime = new PodRuntime({ runDir, podCidr: POD_CIDR, images, log: () => undefined, backoff: BACKOFF, tickMs: 200 });
  runtimes.push(runtime);
  return runtime;
};

function pod(name: string, container: Partial<HostPodContainer>, change: Partial<HostPod> = {}): HostPod {
  return {
    uid: `00000000-0000-4000-8000-${name.padStart(12, "0").slice(-12)}`,
    namespace: "dev",
    name,
    runtimeClass: "runc",
    restartPolicy: "Always",
    containers: [
      {
        name: "main",
        image: "busybox:1",
        pull: { repository: "dev/busybox", reference: "1" },
        command: null,
        args: null,
        env: [],
        workingDir: null,
        ports: [],
        cpuMillis: null,
        memoryBytes: null,
        volumeMounts: [],
        stdin: false,
        tty: false,
        ...container,
      },
    ],
    volumes: [],
    terminationGracePeriodSeconds: 1,
    deleted: false,
    ...change,
  };
}

async function until<T>(what: string, look: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await look();
    if (seen) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Deletes a pod that has served its test, so it costs the rest of the file nothing. */
async function retire(runtime: PodRuntime, done: HostPod) {
  pods[pods.indexOf(done)] = { ...done, deleted: true, terminationGracePeriodSeconds: 0 };
  await runtime.sync(pods);
  pods.splice(pods.findIndex((each) => each.uid === done.uid), 1);
}

const runcIds = () => (JSON.parse(execFileSync("runc", ["--root", runcRoot(runDir), "list", "--format", "json"], { encoding: "utf8" }) || "[]") as { id: string }[] | null ?? []).map((entry) => entry.id);

const httpGet = (url: string) =>
  new Promise<string>((resolve, reject) => {
    get(url, { timeout: 3_000 }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => resolve(body));
    }).on("error", reject);
  });

beforeAll(async () => {
  image = await checkoutBusyboxImage();
  runDir = await mkdtemp(path.join(tmpdir(), "skylight-pods-"));
  images = new PodImages(path.join(runDir, "images"), layoutRegistry({ "dev/busybox": image.layout }));
}, 120_000);

afterAll(async () => {
  const runtime = runtimes.at(-1)!;
  await runtime.sync(pods.map((each) => ({ ...each, deleted: true, terminationGracePeriodSeconds: 0 })));
  for (const each of runtimes) await each.close();
  execFileSync("ip", ["link", "delete", bridgeName(agentKey(runDir))]);
  for (const controller of readdirSync("/sys/fs/cgroup")) {
    const agentCgroup = path.join("/sys/fs/cgroup", controller, "skylight", agentKey(runDir));
    if (existsSync(agentCgroup)) rmdirSync(agentCgroup);
  }
  await rm(runDir, { recursive: true, force: true });
});

describe("PodRuntime", () => {
  const web = pod("web", { command: ["sh", "-c", "echo hello from $GREETING; echo oops >&2; echo pong > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"], env: [{ name: "GREETING", value: "web" }], cpuMillis: 200 });
  const hog = pod("hog", { command: ["sh", "-c", "echo eating; x=aaaaaaaa; while true; do x=$x$x; done"], memoryBytes: 16 * 1024 * 1024 });
  const once = pod("once", { command: ["sh", "-c", "echo done; exit 3"] }, { restartPolicy: "Never" });
  const survivor = pod("survivor", { command: ["sh", "-c", "echo pong > /tmp/index.html; exec httpd -f -p 8080 -h /tmp"] });
  const missing = pod("missing", { image: "nothere:1", pull: { repository: "dev/nothere", reference: "1" } });

  it("runs a pod that prints and serves: its log has the lines stamped, and the host reaches it at its address", async () => {
    const runtime = newRuntime();
    pods.push(web);
    await runtime.sync(pods);
    const report = await until("web to run", () => runtime.report(web.uid)?.phase === "Running" && runtime.report(web.uid));
    expect(report.podIP).toMatch(/^10\.251\.7\.\d+$/);
    expect(report.containers[0]).toMatchObject({ name: "main", ready: true, restartCount: 0, state: { running: {} }, imageID: expect.stringMatching(/^sha256:/) });

    const log = await until("the log lines", async () => {
      const text = await readFile(containerLogFile(runDir, web.uid, "main", 0), "utf8").catch(() => "");
      return text.includes("oops") && text;
    });
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F hello from web$/m);
    expect(log).toMatch(/^\S+ stderr F oops$/m);
    expect(await until("the pod's web server", () => httpGet(`http://${report.podIP}:8080/index.html`).catch(() => null))).toBe("pong\n");
  });

  it("OOM-kills a container over its memory limit and restarts it with backoff, waiting in CrashLoopBackOff between", async () => {
    const runtime = runtimes.at(-1)!;
    const seen: PodReport[] = [];
    const stopListening = runtime.onChange((uid) => uid === hog.uid && seen.push(runtime.report(uid)!));
    pods.push(hog);
    await runtime.sync(pods);
    const report = await until("two restarts", () => (runtime.report(hog.uid)?.containers[0]?.restartCount ?? 0) >= 2 && runtime.report(hog.uid), 20_000);
    stopListening();
    expect(report.phase).toBe("Running");
    expect(report.containers[0]!.lastState).toMatchObject({ terminated: { exitCode: 137, reason: "OOMKilled" } });
    const waiting = seen.map((each) => each.containers[0]!.state).find((state) => "waiting" in state && state.waiting.reason === "CrashLoopBackOff");
    expect(waiting).toBeDefined();
    // The first restart is at once, the second after the 1 s backoff.
    const runs = seen.map((each) => each.containers[0]!.state).filter((state) => "running" in state);
    const starts = [...new Set(runs.map((state) => ("running" in state ? state.running.startedAt : "")))].map(Date.parse);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(BACKOFF.initialMs);
    await retire(runtime, hog);
  });

  it("reports a Never pod that exited as Failed with its exit code, and an image that is not there as ErrImagePull, then ImagePullBackOff", async () => {
    const runtime = runtimes.at(-1)!;
    const reasons = new Set<string>();
    const stopListening = runtime.onChange((uid) => {
      const state = uid === missing.uid && runtime.report(uid)?.containers[0]?.state;
      if (state && "waiting" in state) reasons.add(state.waiting.reason);
    });
    pods.push(once, missing);
    await runtime.sync(pods);
    const ended = await until("once to end", () => runtime.report(once.uid)?.phase === "Failed" && runtime.report(once.uid));
    expect(ended.containers[0]!.state).toMatchObject({ terminated: { exitCode: 3, reason: "Error" } });
    expect(ended.containers[0]!.restartCount).toBe(0);
    await until("ImagePullBackOff", () => reasons.has("ImagePullBackOff"));
    stopListening();
    expect(reasons).toContain("ErrImagePull");
    expect(runtime.report(missing.uid)).toMatchObject({ phase: "Pending", containers: [{ state: { waiting: { message: expect.stringContaining("dev/nothere:1: not found") } } }] });
    await retire(runtime, once);
    await retire(runtime, missing);
  });

  it("adopts the running containers after the agent is killed with -9, without starting a second copy", async () => {
    // The pod is started by a runtime in a process of its own, which is then killed.
    const agent = spawn(process.execPath, ["--import", "tsx", "lib/testing/pod-runtime-process.ts", runDir, POD_CIDR, image.layout, JSON.stringify([survivor])], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => agent.once("exit", resolve));
    let output = "";
    agent.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await until("the survivor to run in the agent process", () => output.includes('"phase":"Running"'), 30_000);
    const pid = await shimPid(containerBundleDir(runDir, survivor.uid, "main"));
    expect(pid).not.toBeNull();
    agent.kill("SIGKILL");
    await exited;

    pods.push(survivor);
    await runtimes.at(-1)!.close();
    const after = newRuntime();
    await after.sync(pods);
    const report = await until("the survivor's report", () => after.report(survivor.uid));
    expect(report.containers[0]).toMatchObject({ state: { running: {} }, restartCount: 0 });
    expect(await shimPid(containerBundleDir(runDir, survivor.uid, "main"))).toBe(pid);
    // runc lists a container only while its state file reads whole, which a moment of load can miss: look again, but never accept two.
    const survivors = await until("runc to list the survivor's one container", () => {
      const ids = runcIds().filter((id) => id.startsWith(survivor.uid));
      return ids.length > 0 && ids;
    });
    expect(survivors).toHaveLength(1);
    expect(await until("the survivor's web server", () => httpGet(`http://${report.podIP}:8080/index.html`).catch(() => null))).toBe("pong\n");
  });

  it("stops a deleted pod, removes its files, network and runc state, and reports it stopped", async () => {
    const runtime = runtimes.at(-1)!;
    const index = pods.indexOf(web);
    pods[index] = { ...web, deleted: true };
    await runtime.sync(pods);
    expect(runtime.report(web.uid)).toMatchObject({ stopped: true });
    expect(existsSync(podDir(runDir, web.uid))).toBe(false);
    expect(runcIds().filter((id) => id.startsWith(web.uid))).toEqual([]);
    expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain(web.uid);
    expect(execFileSync("ip", ["-o", "link", "show", "master", bridgeName(agentKey(runDir))], { encoding: "utf8" })).not.toContain(web.uid);
    pods.splice(index, 1);
  });
});
