// The kubeconfig a user takes away, from `npm run kubeconfig` and the console's Download
// kubeconfig alike: a new API token, and a context for each namespace the user holds a role in
// (directly or through a group), in name order, the first current. `default`, which everyone may
// read, gets a context only for someone with no namespace of their own (an administrator or
// operator, or a developer before their first).
import type pg from "pg";
import { readNamespaceRoles } from "@/lib/auth/namespace-access";
import { createApiToken } from "@/lib/kube/api-tokens";
import { ensureCertificateAuthority } from "@/lib/kube/certificate-authority";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

/** The namespaces a user's kubeconfig has contexts for, besides the server's own. */
export async function kubeconfigNamespaces(pool: pg.Pool, user: { id: string; username: string }): Promise<string[]> {
  return [...(await readNamespaceRoles(pool, user)).keys()].filter((name) => name !== SYSTEM_NAMESPACE).sort();
}

/** A kubeconfig for the API at `server` with a new token named `tokenName` for the user. */
export async function issueKubeconfig(pool: pg.Pool, user: { id: string; username: string }, options: { server: string; tokenName: string }): Promise<string> {
  const [authority, namespaces] = await Promise.all([ensureCertificateAuthority(pool), kubeconfigNamespaces(pool, user)]);
  const { token } = await createApiToken(pool, { userId: user.id, name: options.tokenName });
  return buildKubeconfig({ server: options.server, certificateAuthorityPem: authority.certificatePem, username: user.username, token, namespaces });
}
