// The web console's words, shared by the page in the browser, Skylight's websocket route and the
// host agent: where the page and the socket are, and the close codes (4000–4999, the range the
// websocket protocol leaves to applications) that tell the page why its socket ended and whether
// to connect again. Pure: no Node or browser APIs.

/** The full-window page that shows the VM's screen. */
export const webConsolePagePath = (namespace: string, name: string) => `/vms/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/console`;

export const WEB_CONSOLE_SOCKET_PREFIX = "/api/console/";
/** Skylight's websocket for the VM's screen; it finds the VM's host on each connect. */
export const webConsoleSocketPath = (namespace: string, name: string) => `${WEB_CONSOLE_SOCKET_PREFIX}${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

export const CONSOLE_CLOSE = {
  /** The VM's screen went away on its host: it stopped, was reset, or moved to another host. Connect again. */
  screenClosed: 4000,
  /** The VM is not powered on. Connect again later. */
  notRunning: 4001,
  /** The VM's host did not answer, or refused. Connect again later. */
  hostUnavailable: 4002,
  /** A view-only console sent keys or pointer moves, which it may not. */
  inputRefused: 4400,
  /** The user's session ended (signed out, expired, disabled). */
  sessionEnded: 4401,
  /** What the user may do to the VM changed. Connecting again opens the console with the new rights, if any. */
  accessChanged: 4403,
} as const;

/** Close codes after which the page connects again by itself. */
export const RECONNECTING_CLOSE_CODES: readonly number[] = [CONSOLE_CLOSE.screenClosed, CONSOLE_CLOSE.notRunning, CONSOLE_CLOSE.hostUnavailable, CONSOLE_CLOSE.accessChanged];
