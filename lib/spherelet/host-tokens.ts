// Bootstrap tokens of hosts that run the Skylight agent. Each is minted for one host name (with the
// cluster and datastores it was added with) and stored as its SHA-256 only; the token is shown once,
// inside the command that starts the agent. A host token acts as system:node:<name> and reaches
// only that host's Node, Lease and machines (lib/kube/host-agent-access.ts).
import { randomBytes } from "node:crypto";
import type { Db } from "@/lib/db/pool";
import { hashToken } from "@/lib/kube/api-tokens";

const TOKEN_PREFIX = "skylight-host_";

export interface SphereletHost {
  name: string;
  cluster: string;
  /** Its default datastore. */
  datastore: string;
}

export const isHostToken = (token: string) => token.startsWith(TOKEN_PREFIX);

/**
 * Records the host, its default datastore and `otherDatastores` (what its agent mounts), and returns
 * its new token; minting again for the same host replaces the old token and the datastores.
 */
export async function mintHostToken(db: Db, host: SphereletHost, otherDatastores: string[] = []): Promise<string> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  await db.query(
    `INSERT INTO spherelet_hosts (name, cluster, datastore, token_hash) VALUES ($1, $2, $3, $4)
     ON CONFLICT (name) DO UPDATE SET cluster = EXCLUDED.cluster, datastore = EXCLUDED.datastore, token_hash = EXCLUDED.token_hash, last_used_at = NULL`,
    [host.name, host.cluster, host.datastore, hashToken(token)],
  );
  await db.query(`DELETE FROM spherelet_host_datastores WHERE host = $1`, [host.name]);
  await db.query(
    `INSERT INTO spherelet_host_datastores (host, datastore, position) SELECT $1, name, position - 1 FROM unnest($2::text[]) WITH ORDINALITY AS d(name, position)`,
    [host.name, [host.datastore, ...otherDatastores]],
  );
  return token;
}

/** The host a token was minted for, or null when it is unknown or the host was removed. */
export async function hostForToken(db: Db, token: string): Promise<SphereletHost | null> {
  if (!isHostToken(token)) return null;
  const { rows } = await db.query<SphereletHost>(
    `UPDATE spherelet_hosts SET last_used_at = now() WHERE token_hash = $1 RETURNING name, cluster, datastore`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}
