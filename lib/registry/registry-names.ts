// The registry's URL layout (OCI Distribution spec, "Endpoints") and the names in it: repositories
// `<namespace>/<name>[/<more>]` whose first component is a Skylight namespace, tags and digests.
import { nameInvalid, RegistryError } from "@/lib/registry/registry-errors";

const COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})+$`);
const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const MAX_REPOSITORY_LENGTH = 255;

export const REGISTRY_PATH_PREFIX = "/v2";
export const isRegistryPath = (path: string) => path === REGISTRY_PATH_PREFIX || path.startsWith(`${REGISTRY_PATH_PREFIX}/`);

export type RegistryRoute =
  | { kind: "base" }
  | { kind: "token" }
  | { kind: "catalog" }
  | { kind: "tags"; repository: string }
  | { kind: "manifest"; repository: string; reference: string }
  | { kind: "blob"; repository: string; digest: string }
  | { kind: "uploads"; repository: string; upload: string | null };

export const isDigest = (value: string) => DIGEST.test(value);

export function assertDigest(value: string | null, what = "digest"): string {
  if (value === null || !DIGEST.test(value)) {
    throw new RegistryError(400, "DIGEST_INVALID", `${what} must be sha256:<64 lowercase hex digits>${value === null ? "" : `, not ${JSON.stringify(value.slice(0, 100))}`}`);
  }
  return value;
}

/** The namespace a repository belongs to: its first component. */
export const namespaceOf = (repository: string) => repository.slice(0, repository.indexOf("/"));

function assertRepository(repository: string): string {
  if (repository.length > MAX_REPOSITORY_LENGTH) throw nameInvalid(`a repository name is at most ${MAX_REPOSITORY_LENGTH} characters`);
  if (!REPOSITORY.test(repository)) {
    throw nameInvalid(`repository ${JSON.stringify(repository)} must be <namespace>/<name>[/<more>]: lowercase letters and digits, components separated by "/", words by ".", "_", "__" or "-"`);
  }
  if (!NAMESPACE.test(namespaceOf(repository))) throw nameInvalid(`the first component of repository ${JSON.stringify(repository)} must be a namespace's name (an RFC 1123 label)`);
  return repository;
}

function assertReference(reference: string): string {
  if (!TAG.test(reference) && !DIGEST.test(reference)) {
    throw new RegistryError(400, "MANIFEST_INVALID", `reference ${JSON.stringify(reference.slice(0, 200))} must be a tag (letters, digits, ".", "_", "-", at most 128, not starting with "." or "-") or a sha256 digest`);
  }
  return reference;
}

/** The route a /v2/ path names, or null for a path the registry does not serve. */
export function parseRegistryPath(path: string): RegistryRoute | null {
  if (path === "/v2" || path === "/v2/") return { kind: "base" };
  if (path === "/v2/token") return { kind: "token" };
  if (path === "/v2/_catalog") return { kind: "catalog" };
  let match = /^\/v2\/(.+)\/tags\/list$/.exec(path);
  if (match) return { kind: "tags", repository: assertRepository(match[1]!) };
  match = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
  if (match) return { kind: "manifest", repository: assertRepository(match[1]!), reference: assertReference(match[2]!) };
  match = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
  if (match) return { kind: "uploads", repository: assertRepository(match[1]!), upload: match[2] || null };
  match = /^\/v2\/(.+)\/blobs\/([^/]+)$/.exec(path);
  if (match) return { kind: "blob", repository: assertRepository(match[1]!), digest: assertDigest(match[2]!) };
  return null;
}
