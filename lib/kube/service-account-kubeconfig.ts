// The kubeconfig an operator runs with: a fresh token for one service account (minted as a
// TokenRequest would, within the same bounds) and a context for its namespace. Made by
// `npm run kubeconfig -- --service-account NS/NAME` and the console's Create token alike; who may
// ask is decided before this is called (the script by its access to the database, as for users).
import type pg from "pg";
import { NotFoundError } from "@/lib/errors";
import { ensureCertificateAuthority } from "@/lib/kube/certificate-authority";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { mintServiceAccountToken, type MintedToken } from "@/lib/kube/service-account-tokens";
import { serviceAccountUsername } from "@/lib/vocabulary/service-account-names";

export interface ServiceAccountKubeconfig extends MintedToken {
  kubeconfig: string;
}

/** A kubeconfig for the API at `server` with a new token, valid `seconds`, for the service account. */
export async function issueServiceAccountKubeconfig(pool: pg.Pool, account: { namespace: string; name: string }, options: { server: string; seconds: number }): Promise<ServiceAccountKubeconfig> {
  const minted = await mintServiceAccountToken(pool, { ...account, seconds: options.seconds });
  if (!minted) throw new NotFoundError(`There is no service account ${account.name} in namespace ${account.namespace}.`);
  const authority = await ensureCertificateAuthority(pool);
  const kubeconfig = buildKubeconfig({ server: options.server, certificateAuthorityPem: authority.certificatePem, username: serviceAccountUsername(account.namespace, account.name), token: minted.token, namespaces: [account.namespace] });
  return { ...minted, kubeconfig };
}
