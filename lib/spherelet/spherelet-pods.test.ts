// A real host agent (`npm run spherelet`, its own process, as root) and a Pod bound to its host,
// through the real API server and engine: the agent gives the pod its network namespace and
// address, tries to pull its image from Skylight's /v2/ with the host's token (no image is there:
// this file runs no registry), and the Pod's status says ErrImagePull or ImagePullBackOff with the
// registry's answer, the pod's address and the host's; deleting the pod makes the agent stop it,
// release its network and files and report it stopped, and the Pod goes.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { getObject } from "@/lib/engine/object-store";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { createPod, deletePod } from "@/lib/engine/operations/pod-operations";
import type { PodStatus } from "@/lib/engine/pod-status";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { podDir } from "@/lib/spherelet/agent/pod-files";
import { agentKey, bridgeName } from "@/lib/spherelet/agent/pod-network";
import { CLUSTER, NAMESPACE, OPERATOR, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const HOST = "pods-real-1";
let kube: KubeHarness;
let scratch: string;
let runDir: string;
let agent: ChildProcess;
let output = "";

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 0 });
  kube.startEngine();
  scratch = await mkdtemp(path.join(tmpdir(), "skylight-pods-agent-"));
  runDir = path.join(scratch, "run");
  const { token } = await addAgentHost(OPERATOR, { name: HOST, cluster: CLUSTER }, kube.pool);
  agent = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/spherelet.ts", "--server", `https://127.0.0.1:${kube.server.port}`, "--token", token, "--name", HOST, "--datastore", path.join(scratch, "datastore"), "--run-dir", runDir, "--port", "0", "--pod-cidr", "10.251.33.0/24", "--ca-cert-hash", caCertHash(kube.server.certificateAuthorityPem)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  agent.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
}, 60_000);

afterAll(async () => {
  agent?.kill("SIGKILL");
  if (runDir) execFileSync("sh", ["-c", `ip link delete ${bridgeName(agentKey(runDir))} 2>/dev/null; true`]);
  if (scratch) await rm(scratch, { recursive: true, force: true });
  await kube?.stopKube();
});

test("the agent takes its host's pod (an address, a pull from Skylight's registry) and reports it into the Pod's status; deleting the pod stops it and the Pod goes", async () => {
  const limits = { cpu: "250m", memory: "32Mi" };
  const { object } = await createPod(OPERATOR, { namespace: NAMESPACE, name: "web", spec: { nodeName: HOST, containers: [{ name: "main", image: "busybox:1", resources: { requests: limits, limits } }] } }, kube.pool);
  const pod = () => getObject<unknown, PodStatus>(kube.pool, { kind: "Pod", namespace: NAMESPACE, name: "web" });
  const status = await waitFor(
    async () => {
      const current = (await pod())?.status;
      const state = current?.containerStatuses?.[0]?.state;
      return state && "waiting" in state && /ErrImagePull|ImagePullBackOff/.test(state.waiting.reason) && current;
    },
    "the agent's report of the pod",
    30_000,
    async () => ({ status: (await pod())?.status, output }),
  );
  expect(status).toMatchObject({ phase: "Pending", podIP: expect.stringMatching(/^10\.251\.33\.\d+$/), hostIP: expect.any(String) });
  expect(status.containerStatuses![0]).toMatchObject({ name: "main", ready: false, restartCount: 0, image: "busybox:1", state: { waiting: { message: expect.stringContaining(`${NAMESPACE}/busybox:1`) } } });
  expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).toContain(object.uid);

  await deletePod(OPERATOR, { namespace: NAMESPACE, name: "web" }, kube.pool);
  await waitFor(async () => (await pod()) === null, "the pod to go once its agent stopped it", 30_000, async () => output);
  expect(existsSync(podDir(runDir, object.uid))).toBe(false);
  expect(execFileSync("ip", ["netns", "list"], { encoding: "utf8" })).not.toContain(object.uid);
});
