// coordination.k8s.io/v1 Leases written by clients: leader election between two
// @kubernetes/client-node clients with their own kubeconfigs (client-node 1.4 has no elector, so
// the test runs client-go's resourcelock protocol: read the Lease, create it or replace it naming
// the resourceVersion read) keeps exactly one leader, and the other takes over once the leader
// stops renewing for leaseDurationSeconds; a replace naming a stale resourceVersion is 409; and
// nobody but a host's agent writes kube-node-lease, administrators included.
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { NODE_LEASE_NAMESPACE } from "@/lib/engine/operations/node-operations";
import { CLUSTER, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

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

function leaseApi(kubeconfig: string): k8s.CoordinationV1Api {
  const config = new k8s.KubeConfig();
  config.loadFromFile(kubeconfig);
  return config.makeApiClient(k8s.CoordinationV1Api);
}

const statusOf = (error: unknown) => (error instanceof k8s.ApiException ? error.code : 0);
const timeOf = (value: unknown) => (value ? new Date(value as string).getTime() : 0);

/** One candidate running client-go's LeaderElector over a LeaseLock: try to acquire or renew every RETRY_MS. */
function elector(identity: string, api: k8s.CoordinationV1Api, name: string) {
  /** lastRenew: the renewTime of this candidate's last successful write. */
  const state = { leader: false, running: true, renewals: 0, lastRenew: 0 };
  /** The renewTime written, or null when another candidate holds the Lease. */
  async function tryAcquireOrRenew(): Promise<number | null> {
    const now = new Date();
    const spec = { holderIdentity: identity, leaseDurationSeconds: LEASE_SECONDS, renewTime: now as k8s.V1MicroTime };
    let current: k8s.V1Lease;
    try {
      current = await api.readNamespacedLease({ name, namespace: TEAM });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      await api.createNamespacedLease({ namespace: TEAM, body: { metadata: { name }, spec: { ...spec, acquireTime: now as k8s.V1MicroTime, leaseTransitions: 0 } } });
      return now.getTime();
    }
    const held = current.spec ?? {};
    const expires = timeOf(held.renewTime) + (held.leaseDurationSeconds ?? 0) * 1000;
    if (held.holderIdentity && held.holderIdentity !== identity && expires > now.getTime()) return null;
    const takesOver = held.holderIdentity !== identity;
    await api.replaceNamespacedLease({
      name,
      namespace: TEAM,
      body: {
        metadata: { name, resourceVersion: current.metadata!.resourceVersion },
        spec: { ...held, ...spec, acquireTime: takesOver ? (now as k8s.V1MicroTime) : held.acquireTime, leaseTransitions: (held.leaseTransitions ?? 0) + (takesOver ? 1 : 0) },
      },
    });
    return now.getTime();
  }
  const loop = (async () => {
    while (state.running) {
      try {
        const renewed = await tryAcquireOrRenew();
        state.leader = renewed !== null;
        if (renewed !== null) [state.renewals, state.lastRenew] = [state.renewals + 1, renewed];
      } catch (error) {
        // Another candidate wrote first (409 Conflict, or 409 AlreadyExists on create): not the leader this round.
        if (statusOf(error) !== 409) throw error;
        state.leader = false;
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
    state.leader = false;
  })();
  return { identity, state, stop: async () => { state.running = false; await loop; } };
}

describe("leader election over a Lease", () => {
  test("two client-node candidates keep exactly one leader; when it stops renewing the other takes over after leaseDurationSeconds", async () => {
    const a = elector("candidate-a", leaseApi(kube.kubeconfig.developer), "controller-leader");
    const b = elector("candidate-b", leaseApi(botKubeconfig), "controller-leader");
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
