// client-go's leader election over a coordination.k8s.io/v1 Lease, for client-node (which has no
// elector of its own): candidates read the Lease, and the one whose replace (naming the
// resourceVersion it read) succeeds leads. A holder's term is judged by when this candidate last
// saw the Lease change, on its own clock, never by the holder's renewTime, so clock skew between
// machines cannot make two leaders. A leader that cannot renew within renewDeadlineMs stops
// leading; one that shuts down releases the Lease so the next takes over at once.
import * as k8s from "@kubernetes/client-node";

export interface LeaderElectionOptions {
  api: k8s.CoordinationV1Api;
  namespace: string;
  name: string;
  identity: string;
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  /** Called once this candidate leads; `signal` aborts when it stops leading. */
  onStartedLeading: (signal: AbortSignal) => void;
  onNewLeader?: (identity: string) => void;
  log?: (message: string) => void;
}

const microTime = (time: Date) => new k8s.V1MicroTime(time.getTime());

const statusOf = (error: unknown) => (error instanceof k8s.ApiException ? error.code : 0);

/** Waits `ms`, or less if `signal` aborts first. */
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });

export class LeaderElector {
  private observed: { holder: string; renewTime: number; at: number } | undefined;
  private leading = false;

  constructor(private readonly options: LeaderElectionOptions) {}

  get isLeader() {
    return this.leading;
  }

  /** Competes until `shutdown` aborts; a leader releases the Lease on the way out. */
  async run(shutdown: AbortSignal): Promise<void> {
    const { retryPeriodMs, renewDeadlineMs, onStartedLeading } = this.options;
    while (!shutdown.aborted) {
      if (!(await this.attempt())) {
        await sleep(retryPeriodMs, shutdown);
        continue;
      }
      const term = new AbortController();
      this.leading = true;
      this.options.log?.(`leading as ${this.options.identity}`);
      onStartedLeading(term.signal);
      let renewedAt = Date.now();
      while (!shutdown.aborted && Date.now() - renewedAt < renewDeadlineMs) {
        await sleep(retryPeriodMs, shutdown);
        if (!shutdown.aborted && (await this.attempt())) renewedAt = Date.now();
      }
      this.leading = false;
      term.abort();
      if (shutdown.aborted) await this.release();
      else this.options.log?.(`stopped leading: no renewal within ${renewDeadlineMs} ms`);
    }
  }

  /** One try to acquire or renew; true when this candidate holds the Lease afterwards. */
  private async attempt(): Promise<boolean> {
    const { api, namespace, name, identity, leaseDurationSeconds } = this.options;
    const now = new Date();
    const ours = { holderIdentity: identity, leaseDurationSeconds, renewTime: microTime(now) };
    try {
      let current: k8s.V1Lease;
      try {
        current = await api.readNamespacedLease({ name, namespace });
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
        await api.createNamespacedLease({ namespace, body: { metadata: { name, namespace }, spec: { ...ours, acquireTime: microTime(now), leaseTransitions: 0 } } });
        this.observe(identity, now.getTime());
        return true;
      }
      const held = current.spec ?? {};
      const holder = held.holderIdentity ?? "";
      this.observe(holder, held.renewTime ? new Date(held.renewTime).getTime() : 0);
      const expired = this.observed!.at + (held.leaseDurationSeconds ?? 0) * 1000 <= now.getTime();
      if (holder !== "" && holder !== identity && !expired) return false;
      const takesOver = holder !== identity;
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: {
          metadata: { name, namespace, resourceVersion: current.metadata?.resourceVersion },
          spec: { ...held, ...ours, acquireTime: takesOver ? microTime(now) : held.acquireTime, leaseTransitions: (held.leaseTransitions ?? 0) + (takesOver ? 1 : 0) },
        },
      });
      this.observe(identity, now.getTime());
      return true;
    } catch (error) {
      // 409: another candidate wrote first. Anything else (the API unreachable) is no renewal either.
      if (statusOf(error) !== 409) this.options.log?.(`lease ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Records when this candidate saw the Lease change, the clock a holder's term is judged by. */
  private observe(holder: string, renewTime: number) {
    if (this.observed?.holder === holder && this.observed.renewTime === renewTime) return;
    if (this.observed?.holder !== holder && holder !== "") this.options.onNewLeader?.(holder);
    this.observed = { holder, renewTime, at: Date.now() };
  }

  /** Gives the Lease up (client-go's ReleaseOnCancel): an empty holder that has already expired. */
  private async release() {
    const { api, namespace, name, identity } = this.options;
    try {
      const current = await api.readNamespacedLease({ name, namespace });
      if (current.spec?.holderIdentity !== identity) return;
      await api.replaceNamespacedLease({
        name,
        namespace,
        body: { metadata: { name, namespace, resourceVersion: current.metadata?.resourceVersion }, spec: { ...current.spec, holderIdentity: "", leaseDurationSeconds: 1 } },
      });
    } catch (error) {
      this.options.log?.(`releasing lease ${namespace}/${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
