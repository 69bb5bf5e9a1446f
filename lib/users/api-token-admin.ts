// API tokens as the console manages them: a user creates tokens (inside a kubeconfig) and sees
// and revokes their own; administrators see and revoke everyone's.
import { can, type Actor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { NotFoundError } from "@/lib/errors";
import { listApiTokens, revokeApiToken, type ApiTokenSummary } from "@/lib/kube/api-tokens";
import { kubeApiUrl } from "@/lib/kube/kube-api-url";
import { issueKubeconfig } from "@/lib/kube/user-kubeconfig";

export interface ApiTokenLists {
  mine: ApiTokenSummary[];
  /** Every user's tokens, for administrators only. */
  everyone: ApiTokenSummary[] | null;
}

export async function readApiTokens(actor: Actor): Promise<ApiTokenLists> {
  const pool = getPool();
  const [mine, everyone] = await Promise.all([listApiTokens(pool, actor.id), can(actor, "users.manage") ? listApiTokens(pool) : null]);
  return { mine, everyone };
}

/** A new token for the actor, in a kubeconfig for the API at `hostname` (the host the console was reached at). */
export async function createKubeconfig(actor: Actor & { username: string }, hostname: string): Promise<{ kubeconfig: string; fileName: string }> {
  const tokenName = `Downloaded kubeconfig (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)`;
  return { kubeconfig: await issueKubeconfig(getPool(), actor, { server: kubeApiUrl(hostname), tokenName }), fileName: `skylight-${actor.username}.kubeconfig` };
}

export async function revokeToken(actor: Actor, id: string): Promise<void> {
  const revoked = await revokeApiToken(getPool(), { id, ownerId: can(actor, "users.manage") ? undefined : actor.id });
  if (!revoked) throw new NotFoundError("That token no longer exists: it may have been revoked already.");
}
