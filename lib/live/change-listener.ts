// The LISTEN connection for the database's change notices (skylight_changes), which reconnects
// and then reports a resync (lib/db/listen-connection.ts); each notice arrives parsed.
import { listenOnChannel, type ListenConnection, type ListenOptions } from "@/lib/db/listen-connection";
import type { ChangeNotice } from "@/lib/live/live-dependencies";
import { logRepeatable } from "@/lib/log/rate-limited-log";

export const CHANGE_CHANNEL = "skylight_changes";

export interface ChangeListenerOptions extends Omit<ListenOptions, "channel" | "onMessage" | "log"> {
  onNotice: (notice: ChangeNotice) => void;
  log?: (message: string) => void;
}

export type ChangeListener = ListenConnection;

export function startChangeListener({
  onNotice,
  log = (message) => logRepeatable(`[skylight] live updates: ${message}`),
  ...options
}: ChangeListenerOptions): ChangeListener {
  return listenOnChannel({
    ...options,
    channel: CHANGE_CHANNEL,
    log,
    onMessage(payload) {
      if (!payload) return;
      try {
        onNotice(JSON.parse(payload) as ChangeNotice);
      } catch (error) {
        log(`ignored a notice that is not JSON: ${(error as Error).message}`);
      }
    },
  });
}
