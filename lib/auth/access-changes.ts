// "Access may have changed", for every long-lived stream in this process (the console's live
// updates, the Kubernetes API's watches). Database triggers (migration access_change_notices)
// NOTIFY on skylight_access when a role changes, a user is disabled or deleted, a password
// changes, a session ends, an API token is revoked, a group membership changes or a namespace's
// permissions change; one LISTEN connection per process fans the notices out. A stream that hears
// one concerning its user re-checks its credential and what it may see, and closes when either
// no longer holds. NOTIFY is only a hint: streams still re-check periodically, and after the
// listener reconnects every stream is told that anyone's access may have changed.
import { startChangeListener, type ChangeListener } from "@/lib/live/change-listener";
import { logRepeatable } from "@/lib/log/rate-limited-log";

export const ACCESS_CHANNEL = "skylight_access";

export interface AccessChange {
  /** The users whose access may have changed; null when it may be anyone's. */
  userIds: string[] | null;
}

export type AccessChangeListener = (change: AccessChange) => void;

export function accessChangeConcerns(change: AccessChange, userId: string): boolean {
  return change.userIds === null || change.userIds.includes(userId);
}

const processGlobal = globalThis as unknown as { skylightAccessChanges?: { listeners: Set<AccessChangeListener>; listener: ChangeListener } };

/** Calls `listener` on every access change from now on; returns the function that stops it. */
export function onAccessChange(listener: AccessChangeListener): () => void {
  const { listeners } = accessChanges();
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Resolves once this process is listening, so a change committed afterwards is heard. */
export function accessChangesReady(): Promise<void> {
  return accessChanges().listener.ready;
}

function accessChanges() {
  if (!processGlobal.skylightAccessChanges) {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start Skylight with `npm run dev` or `npm start`.");
    const listeners = new Set<AccessChangeListener>();
    const send = (change: AccessChange) => {
      for (const listener of listeners) listener(change);
    };
    const listener = startChangeListener<AccessChange>({
      connectionString,
      channel: ACCESS_CHANNEL,
      onNotice: (change) => send({ userIds: Array.isArray(change.userIds) ? change.userIds : null }),
      onResync: () => send({ userIds: null }),
      log: (message) => logRepeatable(`[skylight] access changes: ${message}`),
    });
    processGlobal.skylightAccessChanges = { listeners, listener };
  }
  return processGlobal.skylightAccessChanges;
}
