// Bearer tokens of ServiceAccounts, minted by a TokenRequest (`kubectl create token`). Only a
// token's SHA-256 is stored. A token expires, goes with its service account (the rows cascade), and
// holds only while the namespace it was minted in exists and is not being deleted (by uid, so a
// namespace re-created under the same name does not revive it). It acts as
// system:serviceaccount:<namespace>:<name> with the developer's global role, never more: what it
// may do is the role its namespace's permissions (or another's) give it.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { withTransaction, type Db } from "@/lib/db/pool";
import { ForbiddenError } from "@/lib/errors";
import { hashToken, type TokenUser } from "@/lib/kube/api-tokens";
import { serviceAccountUsername } from "@/lib/vocabulary/service-account-names";

const TOKEN_PREFIX = "skylight-sa_";

/** kube-apiserver's floor for expirationSeconds. */
export const MIN_TOKEN_SECONDS = 10 * 60;
/** What a TokenRequest without expirationSeconds gets, as kube's. */
export const DEFAULT_TOKEN_SECONDS = 60 * 60;
/** Skylight's ceiling: one year, for an operator's kubeconfig that must outlive a restart or a holiday. */
export const MAX_TOKEN_SECONDS = 365 * 24 * 60 * 60;
/** Live tokens one service account may hold: a bound on the rows an owner's requests can pile up. */
export const MAX_LIVE_TOKENS = 100;

export const isServiceAccountToken = (token: string) => token.startsWith(TOKEN_PREFIX);

/**
 * The service account's uid and its namespace's, or null when either is missing or being deleted;
 * `forUpdate` locks the account's row, so mints for one account are counted one after the other.
 */
export async function liveServiceAccount(db: Db, account: { namespace: string; name: string }, { forUpdate = false } = {}): Promise<{ uid: string; namespaceUid: string } | null> {
  const { rows } = await db.query<{ uid: string; namespace_uid: string }>(
    `SELECT sa.uid::text, ns.uid::text AS namespace_uid
       FROM resources sa JOIN resources ns ON ns.kind = 'Namespace' AND ns.namespace = '' AND ns.name = sa.namespace AND ns.deletion_timestamp IS NULL
      WHERE sa.kind = 'ServiceAccount' AND sa.namespace = $1 AND sa.name = $2 AND sa.deletion_timestamp IS NULL
      ${forUpdate ? "FOR UPDATE OF sa" : ""}`,
    [account.namespace, account.name],
  );
  return rows[0] ? { uid: rows[0].uid, namespaceUid: rows[0].namespace_uid } : null;
}

export interface MintedToken {
  token: string;
  expiresAt: Date;
}

/**
 * A new token for the service account, valid for `seconds` (already within the bounds above), or
 * null when it does not exist or its namespace is being deleted. Unlike kube's signed tokens each
 * is a row, so one account holds at most MAX_LIVE_TOKENS (ForbiddenError beyond), and expired
 * tokens are swept here.
 */
export async function mintServiceAccountToken(pool: pg.Pool, input: { namespace: string; name: string; seconds: number }): Promise<MintedToken | null> {
  return withTransaction(pool, async (tx) => {
    const account = await liveServiceAccount(tx, input, { forUpdate: true });
    if (!account) return null;
    await tx.query(`DELETE FROM service_account_tokens WHERE expires_at < now()`);
    const live = await tx.query<{ count: number }>(`SELECT count(*)::int AS count FROM service_account_tokens WHERE service_account_uid = $1`, [account.uid]);
    if (live.rows[0]!.count >= MAX_LIVE_TOKENS) {
      throw new ForbiddenError(`service account ${input.name} already has ${MAX_LIVE_TOKENS} live tokens, the most one may hold: let some expire, or delete and re-create it to revoke them all`);
    }
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
    const inserted = await tx.query<{ expires_at: Date }>(
      `INSERT INTO service_account_tokens (service_account_uid, namespace_uid, token_hash, expires_at)
       VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING expires_at`,
      [account.uid, account.namespaceUid, hashToken(token), input.seconds],
    );
    return { token, expiresAt: inserted.rows[0]!.expires_at };
  });
}

/** The service account a token acts as, or null when it is unknown, expired, or its account or namespace is gone. */
export async function serviceAccountForToken(db: Db, token: string): Promise<TokenUser | null> {
  if (!isServiceAccountToken(token)) return null;
  const { rows } = await db.query<{ uid: string; namespace: string; name: string }>(
    `SELECT sa.uid::text, sa.namespace, sa.name
       FROM service_account_tokens t
       JOIN resources sa ON sa.uid = t.service_account_uid AND sa.deletion_timestamp IS NULL
       JOIN resources ns ON ns.uid = t.namespace_uid AND ns.deletion_timestamp IS NULL
      WHERE t.token_hash = $1 AND t.expires_at > now()`,
    [hashToken(token)],
  );
  const account = rows[0];
  return account ? { id: account.uid, username: serviceAccountUsername(account.namespace, account.name), role: "developer" } : null;
}
