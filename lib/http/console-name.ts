// The name the navigator's root node carries, as the vSphere Client names its root after the
// vCenter Server's address: the host name the console was reached by, without the port, so people
// who run several consoles can tell them apart. "skylight" when the request names no host.
// Next.js gives pages a Host of its own (localhost) once the proxy passes the request on, so the
// console server copies the browser's Host into REQUEST_HOST_HEADER before Next.js sees it.
const FALLBACK = "skylight";
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]{1,253})(:\d{1,5})?$/i;

export const REQUEST_HOST_HEADER = "x-skylight-request-host";

/** The root node's name for a request's headers: the Host the browser sent, as the console server recorded it. */
export function consoleNameOf(headers: Headers): string {
  return consoleName(headers.get(REQUEST_HOST_HEADER) ?? headers.get("host"));
}

export function consoleName(hostHeader: string | null): string {
  const match = hostHeader ? HOST_NAME.exec(hostHeader.trim()) : null;
  return match ? match[1]!.toLowerCase() : FALLBACK;
}
