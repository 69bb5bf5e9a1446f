// The OCI Distribution API (/v2/) on the Kubernetes API's HTTPS port: pull (manifests by tag or
// digest, blobs with Range), push (monolithic and chunked uploads, cross-repository mounts, digests
// checked), tags and catalog lists with pagination, deletes, and the spec's JSON errors. Every request
// is authenticated and authorized from its URL and method before any body is read; a 401 carries
// the Bearer challenge clients expect, whose token endpoint (/v2/token) hands back the API token a
// client presents as its password, so `skopeo --creds user:TOKEN` and `--registry-token TOKEN` both work.
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { logError } from "@/lib/log/rate-limited-log";
import { authorizeImages, catalogNamespaces, identify, identityName, tokenFromAuthorization, type RegistryIdentity } from "@/lib/registry/registry-access";
import {
  appendToUpload,
  assertDeclaredLength,
  cancelUpload,
  deleteBlob,
  findBlob,
  findUpload,
  finishUpload,
  mountBlob,
  readStored,
  startUpload,
  type Upload,
} from "@/lib/registry/blob-store";
import { deleteManifest, getManifest, listRepositories, listTags, putManifest } from "@/lib/registry/manifest-store";
import { blobUnknown, RegistryError, registryErrorBody, unauthorized } from "@/lib/registry/registry-errors";
import type { RegistryLimits } from "@/lib/registry/registry-limits";
import { assertDigest, namespaceOf, parseRegistryPath, type RegistryRoute } from "@/lib/registry/registry-names";

export interface RegistryContext {
  pool: pg.Pool;
  limits: RegistryLimits;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const API_VERSION = { "Docker-Distribution-API-Version": "registry/2.0" };
const unsupported = () => new RegistryError(405, "UNSUPPORTED", "the registry does not allow this method here");
const uploadLocation = (upload: Upload) => `/v2/${upload.repository}/blobs/uploads/${upload.id}`;
const uploadRange = (size: number) => `0-${Math.max(size - 1, 0)}`;

function uploadAnswer(upload: Upload, size: number): Answer {
  return { status: 202, headers: { Location: uploadLocation(upload), Range: uploadRange(size), "Docker-Upload-UUID": upload.id, "Content-Length": "0" } };
}

function blobCreated(repository: string, digest: string): Answer {
  return { status: 201, headers: { Location: `/v2/${repository}/blobs/${digest}`, "Docker-Content-Digest": digest, "Content-Length": "0" } };
}

function readPage(url: URL, limits: RegistryLimits): { n: number; last: string | null } {
  const n = url.searchParams.get("n");
  if (n !== null && !/^\d{1,9}$/.test(n)) throw new RegistryError(400, "PAGINATION_NUMBER_INVALID", `n must be a whole number, not ${JSON.stringify(n.slice(0, 50))}`);
  return { n: Math.min(n === null ? limits.maxListEntries : Number(n), limits.maxListEntries), last: url.searchParams.get("last") };
}

function nextLink(url: URL, page: { n: number }, entries: string[]): Record<string, string> {
  if (page.n === 0 || entries.length < page.n) return {};
  const next = new URLSearchParams({ n: String(page.n), last: entries.at(-1)! });
  return { Link: `<${url.pathname}?${next}>; rel="next"` };
}

/**
 * The request's body, read without destroying the request when reading stops early: a refusal
 * mid-body (too large, over quota) must still reach the client before the connection closes.
 */
const bodyOf = (request: IncomingMessage) => request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>;

async function readBoundedBody(request: IncomingMessage, limit: number, what: string): Promise<Buffer> {
  const tooLarge = () => new RegistryError(413, "SIZE_INVALID", `${what} may be at most ${limit / 1024 / 1024} MiB`);
  if (Number(request.headers["content-length"] ?? 0) > limit) throw tooLarge();
  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of bodyOf(request)) {
    size += piece.length;
    if (size > limit) throw tooLarge();
    pieces.push(piece);
  }
  return Buffer.concat(pieces);
}

/** A Range header's one byte range within `size`, null without one; 416 when it cannot be served. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = new RegistryError(416, "BLOB_UNKNOWN", `range ${JSON.stringify(header.slice(0, 100))} is not within the blob's ${size} bytes`, { "Content-Range": `bytes */${size}` });
  if (!match || (match[1] === "" && match[2] === "")) throw unsatisfiable;
  const [first, last] = [match[1]!, match[2]!];
  const range = first === "" ? { start: Math.max(size - Number(last), 0), end: size } : { start: Number(first), end: last === "" ? size : Math.min(Number(last) + 1, size) };
  if (range.start >= range.end) throw unsatisfiable;
  return range;
}

async function serveBlob(context: RegistryContext, request: IncomingMessage, response: ServerResponse, repository: string, digest: string): Promise<Answer | null> {
  const blob = await findBlob(context.pool, repository, digest);
  if (!blob) throw blobUnknown(digest);
  const range = parseRange(request.headers.range, blob.size);
  const { start, end } = range ?? { start: 0, end: blob.size };
  const headers = {
    ...API_VERSION,
    "Content-Type": "application/octet-stream",
    "Content-Length": String(end - start),
    "Docker-Content-Digest": digest,
    ETag: `"${digest}"`,
    "Accept-Ranges": "bytes",
    ...(range && { "Content-Range": `bytes ${start}-${end - 1}/${blob.size}` }),
  };
  response.writeHead(range ? 206 : 200, headers);
  if (request.method === "HEAD" || start === end) {
    response.end();
    return null;
  }
  await pipeline(Readable.from(readStored(context.pool, blob.storage, start, end)), response).catch(() => response.destroy());
  return null;
}

async function serveUploads(context: RegistryContext, request: IncomingMessage, url: URL, identity: RegistryIdentity, repository: string, id: string | null): Promise<Answer> {
  const { pool, limits } = context;
  const namespace = namespaceOf(repository);
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  const body = bodyOf(request);
  if (id === null) {
    if (request.method !== "POST") throw unsupported();
    const mount = url.searchParams.get("mount");
    const from = url.searchParams.get("from");
    if (mount !== null && from !== null) {
      const digest = assertDigest(mount, "mount");
      const fromRoute = parseRegistryPath(`/v2/${from}/tags/list`) as Extract<RegistryRoute, { kind: "tags" }>;
      // Without pull rights on the source, the spec's answer is an ordinary upload session.
      const mayPull = await authorizeImages(pool, identity, "pull", namespaceOf(fromRoute.repository)).then(() => true, () => false);
      if (mayPull && (await mountBlob(pool, { from: fromRoute.repository, repository, namespace, digest }, limits))) return blobCreated(repository, digest);
    }
    const digest = url.searchParams.get("digest");
    if (digest !== null) assertDigest(digest);
    assertDeclaredLength(declared, 0, limits);
    const upload = await startUpload(pool, { repository, namespace, startedBy: identityName(identity) }, limits);
    if (digest === null) return uploadAnswer(upload, 0);
    upload.size = await appendToUpload(pool, upload, body, limits);
    await finishUpload(pool, upload, digest);
    return blobCreated(repository, digest);
  }
  const upload = await findUpload(pool, id, repository);
  switch (request.method) {
    case "GET":
      return { status: 204, headers: { Location: uploadLocation(upload), Range: uploadRange(upload.size), "Docker-Upload-UUID": upload.id } };
    case "DELETE":
      await cancelUpload(pool, upload.id);
      return { status: 204 };
    case "PATCH": {
      const contentRange = request.headers["content-range"];
      if (contentRange !== undefined) {
        const match = /^(?:bytes )?(\d+)-(\d+)$/.exec(contentRange);
        if (!match || Number(match[1]) !== upload.size) {
          throw new RegistryError(416, "BLOB_UPLOAD_INVALID", `Content-Range ${JSON.stringify(contentRange.slice(0, 100))} must start where the upload ends, at ${upload.size}`, { Location: uploadLocation(upload), Range: uploadRange(upload.size) });
        }
      }
      assertDeclaredLength(declared, upload.size, limits);
      return uploadAnswer(upload, await appendToUpload(pool, upload, body, limits));
    }
    case "PUT": {
      const digest = assertDigest(url.searchParams.get("digest"));
      assertDeclaredLength(declared, upload.size, limits);
      upload.size = await appendToUpload(pool, upload, body, limits);
      await finishUpload(pool, upload, digest);
      return blobCreated(repository, digest);
    }
    default:
      throw unsupported();
  }
}

async function route(context: RegistryContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<Answer | null> {
  const { pool, limits } = context;
  const token = tokenFromAuthorization(request.headers.authorization);
  const identity = await identify(pool, token);
  if (!identity) throw unauthorized();
  const method = request.method ?? "GET";
  const path = parseRegistryPath(url.pathname);
  if (!path) throw new RegistryError(404, "NAME_UNKNOWN", "the registry serves no such path");
  const reading = method === "GET" || method === "HEAD";
  switch (path.kind) {
    case "base":
      if (!reading) throw unsupported();
      return { status: 200, body: {} };
    case "token":
      if (!reading) throw unsupported();
      return { status: 200, body: { token, access_token: token, expires_in: 3600, issued_at: new Date().toISOString() } };
    case "catalog": {
      if (!reading) throw unsupported();
      const page = readPage(url, limits);
      const repositories = await listRepositories(pool, await catalogNamespaces(pool, identity), page);
      return { status: 200, headers: nextLink(url, page, repositories), body: { repositories } };
    }
    case "tags": {
      if (!reading) throw unsupported();
      await authorizeImages(pool, identity, "pull", namespaceOf(path.repository));
      const page = readPage(url, limits);
      const tags = await listTags(pool, path.repository, page);
      if (tags === null) throw new RegistryError(404, "NAME_UNKNOWN", `repository ${path.repository} holds no images`);
      return { status: 200, headers: nextLink(url, page, tags), body: { name: path.repository, tags } };
    }
    case "manifest": {
      const namespace = namespaceOf(path.repository);
      await authorizeImages(pool, identity, reading ? "pull" : "push", namespace);
      if (reading) {
        const manifest = await getManifest(pool, path.repository, path.reference, request.headers.accept);
        const headers = { "Content-Type": manifest.mediaType, "Docker-Content-Digest": manifest.digest, ETag: `"${manifest.digest}"`, "Content-Length": String(manifest.content.length) };
        return { status: 200, headers, body: method === "HEAD" ? undefined : manifest.content };
      }
      if (method === "DELETE") {
        await deleteManifest(pool, path.repository, path.reference);
        return { status: 202, headers: { "Content-Length": "0" } };
      }
      if (method !== "PUT") throw unsupported();
      const content = await readBoundedBody(request, limits.maxManifestBytes, "a manifest");
      const digest = await putManifest(
        pool,
        { repository: path.repository, namespace, reference: path.reference, contentType: request.headers["content-type"] ?? "", content, pushedBy: identityName(identity) },
        limits,
      );
      return { status: 201, headers: { Location: `/v2/${path.repository}/manifests/${digest}`, "Docker-Content-Digest": digest, "Content-Length": "0" } };
    }
    case "blob":
      await authorizeImages(pool, identity, reading ? "pull" : "push", namespaceOf(path.repository));
      if (reading) return serveBlob(context, request, response, path.repository, path.digest);
      if (method !== "DELETE") throw unsupported();
      await deleteBlob(pool, path.repository, path.digest);
      return { status: 202, headers: { "Content-Length": "0" } };
    case "uploads":
      await authorizeImages(pool, identity, "push", namespaceOf(path.repository));
      return serveUploads(context, request, url, identity, path.repository, path.upload);
  }
}

/** The host:port the client reached us at, for the challenge's token URL (anything odd: localhost). */
const challengeHost = (request: IncomingMessage) => (/^[A-Za-z0-9.:[\]-]{1,300}$/.test(request.headers.host ?? "") ? request.headers.host! : "localhost");

/** Serves one /v2/ request and writes its answer (the registry's own error format, never metav1.Status). */
export async function serveRegistryRequest(context: RegistryContext, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  let answer: Answer | null;
  try {
    answer = await route(context, request, response, url);
  } catch (caught) {
    let error = caught;
    if (!(error instanceof RegistryError)) {
      logError("[registry] request failed", error);
      error = new RegistryError(500, "UNKNOWN", "the registry failed to answer; see the Skylight server log");
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const refusal = error as RegistryError;
    const challenge: Record<string, string> = refusal.status === 401 ? { "WWW-Authenticate": `Bearer realm="https://${challengeHost(request)}/v2/token",service="skylight"` } : {};
    // A refused body is not read to its end: the connection closes after the answer instead.
    const hasBody = (request.headers["content-length"] ?? "0") !== "0" || request.headers["transfer-encoding"] !== undefined;
    const close: Record<string, string> = hasBody && !request.readableEnded ? { Connection: "close" } : {};
    answer = { status: refusal.status, headers: { ...refusal.headers, ...challenge, ...close }, body: registryErrorBody(refusal) };
  }
  if (!answer || response.headersSent) return;
  const body = answer.body === undefined ? undefined : Buffer.isBuffer(answer.body) ? answer.body : Buffer.from(JSON.stringify(answer.body));
  response.writeHead(answer.status, {
    ...API_VERSION,
    ...(body && !Buffer.isBuffer(answer.body) && { "Content-Type": "application/json" }),
    ...(body && { "Content-Length": String(body.length) }),
    ...answer.headers,
  });
  response.end(request.method === "HEAD" ? undefined : body);
}
