// The Kubernetes API's TLS, with a real TLS client: only forward-secret AEAD suites on TLS 1.2
// (ECDHE with AES-GCM or ChaCha20-Poly1305) and TLS 1.3; CBC suites, static-RSA key exchange and
// TLS 1.1 are refused by the server, and kubectl still connects.
import { connect, type ConnectionOptions } from "node:tls";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6563, hosts: 1 });
});
afterAll(async () => kube?.stopKube());

/** The suite and version a handshake settled on, or the error code it failed with. */
function handshake(options: ConnectionOptions): Promise<{ cipher?: string; version?: string | null; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port: kube.server.port, ca: kube.server.certificateAuthorityPem, servername: "localhost", ...options }, () => {
      resolve({ cipher: socket.getCipher().standardName, version: socket.getProtocol() });
      socket.end();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
  });
}

describe("TLS on the Kubernetes API", () => {
  test("TLS 1.3 and TLS 1.2 with ECDHE and an AEAD cipher are accepted", async () => {
    expect(await handshake({})).toMatchObject({ version: "TLSv1.3", cipher: expect.stringMatching(/^TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)$/) });
    for (const cipher of ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"]) {
      expect(await handshake({ maxVersion: "TLSv1.2", ciphers: cipher })).toMatchObject({ version: "TLSv1.2" });
    }
  });

  test("CBC suites and static-RSA key exchange on TLS 1.2, and TLS 1.1, are refused by the server", async () => {
    for (const cipher of ["AES128-GCM-SHA256", "AES256-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384", "DHE-RSA-AES128-GCM-SHA256"]) {
      const result = await handshake({ maxVersion: "TLSv1.2", ciphers: cipher });
      // An alert from the server (handshake failure), not a client that could not offer the suite.
      expect([cipher, result.error]).toEqual([cipher, "ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE"]);
    }
    const old = await handshake({ minVersion: "TLSv1", maxVersion: "TLSv1.1", ciphers: "DEFAULT@SECLEVEL=0" });
    expect(old.error).toBe("ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION");
  });

  test("kubectl still connects", async () => {
    const result = await kube.kubectl(["get", "namespaces", "-o", "name"], { as: "administrator" });
    expect(result).toMatchObject({ stderr: "", code: 0 });
    expect(result.stdout).toContain("namespace/apps");
  });
});
