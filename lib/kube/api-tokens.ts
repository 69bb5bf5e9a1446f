// Bearer tokens for the Kubernetes API. Only a token's SHA-256 is stored; the token itself is
// shown once, inside the kubeconfig it was made for. A token acts as its user, with the user's
// role at the time of each request, and stops working when revoked or the user is disabled.
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/pool";
import { roleSchema, type Role } from "@/lib/auth/roles";

const TOKEN_PREFIX = "skylight_";

export interface ApiTokenSummary {
  id: string;
  userId: string;
  username: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface TokenUser {
  id: string;
  username: string;
  role: Role;
}

/** What a bearer token is stored as: its SHA-256 in hex (host tokens too, lib/spherelet/host-tokens.ts). */
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createApiToken(db: Db, input: { userId: string; name: string }): Promise<{ id: string; token: string }> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const { rows } = await db.query<{ id: string }>(`INSERT INTO api_tokens (user_id, name, token_hash) VALUES ($1, $2, $3) RETURNING id::text`, [
    input.userId,
    input.name,
    hashToken(token),
  ]);
  return { id: rows[0]!.id, token };
}

/**
 * The user a bearer token acts for, or null when it is unknown, revoked, or its user is disabled.
 * A request marks the token used; an open watch re-checking it (`touch: false`) only reads.
 */
export async function userForToken(db: Db, token: string, { touch = true } = {}): Promise<TokenUser | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const { rows } = await db.query<{ id: string; username: string | null; email: string; role: string; banned: boolean }>(
    touch
      ? `UPDATE api_tokens t SET last_used_at = now()
           FROM users u
          WHERE t.token_hash = $1 AND u.id = t.user_id
          RETURNING u.id, u.username, u.email, u.role, u.banned`
      : `SELECT u.id, u.username, u.email, u.role, u.banned FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1`,
    [hashToken(token)],
  );
  const user = rows[0];
  if (!user || user.banned) return null;
  const role = roleSchema.safeParse(user.role);
  return { id: user.id, username: user.username ?? user.email, role: role.success ? role.data : "developer" };
}

/** One user's tokens, or everyone's when userId is omitted (for administrators). */
export async function listApiTokens(db: Db, userId?: string): Promise<ApiTokenSummary[]> {
  const { rows } = await db.query<{ id: string; user_id: string; username: string; name: string; created_at: Date; last_used_at: Date | null }>(
    `SELECT t.id::text, t.user_id, COALESCE(u.username, u.email) AS username, t.name, t.created_at, t.last_used_at
       FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE $1::text IS NULL OR t.user_id = $1
      ORDER BY t.created_at DESC`,
    [userId ?? null],
  );
  return rows.map((row) => ({ id: row.id, userId: row.user_id, username: row.username, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at }));
}

/** Deletes the token; `ownerId` limits it to that user's own tokens. Returns whether one was revoked. */
export async function revokeApiToken(db: Db, input: { id: string; ownerId?: string }): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM api_tokens WHERE id::text = $1 AND ($2::text IS NULL OR user_id = $2)`, [input.id, input.ownerId ?? null]);
  return (rowCount ?? 0) > 0;
}
