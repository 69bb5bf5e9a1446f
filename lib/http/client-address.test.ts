import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, compileProxyTrust, stampClientAddress } from "@/lib/http/client-address";

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** The address a server trusting `trustedProxies` records for a request sent from 127.0.0.1 with `headers`. */
async function recordedAddress(trustedProxies: string[], headers: Record<string, string>): Promise<string> {
  const trust = compileProxyTrust(trustedProxies);
  server = createServer((request, response) => {
    stampClientAddress(request, trust);
    response.end(request.headers[CLIENT_ADDRESS_HEADER]);
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
  return response.text();
}

describe("client address", () => {
  it("is the connection's peer, whatever X-Forwarded-For or our own header a client sends", async () => {
    expect(await recordedAddress([], { "x-forwarded-for": "203.0.113.9", [CLIENT_ADDRESS_HEADER]: "198.51.100.1" })).toBe("127.0.0.1");
  });

  it("follows X-Forwarded-For only through proxies named as trusted", async () => {
    expect(await recordedAddress(["loopback"], { "x-forwarded-for": "203.0.113.9" })).toBe("203.0.113.9");
    // A client in front of the trusted proxy cannot add addresses of its choosing further left.
    expect(await recordedAddress(["loopback"], { "x-forwarded-for": "192.0.2.1, 203.0.113.9" })).toBe("203.0.113.9");
    expect(await recordedAddress(["10.0.0.0/8"], { "x-forwarded-for": "203.0.113.9" })).toBe("127.0.0.1");
  });
});
