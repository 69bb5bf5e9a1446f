// The Kubernetes API's TLS: a CA Skylight creates on first start and keeps in system_settings (so
// every process on the database shares it and kubeconfigs stay valid across restarts), and a
// serving certificate each process issues from it at start for localhost, 127.0.0.1 and
// SKYLIGHT_KUBE_HOSTNAMES. Keys come from Node's crypto (native, fast); node-forge builds and
// signs the certificates.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";
import type { Db } from "@/lib/db/pool";

const CA_CERTIFICATE_KEY = "kube.ca.certificate";
const CA_PRIVATE_KEY_KEY = "kube.ca.privateKey";
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyAndCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

function newKeyPair() {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
  const forgeKey = forge.pki.privateKeyFromPem(privateKey);
  return { privateKeyPem: privateKey, privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) };
}

/**
 * A certificate's serial number in hex from 16 random bytes: positive (the first byte's high bit
 * clear) and DER-minimal (the first byte never zero), or OpenSSL refuses the certificate with
 * "illegal padding".
 */
export function certificateSerial(random: Buffer = randomBytes(16)): string {
  const bytes = Buffer.from(random);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function newCertificate(publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = publicKey;
  certificate.serialNumber = certificateSerial();
  certificate.validity.notBefore = new Date(Date.now() - DAY_MS);
  certificate.validity.notAfter = new Date(Date.now() + validDays * DAY_MS);
  return certificate;
}

function createCertificateAuthority(): KeyAndCertificate {
  const keys = newKeyPair();
  const certificate = newCertificate(keys.publicKey, 10 * 365);
  const subject = [{ name: "commonName", value: "Skylight Kubernetes API CA" }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
}

/** The installation's CA, created by whichever process asks first (the others read its row). */
export async function ensureCertificateAuthority(db: Db): Promise<KeyAndCertificate> {
  const read = async () => {
    const { rows } = await db.query<{ key: string; value: string }>(`SELECT key, value FROM system_settings WHERE key = ANY($1)`, [[CA_CERTIFICATE_KEY, CA_PRIVATE_KEY_KEY]]);
    const certificatePem = rows.find((row) => row.key === CA_CERTIFICATE_KEY)?.value;
    const privateKeyPem = rows.find((row) => row.key === CA_PRIVATE_KEY_KEY)?.value;
    return certificatePem && privateKeyPem ? { certificatePem, privateKeyPem } : null;
  };
  const existing = await read();
  if (existing) return existing;
  const created = createCertificateAuthority();
  // One statement inserts both rows, so a racing process either wins both or neither.
  await db.query(`INSERT INTO system_settings (key, value) VALUES ($1, $2), ($3, $4) ON CONFLICT (key) DO NOTHING`, [
    CA_CERTIFICATE_KEY,
    created.certificatePem,
    CA_PRIVATE_KEY_KEY,
    created.privateKeyPem,
  ]);
  return (await read())!;
}

function servingExtensions(hostnames: readonly string[]) {
  const names = [...new Set(["localhost", "127.0.0.1", "::1", ...hostnames])];
  return [
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: names.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
  ];
}

/**
 * A serving certificate that signs itself, for a server its clients pin by the certificate's hash
 * instead of trusting through a CA (a host agent's console endpoint); valid for a year.
 */
export function selfSignedServingCertificate(commonName: string, hostnames: readonly string[]): KeyAndCertificate {
  const keys = newKeyPair();
  const certificate = newCertificate(keys.publicKey, 365);
  const subject = [{ name: "commonName", value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions(servingExtensions(hostnames));
  certificate.sign(keys.privateKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
}

/** A serving certificate for the API's host names, signed by the CA, valid for a year. */
export function issueServingCertificate(authority: KeyAndCertificate, hostnames: readonly string[]): KeyAndCertificate {
  const caCertificate = forge.pki.certificateFromPem(authority.certificatePem);
  const caKey = forge.pki.privateKeyFromPem(authority.privateKeyPem);
  const keys = newKeyPair();
  const certificate = newCertificate(keys.publicKey, 365);
  certificate.setSubject([{ name: "commonName", value: "skylight-kube-apiserver" }]);
  certificate.setIssuer(caCertificate.subject.attributes);
  certificate.setExtensions([...servingExtensions(hostnames), { name: "authorityKeyIdentifier", keyIdentifier: caCertificate.generateSubjectKeyIdentifier().getBytes() }]);
  certificate.sign(caKey, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(certificate), privateKeyPem: keys.privateKeyPem };
}
