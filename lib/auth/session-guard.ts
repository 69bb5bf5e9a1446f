// Keeps a long-lived console stream honest about who it serves: the session it was opened with is
// re-read every few seconds, and at once when an access change concerns its user
// (lib/auth/access-changes.ts). The stream is told to end when the session is gone (signed out,
// expired, ended by a password reset or by disabling the user) or the user's role changed (a
// reconnect then serves the new role). Each check reads the session without counting as use, so
// an open tab does not keep an idle session alive. (Not server-only: the console server's own
// websocket routes, outside Next's bundle, use it too.)
import { accessChangeConcerns, onAccessChange } from "@/lib/auth/access-changes";
import { readSessionUser, type SessionUser } from "@/lib/auth/session-user";

export const SESSION_CHECK_MS = 5_000;

export type SessionEnd = "signed-out" | "role-changed";

export interface SessionGuardOptions {
  /** The stream's request headers, whose cookie names the session. */
  headers: Headers;
  user: SessionUser;
  /** After each check that found the session still good: re-read what the user may see. */
  onStillValid?: () => Promise<void>;
  onEnd: (reason: SessionEnd) => void;
  intervalMs?: number;
  log?: (message: string) => void;
}

/** Starts guarding; returns the function that stops it (the stream closed by itself). */
export function guardSession({ headers, user, onStillValid, onEnd, intervalMs = SESSION_CHECK_MS, log = console.error }: SessionGuardOptions): () => void {
  let stopped = false;
  let checking = false;
  let checkAgain = false;

  const check = async () => {
    if (stopped) return;
    if (checking) {
      checkAgain = true;
      return;
    }
    checking = true;
    try {
      const current = await readSessionUser(headers, { keepIdleExpiry: true });
      if (stopped) return;
      if (!current) return end("signed-out");
      if (current.role !== user.role) return end("role-changed");
      await onStillValid?.();
    } catch (error) {
      // The database is unreachable: the stream keeps what it has until a check can run.
      log(`[skylight] could not re-check a live stream's session: ${(error as Error).message}`);
    } finally {
      checking = false;
      if (checkAgain && !stopped) {
        checkAgain = false;
        void check();
      }
    }
  };

  const timer = setInterval(() => void check(), intervalMs);
  const unsubscribe = onAccessChange((change) => {
    if (accessChangeConcerns(change, user.id)) void check();
  });
  const stop = () => {
    stopped = true;
    clearInterval(timer);
    unsubscribe();
  };
  const end = (reason: SessionEnd) => {
    stop();
    onEnd(reason);
  };
  return stop;
}
