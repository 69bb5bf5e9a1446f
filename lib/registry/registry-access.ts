// Who is asking the registry and what they may do, from the tokens everything else uses: a user's
// API token (Bearer, or Basic with the token as the password, as `docker login` and `skopeo --creds`
// send it) acts with the user's roles (lib/auth/authorize.ts, imageRefusal); a host agent's token
// pulls from every namespace and pushes nowhere.
import type { Db } from "@/lib/db/pool";
import { imageRefusal, can, type ImageAction, type UserActor } from "@/lib/auth/authorize";
import { readNamespaceRoles } from "@/lib/auth/namespace-access";
import { tokenHolder } from "@/lib/kube/token-holders";
import { hostForToken, isHostToken } from "@/lib/spherelet/host-tokens";
import { denied, RegistryError } from "@/lib/registry/registry-errors";

export type RegistryIdentity = { kind: "user"; actor: UserActor } | { kind: "host"; host: string };

/** The token in an Authorization header: a bearer token, or a Basic password. */
export function tokenFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1]!;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  if (!basic) return null;
  const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon >= 0 && colon < decoded.length - 1 ? decoded.slice(colon + 1) : null;
}

/** Whom the token acts for, or null when it is unknown, revoked or its user disabled. */
export async function identify(db: Db, token: string | null): Promise<RegistryIdentity | null> {
  if (!token) return null;
  if (isHostToken(token)) {
    const host = await hostForToken(db, token);
    return host ? { kind: "host", host: host.name } : null;
  }
  const user = await tokenHolder(db, token);
  return user ? { kind: "user", actor: user } : null;
}

export const identityName = (identity: RegistryIdentity) => (identity.kind === "host" ? `system:node:${identity.host}` : identity.actor.username);

/**
 * Throws DENIED unless the identity may pull from (or push to and delete in) the namespace's
 * repositories, and NAME_UNKNOWN when the namespace does not exist; decided from the URL alone,
 * before any body is read. Someone without a role there is refused alike whether it exists or not.
 */
export async function authorizeImages(db: Db, identity: RegistryIdentity, action: ImageAction, namespace: string): Promise<void> {
  if (identity.kind === "host") {
    if (action === "push") throw denied(`host agents pull images; ${identityName(identity)} cannot push or delete them`);
  } else {
    const refusal = await imageRefusal(identity.actor, action, namespace, db);
    if (refusal) throw denied(refusal);
  }
  const { rows } = await db.query<{ terminating: boolean }>(
    `SELECT deletion_timestamp IS NOT NULL AS terminating FROM resources WHERE kind = 'Namespace' AND namespace = '' AND name = $1`,
    [namespace],
  );
  if (!rows[0]) throw new RegistryError(404, "NAME_UNKNOWN", `namespace ${namespace} does not exist: a repository's first component must be an existing namespace`);
  if (action === "push" && rows[0].terminating) throw denied(`namespace ${namespace} is being deleted`);
}

/** The namespaces whose repositories the identity may list in the catalog: "all", or their names. */
export async function catalogNamespaces(db: Db, identity: RegistryIdentity): Promise<"all" | string[]> {
  if (identity.kind === "host" || can(identity.actor, "inventory.read")) return "all";
  return [...(await readNamespaceRoles(db, identity.actor)).keys()];
}
