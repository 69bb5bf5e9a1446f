// coordination.k8s.io/v1 Leases written by clients: leader election between two
// @kubernetes/client-node clients with their own kubeconfigs (lib/testing/lease-elector.ts, client-go's
// resourcelock protocol) keeps exactly one leader, and the other takes over once the leader
// stops renewing for leaseDurationSeconds; a replace naming a stale resourceVersion is 409; and
// nobody but a host's agent writes kube-node-lease, administrators included.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { NODE_LEASE_NAMESPACE } from "@/lib/engine/operations/node-operations";
import { CLUSTER, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { elector, leaseApi, statusOf, timeOf } from "@/lib/testing/lease-elector";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const TEAM = "operators";
const LEASE_SECONDS = 1;
const RETRY_MS = 150;

let kube: KubeHarness;
let botKubeconfig: string;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  ({ kubeconfig: botKubeconfig } = await kube.addUser("bot", "developer"));
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }, { kind: "User", name: "bot", role: "edit" }] }, kube.pool);
});
afterAll(async () => kube?.stopKube());

const candidate = (identity: string, kubeconfig: string) => elector({ identity, api: leaseApi(kubeconfig), namespace: TEAM, name: "controller-leader", leaseSeconds: LEASE_SECONDS, retryMs: RETRY_MS });

describe("leader election over a Lease", () => {
  test("two client-node candidates keep exactly one leader; when it stops renewing the other takes over after leaseDurationSeconds", async () => {
    const a = candidate("candidate-a", kube.kubeconfig.developer);
    const b = candidate("candidate-b", botKubeconfig);
    try {
      await waitFor(async () => a.state.renewals + b.state.renewals >= 6, "six renewals", 10_000);
      // Sampled over several retry periods: never two leaders, and the Lease names the one that thinks it leads.
      for (let sample = 0; sample < 6; sample++) {
        expect([a.state.leader, b.state.leader].filter(Boolean).length).toBeLessThanOrEqual(1);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS / 2));
      }
      const leader = a.state.leader ? a : b;
      const follower = leader === a ? b : a;
      const lease = await leaseApi(kube.kubeconfig.developer).readNamespacedLease({ name: "controller-leader", namespace: TEAM });
      expect(lease.spec).toMatchObject({ holderIdentity: leader.identity, leaseDurationSeconds: LEASE_SECONDS, leaseTransitions: 0 });

      await leader.stop();
      const stoppedAt = leader.state.lastRenew;
      await waitFor(async () => follower.state.leader, "the follower to take over", 10_000);
      const taken = await leaseApi(kube.kubeconfig.developer).readNamespacedLease({ name: "controller-leader", namespace: TEAM });
      expect(taken.spec).toMatchObject({ holderIdentity: follower.identity, leaseTransitions: 1 });
      expect(timeOf(taken.spec?.acquireTime) - stoppedAt).toBeGreaterThan(LEASE_SECONDS * 1000);
      // kubectl reads it as kube's columns.
      const table = await kube.kubectl(["get", "leases", "-n", TEAM], { as: "developer" });
      expect(table.stdout).toMatch(new RegExp(`controller-leader\\s+${follower.identity}\\s+\\d+s`));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test("a replace naming a stale resourceVersion is 409 and changes nothing", async () => {
    const api = leaseApi(kube.kubeconfig.developer);
    const created = await api.createNamespacedLease({ namespace: TEAM, body: { metadata: { name: "stale" }, spec: { holderIdentity: "first", leaseDurationSeconds: 15 } } });
    const renewed = await api.replaceNamespacedLease({ name: "stale", namespace: TEAM, body: { ...created, spec: { ...created.spec, holderIdentity: "second" } } });
    const refused = await api.replaceNamespacedLease({ name: "stale", namespace: TEAM, body: { ...created, spec: { ...created.spec, holderIdentity: "third" } } }).catch((error: unknown) => error);
    expect(statusOf(refused)).toBe(409);
    const now = await api.readNamespacedLease({ name: "stale", namespace: TEAM });
    expect(now.spec?.holderIdentity).toBe("second");
    expect(now.metadata?.resourceVersion).toBe(renewed.metadata?.resourceVersion);
  });

  test("bad lease specs are refused naming the field", async () => {
    const manifest = (spec: string) => `apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: bad\n  namespace: ${TEAM}\nspec:\n${spec}`;
    const [zero, time] = await Promise.all([
      kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest("  leaseDurationSeconds: 0\n") }),
      kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest("  renewTime: yesterday\n") }),
    ]);
    expect(zero.stderr.trim()).toBe('The Lease "bad" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
    expect(time.stderr).toContain("spec.renewTime");
  });
});

describe("kube-node-lease", () => {
  test("no user writes there, administrators included, and a developer does not read it", async () => {
    const manifest = `apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: esx-1.test\n  namespace: ${NODE_LEASE_NAMESPACE}\nspec:\n  holderIdentity: impostor\n  leaseDurationSeconds: 40\n`;
    const [admin, developer, patch, read] = await Promise.all([
      kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: manifest }),
      kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest }),
      // Over HTTP: kubectl patch would read the Lease first. The write is refused before whether it exists is looked at.
      kube.request("PATCH", `/apis/coordination.k8s.io/v1/namespaces/${NODE_LEASE_NAMESPACE}/leases/esx-2.test`, { as: "operator", contentType: "application/merge-patch+json", body: '{"spec":{"holderIdentity":"impostor"}}' }),
      kube.kubectl(["get", "leases", "-n", NODE_LEASE_NAMESPACE], { as: "developer" }),
    ]);
    expect(admin.stderr).toContain(`the leases in ${NODE_LEASE_NAMESPACE} are the host agents' heartbeats, which only each host's agent writes`);
    expect(developer.stderr).toContain("is forbidden");
    expect(patch.status).toBe(403);
    expect(patch.json().message).toContain('leases.coordination.k8s.io "esx-2.test" is forbidden: User "olivia" cannot patch resource "leases"');
    expect(read.stderr).toContain("is forbidden");
    const { rows } = await kube.pool.query(`SELECT name FROM resources WHERE kind = 'Lease' AND namespace = $1`, [NODE_LEASE_NAMESPACE]);
    expect(rows).toEqual([]);
  });
});
