// The one command that starts a host's agent, as Add Host shows it: the API server to join, the
// host's bootstrap token and name, the hash of Skylight's CA, which the agent pins (as kubeadm's
// --discovery-token-ca-cert-hash) so it trusts the server without a copied CA file, and where each
// of the host's other datastores is mounted (a placeholder the administrator fills in: only the
// host knows its directories).
import { createHash, X509Certificate } from "node:crypto";

/** Stands for the directory a datastore is mounted at on the host, in the command's --datastore NAME=DIR. */
export const DIRECTORY_PLACEHOLDER = "<directory>";

/** "sha256:<hex>" of a certificate's DER encoding: the CA's, as the agent pins it; an agent's own, as Skylight pins that. */
export function caCertHash(certificatePem: string): string {
  return `sha256:${createHash("sha256").update(new X509Certificate(certificatePem).raw).digest("hex")}`;
}

export function agentCommand(input: { server: string; token: string; name: string; certificateAuthorityPem: string; otherDatastores?: string[] }): string {
  const datastores = (input.otherDatastores ?? []).map((datastore) => ` --datastore ${datastore}=${DIRECTORY_PLACEHOLDER}`).join("");
  return `npm run spherelet -- --server ${input.server} --token ${input.token} --name ${input.name} --ca-cert-hash ${caCertHash(input.certificateAuthorityPem)}${datastores}`;
}
