import { generateKeyPairSync, X509Certificate } from "node:crypto";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { certificateSerial } from "@/lib/kube/certificate-authority";

/** A self-signed certificate with the given serial, as OpenSSL (Node's X509Certificate) reads it. */
function certificateWithSerial(serial: string): X509Certificate {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const key = forge.pki.privateKeyFromPem(privateKey);
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  certificate.serialNumber = serial;
  certificate.validity.notBefore = new Date();
  certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
  certificate.setSubject([{ name: "commonName", value: "serial test" }]);
  certificate.setIssuer([{ name: "commonName", value: "serial test" }]);
  certificate.sign(key, forge.md.sha256.create());
  return new X509Certificate(forge.pki.certificateToPem(certificate));
}

describe("certificate serial numbers", () => {
  it("are positive and DER-minimal whatever the random bytes, so OpenSSL accepts the certificate", () => {
    for (const first of [0x00, 0x01, 0x7f, 0x80, 0xff]) {
      const random = Buffer.alloc(16, 0x10);
      random[0] = first;
      const serial = certificateSerial(random);
      expect(serial).toMatch(/^[0-7][0-9a-f]{31}$/);
      expect(serial.slice(0, 2)).not.toBe("00");
      expect(certificateWithSerial(serial).serialNumber.toLowerCase()).toBe(serial);
    }
  });
});
