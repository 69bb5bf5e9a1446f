// Pods on a real host, end to end: a real host agent (`npm run spherelet`, its own process, as
// root) joined to the real API server and engine, the busybox image pushed with the real skopeo to
// Skylight's registry, and the real kubectl 1.32. `kubectl run` is scheduled onto the agent's host,
// which pulls the image from /v2/ with its host token, runs it through runc in its own network
// namespace and reports it Running; `kubectl logs` and `logs -f` show what it prints, `kubectl exec`
// runs a command in it with the exit code coming back, `kubectl port-forward` reaches its httpd
// (and reports a closed port as the kubelet does); a container over its memory limit is
// OOM-killed and restarted with backoff (CrashLoopBackOff between runs); deleting a pod stops it,
// releases its address and files, and the Pod goes.
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { checkoutBusyboxImage } from "@/lib/containers/busybox-image";
import { getObject } from "@/lib/engine/object-store";
import { readPodLog } from "@/lib/inventory/pod-logs";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import type { PodStatus } from "@/lib/engine/pod-status";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { podDir } from "@/lib/spherelet/agent/pod-files";
import { agentKey, bridgeName } from "@/lib/spherelet/agent/pod-network";
import { CLUSTER, NAMESPACE, OPERATOR, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, KUBECTL, type KubeHarness } from "@/lib/testing/kube-harness";

const run = promisify(execFile);
const HOST = "pods-real-1";
let kube: KubeHarness;
let scratch: string;
let runDir: string;
let agent: ChildProcess;
let output = "";
let image: string;

const pod = (name: string) => getObject<unknown, PodStatus>(kube.pool, { kind: "Pod", namespace: NAMESPACE, name });

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  kube.startEngine();
  scratch = await mkdtemp(path.join(tmpdir(), "skylight-pods-agent-"));
  runDir = path.join(scratch, "run");
  const { token } = await addAgentHost(OPERATOR, { name: HOST, cluster: CLUSTER }, kube.pool);
  agent = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/spherelet.ts", "--server", `https://127.0.0.1:${kube.server.port}`, "--token", token, "--name", HOST, "--datastore", path.join(scratch, "datastore"), "--run-dir", runDir, "--port", "0", "--pod-cidr", "10.251.33.0/24", "--cpus", "2", "--memory", "2", "--ca-cert-hash", caCertHash(kube.server.certificateAuthorityPem)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  agent.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));

  // The image goes in as a user would push it: skopeo, the cluster's CA, an API token.
  const busybox = await checkoutBusyboxImage();
  const certDir = path.join(scratch, "certs");
  mkdirSync(certDir);
  writeFileSync(path.join(certDir, "ca.crt"), kube.server.certificateAuthorityPem);
  image = `127.0.0.1:${kube.server.port}/${NAMESPACE}/busybox:${busybox.tag}`;
  await run("skopeo", ["copy", "--quiet", "--dest-cert-dir", certDir, "--dest-registry-token", kube.tokens.operator, `oci:${busybox.layout}:${busybox.tag}`, `docker://${image}`], { env: { ...process.env, HOME: scratch } });
  await waitFor(async () => (await kube.kubectl(["get", "node", HOST, "-o", "jsonpath={.status.conditions[?(@.type=='Ready')].status}"])).stdout === "True", "the agent's Node to be Ready", 30_000, async () => output);
}, 90_000);

afterAll(async () => {
  agent?.kill("SIGKILL");
  if (runDir) execFileSync("sh", ["-c", `ip link delete ${bridgeName(agentKey(runDir))} 2>/dev/null; true`]);
  if (scratch) await rm(scratch, { recursive: true, force: true });
  await kube?.stopKube();
});

test("kubectl run puts a pod on the real host, which pulls the pushed image and runs it; logs, logs -f, exec and port-forward work; delete cleans up", async () => {
  const created = await kube.kubectl(["run", "ticker", "-n", NAMESPACE, `--image=${image}`, "--", "sh", "-c", "mkdir /www; echo hello from the pod > /www/index.html; httpd -p 80 -h /www; i=0; while true; do echo tick $i; i=$((i+1)); sleep 1; done"]);
  expect(created.stderr).toBe("");
  const waited = await kube.kubectl(["wait", "-n", NAMESPACE, "--for=condition=Ready", "pod/ticker", "--timeout=60s"], { timeoutMs: 70_000 });
  expect(waited.stdout, `${waited.stderr}\n${output}`).toContain("condition met");
  const wide = await kube.kubectl(["get", "pod", "ticker", "-n", NAMESPACE, "-o", "wide", "--no-headers"]);
  expect(wide.stdout).toMatch(new RegExp(`^ticker\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.251\\.33\\.\\d+\\s+${HOST}\\s`));

  await waitFor(async () => (await kube.kubectl(["logs", "-n", NAMESPACE, "ticker"])).stdout.includes("tick 1"), "the pod's output in kubectl logs", 20_000);
  const follow = spawn(KUBECTL, ["logs", "-f", "-n", NAMESPACE, "ticker", "--tail=1"], { env: { ...process.env, KUBECONFIG: kube.kubeconfig.operator, HOME: kube.scratchDir } });
  let followed = "";
  follow.stdout.on("data", (chunk: Buffer) => (followed += chunk.toString()));
  try {
    await waitFor(async () => followed.split("\n").filter((line) => line.startsWith("tick")).length >= 3, "kubectl logs -f to show new lines as they come", 20_000, async () => followed);
  } finally {
    follow.kill();
  }

  const exec = await kube.kubectl(["exec", "-n", NAMESPACE, "ticker", "--", "sh", "-c", "echo from inside $(hostname); exit 3"]);
  expect(exec.stdout).toBe("from inside ticker\n");
  expect(exec.code).toBe(3);
  await checkPortForward("ticker");

  const uid = (await pod("ticker"))!.uid;
  // The console's Logs tab reads the same log from the agent.
  expect(await readPodLog(uid, { container: null, previous: false })).toMatch(/^tick 0\ntick 1\n/);
  expect(existsSync(podDir(runDir, uid))).toBe(true);
  const deleted = await kube.kubectl(["delete", "pod", "ticker", "-n", NAMESPACE, "--grace-period=1"], { timeoutMs: 60_000 });
  expect(deleted.stdout).toContain(`pod "ticker" deleted`);
  expect(await pod("ticker")).toBeNull();
  expect(existsSync(podDir(runDir, uid))).toBe(false);
  expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain(uid);
});

test("a container over its memory limit is OOM-killed and restarted with backoff", async () => {
  const created = await kube.kubectl(["run", "hog", "-n", NAMESPACE, `--image=${image}`, "--override-type=strategic", `--overrides=${JSON.stringify({ spec: { containers: [{ name: "hog", resources: { limits: { memory: "16Mi" } } }] } })}`, "--", "sh", "-c", "echo starting; dd if=/dev/zero of=/dev/null bs=64M count=1"]);
  expect(created.stderr).toBe("");
  const status = await waitFor(
    async () => {
      const current = (await pod("hog"))?.status.containerStatuses?.[0];
      const waiting = current?.state && "waiting" in current.state ? current.state.waiting.reason : undefined;
      return current && current.restartCount >= 1 && waiting === "CrashLoopBackOff" && current;
    },
    "the hog to be OOM-killed, restarted and then backing off",
    40_000,
    async () => ({ status: (await pod("hog"))?.status, output }),
  );
  expect(status.lastState).toMatchObject({ terminated: { exitCode: 137, reason: "OOMKilled" } });
  const listed = await kube.kubectl(["get", "pod", "hog", "-n", NAMESPACE, "--no-headers"]);
  expect(listed.stdout).toMatch(/^hog\s+0\/1\s+(CrashLoopBackOff|OOMKilled)\s+[1-9]/);
  const previous = await kube.kubectl(["logs", "-n", NAMESPACE, "hog", "--previous"]);
  expect(previous.stdout).toContain("starting");
  await kube.kubectl(["delete", "pod", "hog", "-n", NAMESPACE, "--grace-period=1", "--wait=false"]);
});

test("a crx pod runs its container in its own microVM, and its logs come back through kubectl", async () => {
  const created = await kube.kubectl(["run", "boxed", "-n", NAMESPACE, `--image=${image}`, "--restart=Never", `--overrides=${JSON.stringify({ spec: { runtimeClassName: "crx" } })}`, "--", "sh", "-c", "echo hello from $(uname -r); exit 4"]);
  expect(created.stderr).toBe("");
  const status = await waitFor(
    async () => {
      const current = (await pod("boxed"))?.status;
      return current?.phase === "Failed" && current;
    },
    "the crx pod to run and end",
    60_000,
    async () => ({ status: (await pod("boxed"))?.status, output }),
  );
  expect(status.containerStatuses![0]).toMatchObject({ state: { terminated: { exitCode: 4, containerID: expect.stringMatching(/^crx:\/\//) } } });
  // The guest's own kernel answered uname, not the host's.
  const logs = await kube.kubectl(["logs", "-n", NAMESPACE, "boxed"]);
  expect(logs.stdout).toMatch(/^hello from \S+-cloud-amd64\n$/);
  await kube.kubectl(["delete", "pod", "boxed", "-n", NAMESPACE, "--wait=false"]);
}, 90_000);

/** `kubectl port-forward` to the pod's httpd on 80 and its closed port 81: two fetches (two connections), then the refused port's error as kubectl prints it. */
async function checkPortForward(name: string) {
  const current = (await pod(name))!;
  const forward = spawn(KUBECTL, ["port-forward", "-n", NAMESPACE, `pod/${name}`, "0:80", "0:81"], { env: { ...process.env, KUBECONFIG: kube.kubeconfig.operator, HOME: kube.scratchDir } });
  let forwarded = "";
  let errors = "";
  forward.stdout.on("data", (chunk: Buffer) => (forwarded += chunk.toString()));
  forward.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
  try {
    const ports = await waitFor(
      async () => {
        const web = /Forwarding from 127\.0\.0\.1:(\d+) -> 80\n/.exec(forwarded)?.[1];
        const closed = /Forwarding from 127\.0\.0\.1:(\d+) -> 81\n/.exec(forwarded)?.[1];
        return web && closed ? { web, closed } : null;
      },
      "kubectl to listen on local ports",
      15_000,
      async () => ({ forwarded, errors }),
    );
    for (let attempt = 0; attempt < 2; attempt++) {
      const response = await fetch(`http://127.0.0.1:${ports.web}/`, { headers: { connection: "close" } });
      expect(await response.text()).toBe("hello from the pod\n");
    }
    await fetch(`http://127.0.0.1:${ports.closed}/`).catch(() => null);
    await waitFor(async () => errors.includes("error forwarding port 81"), "kubectl to print the error", 10_000, async () => errors);
    expect(errors).toContain(`an error occurred forwarding ${ports.closed} -> 81: error forwarding port 81 to pod ${current.uid}: dial tcp ${current.status.podIP}:81: connect: connection refused`);
  } finally {
    forward.kill();
  }
}
