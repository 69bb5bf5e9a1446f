// kube's restart backoff for a container that keeps ending (and for an image that keeps failing to
// pull): the first restart is at once, then 10 s, doubling to 300 s between attempts, and a
// container that ran 10 minutes starts over from the first step. The numbers are options only so
// tests can wait seconds rather than minutes; the agent always uses kube's.
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the backoff. */
  resetAfterMs: number;
}

export const KUBE_BACKOFF: BackoffPolicy = { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

/** The delay before attempt number `step` (0: the first retry, which is immediate for restarts). */
export const backoffDelay = (policy: BackoffPolicy, step: number) => (step <= 0 ? 0 : Math.min(policy.initialMs * 2 ** (step - 1), policy.maxMs));
