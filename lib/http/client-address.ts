// Which address a request comes from. The console server (scripts/console-server.ts) resolves it
// from the connection: the peer's own address, or, only when that peer is a proxy named in
// SKYLIGHT_TRUSTED_PROXIES, the address the proxies recorded in X-Forwarded-For. It overwrites
// CLIENT_ADDRESS_HEADER on every request, so a client cannot choose its address by sending a
// header; sign-in limits and session records read it from there.
import type { IncomingMessage } from "node:http";
import proxyAddr from "proxy-addr";

export const CLIENT_ADDRESS_HEADER = "x-skylight-client-address";

/** Used when a request reached the app without passing the console server (tests, a bare `next start`). */
export const UNKNOWN_CLIENT_ADDRESS = "unknown";

export type ProxyTrust = (address: string, hop: number) => boolean;

export function compileProxyTrust(trustedProxies: string[]): ProxyTrust {
  return proxyAddr.compile(trustedProxies);
}

/** The client's address as far as the trusted proxies vouch for it; IPv4 written as IPv4. */
export function resolveClientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  const address = request.socket.remoteAddress ? proxyAddr(request, trust) : UNKNOWN_CLIENT_ADDRESS;
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
}

export function stampClientAddress(request: IncomingMessage, trust: ProxyTrust): void {
  request.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(request, trust);
}

export function clientAddressOf(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS_HEADER) ?? UNKNOWN_CLIENT_ADDRESS;
}
