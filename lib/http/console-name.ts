// The name the navigator's root node carries, as the vSphere Client names its root after the
// vCenter Server's address: the host name the console was reached by, without the port, so people
// who run several consoles can tell them apart. "skylight" when the request names no host.
const FALLBACK = "skylight";
const HOST_NAME = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]{1,253})(:\d{1,5})?$/i;

export function consoleName(hostHeader: string | null): string {
  const match = hostHeader ? HOST_NAME.exec(hostHeader.trim()) : null;
  return match ? match[1]!.toLowerCase() : FALLBACK;
}
