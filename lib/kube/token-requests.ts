// The TokenRequest subresource (POST …/serviceaccounts/<name>/token, `kubectl create token`): an
// authentication.k8s.io/v1 TokenRequest in, the same with status.token out. Authorized before the
// body is read (kube-access.ts: the namespace's owner role, as kube's create on
// serviceaccounts/token); the duration is bounded by service-account-tokens.ts, and a token is
// bound to its service account only (no boundObjectRef). Audiences are echoed: Skylight's API is
// the one audience any of its tokens is good for.
import type pg from "pg";
import { z } from "zod";
import { fieldPath } from "@/lib/engine/field-path";
import { invalid, notFound, type StatusCause } from "@/lib/kube/api-status";
import { DEFAULT_TOKEN_SECONDS, liveServiceAccount, MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS, mintServiceAccountToken } from "@/lib/kube/service-account-tokens";

const API_VERSION = "authentication.k8s.io/v1";
const MAX_AUDIENCES = 16;

const tokenRequestSchema = z.object({
  apiVersion: z.literal(API_VERSION, { error: `must be ${API_VERSION}` }).optional(),
  kind: z.literal("TokenRequest", { error: "must be TokenRequest" }).optional(),
  spec: z
    .object({
      audiences: z.array(z.string().min(1, "must not be empty").max(253, "must be at most 253 characters")).max(MAX_AUDIENCES, `must have at most ${MAX_AUDIENCES} items`).optional(),
      expirationSeconds: z
        .number({ error: "must be a whole number of seconds" })
        .int("must be a whole number of seconds")
        .min(MIN_TOKEN_SECONDS, "may not specify a duration less than 10 minutes")
        .max(MAX_TOKEN_SECONDS, `may not specify a duration larger than one year (${MAX_TOKEN_SECONDS} seconds)`)
        .nullish(),
      boundObjectRef: z.null({ error: "Unsupported value: Skylight binds a token to its service account only" }).optional(),
    })
    .default({}),
});

const tokenRequestRef = (name: string) => ({ group: "authentication.k8s.io", plural: "tokenrequests", kind: "TokenRequest", name });

function admit(name: string, body: unknown) {
  const parsed = tokenRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const causes: StatusCause[] = parsed.error.issues.map((issue) => {
    const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key], body);
    return { field: fieldPath(issue.path), message: issue.message.startsWith("Unsupported") ? issue.message : `Invalid value: ${JSON.stringify(value) ?? "null"}: ${issue.message}` };
  });
  throw invalid(tokenRequestRef(name), causes);
}

/** Mints a token for the service account `name` in `namespace` as the TokenRequest `body` asks; a dry run mints none and answers no token. */
export async function serveTokenRequest(pool: pg.Pool, account: { namespace: string; name: string }, body: unknown, { dryRun }: { dryRun: boolean }): Promise<Record<string, unknown>> {
  const { namespace, name } = account;
  const request = admit(name, body);
  const seconds = request.spec.expirationSeconds ?? DEFAULT_TOKEN_SECONDS;
  const minted = dryRun ? ((await liveServiceAccount(pool, account)) && { token: "", expiresAt: new Date(Date.now() + seconds * 1000) }) : await mintServiceAccountToken(pool, { namespace, name, seconds });
  if (!minted) throw notFound({ group: "", plural: "serviceaccounts", kind: "ServiceAccount", name });
  return {
    kind: "TokenRequest",
    apiVersion: API_VERSION,
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences: request.spec.audiences ?? [], expirationSeconds: seconds, boundObjectRef: null },
    status: { token: minted.token, expirationTimestamp: minted.expiresAt.toISOString().replace(/\.\d{3}Z$/, "Z") },
  };
}
