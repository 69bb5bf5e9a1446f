// The command that joins a host to Skylight, as the console shows it: the Kubernetes API at the
// host name the console was reached at (as a downloaded kubeconfig names it), the hash of the
// API's CA, and a --datastore flag for each datastore the host mounts besides its default one.
// Add Host shows it with the host's new token, once; the host's page later shows it with a
// placeholder, since only the token's hash is kept.
import { getPool } from "@/lib/db/pool";
import { ensureCertificateAuthority } from "@/lib/kube/certificate-authority";
import { kubeApiUrl } from "@/lib/kube/kube-api-url";
import { agentCommand } from "@/lib/spherelet/agent-command";

export const TOKEN_PLACEHOLDER = "<token>";

export async function hostJoinCommand(consoleHostname: string, host: { name: string; token: string; otherDatastores: string[] }): Promise<string> {
  const authority = await ensureCertificateAuthority(getPool());
  return agentCommand({ server: kubeApiUrl(consoleHostname), token: host.token, name: host.name, certificateAuthorityPem: authority.certificatePem, otherDatastores: host.otherDatastores });
}
