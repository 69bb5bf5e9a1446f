// The agent's pin on Skylight's CA, against real TLS servers whose certificates come from
// certificate-authority.ts: the pinned CA is found in the presented chain and trusted; a server
// whose chain lacks it, or that shows the pinned CA beside a serving certificate it did not issue,
// or whose certificate does not name the host, is refused.
import { createHash, X509Certificate } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import forge from "node-forge";
import { afterEach, describe, expect, it } from "vitest";
import { certificateSerial, issueServingCertificate, type KeyAndCertificate } from "@/lib/kube/certificate-authority";
import { trustedCertificateAuthority } from "@/lib/spherelet/agent/server-trust";

function certificateAuthority(name: string): KeyAndCertificate {
  const keys = forge.pki.rsa.generateKeyPair(1024);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.publicKey;
  certificate.serialNumber = certificateSerial();
  certificate.validity.notBefore = new Date(Date.now() - 86_400_000);
  certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
  certificate.setSubject([{ name: "commonName", value: name }]);
  certificate.setIssuer([{ name: "commonName", value: name }]);
  certificate.setExtensions([{ name: "basicConstraints", cA: true, critical: true }, { name: "keyUsage", keyCertSign: true, critical: true }, { name: "subjectKeyIdentifier" }]);
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}

const pin = (authority: KeyAndCertificate) => `sha256:${createHash("sha256").update(new X509Certificate(authority.certificatePem).raw).digest("hex")}`;

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((server) => server.close()));

async function serve(serving: KeyAndCertificate, chain: KeyAndCertificate[], address = "127.0.0.1", host = "localhost"): Promise<URL> {
  const server = createServer({ cert: serving.certificatePem + chain.map((authority) => authority.certificatePem).join(""), key: serving.privateKeyPem }, (_request, response) => response.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return new URL(`https://${host}:${(server.address() as AddressInfo).port}`);
}

describe("pinning Skylight's CA by its hash", () => {
  const skylight = certificateAuthority("Skylight Kubernetes API CA");
  const attacker = certificateAuthority("Skylight Kubernetes API CA");

  it("trusts the presented CA whose hash is pinned, when it issued the serving certificate", async () => {
    const url = await serve(issueServingCertificate(skylight, []), [skylight]);
    expect(await trustedCertificateAuthority(url, { caCertHash: pin(skylight) })).toBe(new X509Certificate(skylight.certificatePem).toString());
  });

  it("refuses a server that does not present the pinned CA, naming what it presented", async () => {
    const url = await serve(issueServingCertificate(attacker, []), [attacker]);
    await expect(trustedCertificateAuthority(url, { caCertHash: pin(skylight) })).rejects.toThrow(
      `${url.origin} presented no certificate whose SHA-256 is ${pin(skylight).slice("sha256:".length)}: it presented CN=skylight-kube-apiserver`,
    );
  });

  it("refuses the pinned CA shown beside a serving certificate it did not issue", async () => {
    // The attacker's CA has Skylight's CA's name; OpenSSL does not chain the pinned CA to a
    // certificate it did not issue, so the pin is not found in the chain.
    const url = await serve(issueServingCertificate(attacker, []), [skylight]);
    await expect(trustedCertificateAuthority(url, { caCertHash: pin(skylight) })).rejects.toThrow(`${url.origin} presented no certificate whose SHA-256 is`);
  });

  it("refuses a serving certificate that does not name the server's host", async () => {
    const url = await serve(issueServingCertificate(skylight, []), [skylight], "127.0.0.2", "127.0.0.2");
    await expect(trustedCertificateAuthority(url, { caCertHash: pin(skylight) })).rejects.toThrow(`The serving certificate of ${url.origin} is not valid for 127.0.0.2.`);
  });

  it("names the rule when the hash is malformed", async () => {
    await expect(trustedCertificateAuthority(new URL("https://localhost:1"), { caCertHash: "md5:abc" })).rejects.toThrow(
      'The CA certificate hash must be "sha256:" and 64 hex digits (the SHA-256 of the CA certificate\'s DER); got "md5:abc".',
    );
  });
});
