// The LISTEN connection for the database's notices, which reconnects and then reports a resync
// (lib/db/listen-connection.ts); each notice arrives parsed. Change notices (skylight_changes) by
// default; lib/auth/access-changes.ts listens for access changes on its own channel.
import { listenOnChannel, type ListenConnection, type ListenOptions } from "@/lib/db/listen-connection";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { logRepeatable } from "@/lib/log/rate-limited-log";

export const CHANGE_CHANNEL = "skylight_changes";

export interface ChangeListenerOptions<Payload> extends Omit<ListenOptions, "channel" | "onMessage" | "log"> {
  /** Default: CHANGE_CHANNEL, whose payloads are ChangeNotices. */
  channel?: string;
  onNotice: (notice: Payload) => void;
  log?: (message: string) => void;
}

export type ChangeListener = ListenConnection;

export function startChangeListener<Payload = ChangeNotice>({
  channel = CHANGE_CHANNEL,
  onNotice,
  log = (message) => logRepeatable(`[skylight] live updates: ${message}`),
  ...options
}: ChangeListenerOptions<Payload>): ChangeListener {
  return listenOnChannel({
    ...options,
    channel,
    log,
    onMessage(payload) {
      if (!payload) return;
      try {
        onNotice(JSON.parse(payload) as Payload);
      } catch (error) {
        log(`ignored a notice that is not JSON: ${(error as Error).message}`);
      }
    },
  });
}
