// One leader-election candidate over a coordination.k8s.io/v1 Lease with @kubernetes/client-node,
// as client-go's LeaderElector runs its LeaseLock (client-node 1.4 exports no elector): every
// retry period read the Lease, then create it, or replace it naming the resourceVersion read when
// this candidate holds it or its holder let it expire (renewTime + leaseDurationSeconds). A stale
// resourceVersion is a 409, so two candidates never both take it. Used in-process by the Leases
// test and as a process of its own by leader-candidate-process.ts.
import * as k8s from "@kubernetes/client-node";

export interface ElectorOptions {
  identity: string;
  api: k8s.CoordinationV1Api;
  namespace: string;
  name: string;
  leaseSeconds: number;
  retryMs: number;
  /** Called whenever this candidate becomes or stops being the leader. */
  onChange?: (leader: boolean) => void;
}

export const statusOf = (error: unknown) => (error instanceof k8s.ApiException ? error.code : 0);
export const timeOf = (value: unknown) => (value ? new Date(value as string).getTime() : 0);

export function leaseApi(kubeconfig: string): k8s.CoordinationV1Api {
  const config = new k8s.KubeConfig();
  config.loadFromFile(kubeconfig);
  return config.makeApiClient(k8s.CoordinationV1Api);
}

export function elector({ identity, api, namespace, name, leaseSeconds, retryMs, onChange }: ElectorOptions) {
  /** lastRenew: the renewTime of this candidate's last successful write. */
  const state = { leader: false, running: true, renewals: 0, lastRenew: 0 };
  const lead = (leader: boolean) => {
    if (leader !== state.leader) onChange?.(leader);
    state.leader = leader;
  };
  /** The renewTime written, or null when another candidate holds the Lease. */
  async function tryAcquireOrRenew(): Promise<number | null> {
    const now = new Date();
    const spec = { holderIdentity: identity, leaseDurationSeconds: leaseSeconds, renewTime: now as k8s.V1MicroTime };
    let current: k8s.V1Lease;
    try {
      current = await api.readNamespacedLease({ name, namespace });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      await api.createNamespacedLease({ namespace, body: { metadata: { name }, spec: { ...spec, acquireTime: now as k8s.V1MicroTime, leaseTransitions: 0 } } });
      return now.getTime();
    }
    const held = current.spec ?? {};
    const expires = timeOf(held.renewTime) + (held.leaseDurationSeconds ?? 0) * 1000;
    if (held.holderIdentity && held.holderIdentity !== identity && expires > now.getTime()) return null;
    const takesOver = held.holderIdentity !== identity;
    await api.replaceNamespacedLease({
      name,
      namespace,
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
        if (renewed !== null) [state.renewals, state.lastRenew] = [state.renewals + 1, renewed];
        lead(renewed !== null);
      } catch (error) {
        // Another candidate wrote first (409 Conflict, or 409 AlreadyExists on create): not the leader
        // this round. Any other failure (a timeout on a loaded machine) is retried next round, as
        // client-go's elector does, rather than ending the candidate.
        if (statusOf(error) !== 409) console.error(`[${identity}] lease round failed: ${error instanceof Error ? error.message : String(error)}`);
        lead(false);
      }
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
    lead(false);
  })();
  return { identity, state, stop: async () => { state.running = false; await loop; } };
}
