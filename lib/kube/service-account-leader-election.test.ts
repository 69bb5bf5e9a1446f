// The leader-election proof: two separate Node processes (lib/testing/leader-candidate-process.ts),
// each an @kubernetes/client-node elector over one Lease, run against Skylight with the kubeconfig
// `npm run kubeconfig -- --service-account` writes for a service account that holds the edit role:
// exactly one leads at a time, and when the leader is killed with -9 the other takes over within
// the lease duration (plus one retry period, the follower's polling).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace, setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { createServiceAccount } from "@/lib/engine/operations/service-account-operations";
import { CLUSTER, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { leaseApi, timeOf } from "@/lib/testing/lease-elector";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const CONTROLLERS = "controllers";
const LEASE = "operator-leader";
const LEASE_SECONDS = 2;
const RETRY_MS = 200;

let kube: KubeHarness;
let kubeconfig: string;
const candidates: ChildProcess[] = [];

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  await createNamespace(ADMIN, { name: CONTROLLERS, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "owner" }] }, kube.pool);
  await createServiceAccount(ADMIN, { namespace: CONTROLLERS, name: "elector", labels: {}, annotations: {}, fields: {} }, kube.pool);
  const namespace = await kube.pool.query<{ resource_version: string }>(`SELECT resource_version::text FROM resources WHERE kind = 'Namespace' AND name = $1`, [CONTROLLERS]);
  await setNamespacePermissions(
    ADMIN,
    { name: CONTROLLERS, permissions: [{ kind: "User", name: "dev", role: "owner" }, { kind: "ServiceAccount", name: "elector", role: "edit" }], expectedResourceVersion: namespace.rows[0]!.resource_version },
    kube.pool,
  );
  const script = await kubeconfigScript(["--service-account", `${CONTROLLERS}/elector`, "--duration", "1h", "--server", `https://127.0.0.1:${kube.server.port}`]);
  kubeconfig = path.join(kube.scratchDir, "elector.kubeconfig");
  writeFileSync(kubeconfig, script.stdout);
});
afterAll(async () => {
  for (const child of candidates) child.kill("SIGKILL");
  await kube?.stopKube();
});

/** `npm run kubeconfig -- ARGS` against the test's database: its output, or its failure's stderr and exit code. */
const kubeconfigScript = (args: string[]) => promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/kubeconfig.ts", ...args], { env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL } });

interface Candidate {
  identity: string;
  process: ChildProcess;
  leader: boolean;
  /** When it last became leader, by its own clock (the same machine's). */
  ledAt: number;
}

function startCandidate(identity: string): Candidate {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/testing/leader-candidate-process.ts", kubeconfig, CONTROLLERS, LEASE, identity, String(LEASE_SECONDS), String(RETRY_MS)], { stdio: ["ignore", "pipe", "inherit"] });
  candidates.push(child);
  const candidate: Candidate = { identity, process: child, leader: false, ledAt: 0 };
  createInterface({ input: child.stdout! }).on("line", (line) => {
    const change = JSON.parse(line) as { leader: boolean; at: number };
    candidate.leader = change.leader;
    if (change.leader) candidate.ledAt = change.at;
  });
  return candidate;
}

describe("leader election between two operator processes with a service account's kubeconfig", () => {
  test("the kubeconfig is the service account's; the script refuses an unknown account and a duration out of bounds", async () => {
    const whoami = await kube.kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], { kubeconfig });
    expect(whoami.stdout).toBe(`system:serviceaccount:${CONTROLLERS}:elector`);
    const [unknown, short] = await Promise.all(
      [["--service-account", `${CONTROLLERS}/nobody`], ["--service-account", `${CONTROLLERS}/elector`, "--duration", "5m"]].map((args) =>
        kubeconfigScript(args).then(
          () => ({ code: 0, stderr: "" }),
          (error: { code: number; stderr: string }) => error,
        ),
      ),
    );
    expect(unknown).toMatchObject({ code: 1, stderr: `There is no service account nobody in namespace ${CONTROLLERS}.\n` });
    expect(short).toMatchObject({ code: 2, stderr: "--duration must be from 10m to 8760h (one year); got 5m\n" });
  });

  test("exactly one leads at a time; killing the leader makes the other take over within the lease duration", async () => {
    const a = startCandidate("operator-a");
    const b = startCandidate("operator-b");
    await waitFor(async () => a.leader || b.leader, "a leader", 20_000);
    // Over five lease durations: never two leaders, and the Lease names the one that leads.
    const api = leaseApi(kubeconfig);
    for (let sample = 0; sample < (5 * LEASE_SECONDS * 1000) / RETRY_MS; sample++) {
      expect([a.leader, b.leader].filter(Boolean).length).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    const leader = a.leader ? a : b;
    const follower = leader === a ? b : a;
    const held = await api.readNamespacedLease({ name: LEASE, namespace: CONTROLLERS });
    expect(held.spec).toMatchObject({ holderIdentity: leader.identity, leaseDurationSeconds: LEASE_SECONDS });

    const killedAt = Date.now();
    leader.process.kill("SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS / 2));
    const lastRenewal = timeOf((await api.readNamespacedLease({ name: LEASE, namespace: CONTROLLERS })).spec?.renewTime);
    await waitFor(async () => follower.leader, "the follower to take over", 20_000);
    const takeoverMs = follower.ledAt - killedAt;
    const taken = await api.readNamespacedLease({ name: LEASE, namespace: CONTROLLERS });
    expect(taken.spec).toMatchObject({ holderIdentity: follower.identity, leaseTransitions: (held.spec?.leaseTransitions ?? 0) + 1 });
    // Not before the dead leader's last renewal expired, and within the lease duration of its death.
    expect(timeOf(taken.spec?.acquireTime) - lastRenewal).toBeGreaterThanOrEqual(LEASE_SECONDS * 1000);
    expect(takeoverMs).toBeLessThanOrEqual(LEASE_SECONDS * 1000 + RETRY_MS * 2);
    console.info(`[leader election] took over ${takeoverMs} ms after the leader was killed (lease ${LEASE_SECONDS} s, retry ${RETRY_MS} ms)`);
  });
});
