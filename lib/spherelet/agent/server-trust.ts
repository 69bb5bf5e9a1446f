// Which CA the agent trusts for Skylight's API: a CA file, or a CA pinned by the SHA-256 of its
// DER, as kubeadm's --discovery-token-ca-cert-hash does. For a pin, the agent connects once without
// trusting anything, finds the presented certificate whose hash matches, checks that the serving
// certificate is issued by it, is valid now and names the server's host, and from then on uses
// that CA for every request (with Node's ordinary verification).
import { createHash, X509Certificate } from "node:crypto";
import { once } from "node:events";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { connect, type DetailedPeerCertificate } from "node:tls";

export type ServerTrust = { caCertHash: string } | { caFile: string };

/** The server is not the one the pin names: never retried into trust. */
export class TrustError extends Error {}

const sha256 = (der: Buffer) => createHash("sha256").update(der).digest("hex");

export function parseCaCertHash(value: string): string {
  const hex = /^sha256:([0-9a-fA-F]{64})$/.exec(value)?.[1];
  if (!hex) throw new TrustError(`The CA certificate hash must be "sha256:" and 64 hex digits (the SHA-256 of the CA certificate's DER); got ${JSON.stringify(value)}.`);
  return hex.toLowerCase();
}

/** The CA's PEM to trust for `serverUrl`. */
export async function trustedCertificateAuthority(serverUrl: URL, trust: ServerTrust): Promise<string> {
  if ("caFile" in trust) return readFile(trust.caFile, "utf8");
  return pinnedCertificateAuthority(serverUrl, parseCaCertHash(trust.caCertHash));
}

/** The certificates the server presents, serving certificate first. */
async function presentedChain(serverUrl: URL): Promise<X509Certificate[]> {
  const host = serverUrl.hostname.replace(/^\[|\]$/g, "");
  const socket = connect({ host, port: Number(serverUrl.port || 443), servername: isIP(host) ? undefined : host, rejectUnauthorized: false });
  try {
    await once(socket, "secureConnect");
    const chain: X509Certificate[] = [];
    let certificate: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
    while (certificate?.raw && !chain.some((seen) => seen.raw.equals(certificate!.raw))) {
      chain.push(new X509Certificate(certificate.raw));
      certificate = certificate.issuerCertificate;
    }
    return chain;
  } finally {
    socket.destroy();
  }
}

async function pinnedCertificateAuthority(serverUrl: URL, expectedHash: string): Promise<string> {
  const chain = await presentedChain(serverUrl);
  const [serving] = chain;
  const authority = chain.find((certificate) => sha256(certificate.raw) === expectedHash);
  if (!serving || !authority) {
    const presented = chain.map((certificate) => `${certificate.subject.replace(/\n/g, ", ")} (sha256:${sha256(certificate.raw)})`).join("; ");
    throw new TrustError(`${serverUrl.origin} presented no certificate whose SHA-256 is ${expectedHash}: it presented ${presented || "none"}.`);
  }
  if (!authority.ca) throw new TrustError(`The certificate pinned for ${serverUrl.origin} (${authority.subject}) is not a CA.`);
  if (serving !== authority && !(serving.checkIssued(authority) && serving.verify(authority.publicKey))) {
    throw new TrustError(`The serving certificate of ${serverUrl.origin} is not issued by the pinned CA.`);
  }
  const now = Date.now();
  if (now < Date.parse(serving.validFrom) || now > Date.parse(serving.validTo)) {
    throw new TrustError(`The serving certificate of ${serverUrl.origin} is valid only from ${serving.validFrom} to ${serving.validTo}.`);
  }
  const host = serverUrl.hostname.replace(/^\[|\]$/g, "");
  if (!(isIP(host) ? serving.checkIP(host) : serving.checkHost(host))) throw new TrustError(`The serving certificate of ${serverUrl.origin} is not valid for ${host}.`);
  return authority.toString();
}
