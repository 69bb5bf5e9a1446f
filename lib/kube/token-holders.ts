// Who a bearer token of the API belongs to: a user (api-tokens.ts) or a service account
// (service-account-tokens.ts), told apart by the token's prefix. Every entry point that takes a
// bearer token (the API, open watches' re-checks, the registry) asks here.
import type { Db } from "@/lib/db/pool";
import { userForToken, type TokenUser } from "@/lib/kube/api-tokens";
import { isServiceAccountToken, serviceAccountForToken } from "@/lib/kube/service-account-tokens";

export function tokenHolder(db: Db, token: string, options: { touch?: boolean } = {}): Promise<TokenUser | null> {
  return isServiceAccountToken(token) ? serviceAccountForToken(db, token) : userForToken(db, token, options);
}
