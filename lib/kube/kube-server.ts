// The Kubernetes API over HTTPS: authenticates the bearer token, routes kube-apiserver's URL
// layout (/api/v1/…, /apis/<group>/<version>/[namespaces/<ns>/]<plural>[/<name>[/status]]) to
// discovery, OpenAPI, reads, watches and writes, service accounts' tokens (token-requests.ts), a pod's streams (pod-streams/pod-stream-route.ts:
// logs, and exec and attach as upgrades), and answers errors as metav1.Status.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type pg from "pg";
import { findResource, type ApiResource, type Verb } from "@/lib/kube/api-resources";
import { tokenHolder } from "@/lib/kube/token-holders";
import { currentActor, withImpersonation, type Impersonation } from "@/lib/kube/impersonation";
import { reviewResourceAt } from "@/lib/kube/access-review-api";
import { serveAccessReview } from "@/lib/kube/access-reviews";
import { hostUsername, serveHostAgentRequest } from "@/lib/kube/host-agent-requests";
import { hostForToken, isHostToken, type SphereletHost } from "@/lib/spherelet/host-tokens";
import { isSphereletPath, serveSphereletRequest } from "@/lib/spherelet/spherelet-routes";
import { isImagePath, serveImageRequest } from "@/lib/spherelet/image-routes";
import { badRequest, gone, KubeApiError, methodNotAllowed, statusBody, toKubeApiError, unauthorized, type ResourceRef } from "@/lib/kube/api-status";
import { ensureCertificateAuthority, issueServingCertificate } from "@/lib/kube/certificate-authority";
import { aggregatedContentType, aggregatedDiscovery, aggregatedDiscoveryVersion, coreVersions, groupList, resourceList, VERSION_INFO } from "@/lib/kube/discovery";
import { auditName, readAccessScope } from "@/lib/auth/authorize";
import { actorForTokenUser, authorizeKube, KUBE_SCOPE, sameVisibility, visibilityFor, type KubeActor, type KubeVisibility } from "@/lib/kube/kube-access";
import { getObjectOrThrow, listBody, listObjects, resourceRef } from "@/lib/kube/kube-reads";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { updateManagerOf } from "@/lib/kube/field-owners";
import { withManagedFields } from "@/lib/kube/managed-fields";
import { serveWatch, type WatchGuard, type WatchOptions, type WatchSource } from "@/lib/kube/kube-watch";
import { recheckWatches, WATCH_RECHECK_INTERVAL_MS } from "@/lib/kube/watch-registry";
import { accessChangesReady, onAccessChange } from "@/lib/auth/access-changes";
import { logError } from "@/lib/log/rate-limited-log";
import { awaitResourceVersion, readListParams } from "@/lib/kube/request-params";
import { isStorableText } from "@/lib/http/untrusted-input";
import { createObject, deleteObject, patchObject, updateObject } from "@/lib/kube/kube-writes";
import { PATCH_TYPES, patchTypeOf } from "@/lib/kube/patches";
import { readObject, readRequestBody } from "@/lib/kube/request-body";
import { warningHeader } from "@/lib/kube/field-validation";
import { serveScale } from "@/lib/kube/scale-subresource";
import { writeCustomResourceStatus } from "@/lib/kube/custom-resource-status";
import { refreshServedCustomKinds } from "@/lib/kube/served-custom-kinds";
import { serveTokenRequest } from "@/lib/kube/token-requests";
import { refuseOversizedObject } from "@/lib/kube/object-bounds";
import { openApiV2, openApiV3Document, openApiV3Index } from "@/lib/kube/openapi";
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE, openApiV2Protobuf, wantsOpenApiV2Protobuf } from "@/lib/kube/openapi-v2-protobuf";
import { table, tableRequest } from "@/lib/kube/table-output";
import { createWatchFrontier, type WatchFrontier } from "@/lib/kube/watch-frontier";
import { startCompaction } from "@/lib/kube/compaction";
import { getNodeMetrics, isMetricsResource, listNodeMetrics } from "@/lib/kube/node-metrics";
import { getPodMetrics, listPodMetrics } from "@/lib/kube/pod-metrics";
import { isRegistryPath } from "@/lib/registry/registry-names";
import { serveRegistryRequest, type RegistryContext } from "@/lib/registry/registry-server";
import { registryLimits, type RegistryLimits } from "@/lib/registry/registry-limits";
import { readConfig } from "@/lib/config";
import { activityWatchSource, getActivity, isActivityResource, listActivity } from "@/lib/kube/activity-resources";
import { createClientEvent } from "@/lib/kube/client-events";
import { createPodStreamRoute, parsePodStreamRequestPath, type PodStreamRoute } from "@/lib/kube/pod-streams/pod-stream-route";
import { serveServices, servicesWatchSource, type ServiceRequest } from "@/lib/kube/services";

export interface KubeServerOptions {
  pool: pg.Pool;
  connectionString: string;
  port: number;
  hostnames: readonly string[];
  host?: string;
  /** How long removals stay in the change log before compaction (watches from before get 410). */
  changeRetentionSeconds?: number;
  /** How often open watches re-check their token and visibility (WATCH_RECHECK_INTERVAL_MS); tests shorten it. */
  watchRecheckIntervalMs?: number;
  /** The OCI registry's bounds (default: from the environment, lib/config.ts). */
  registryLimits?: RegistryLimits;
}

export interface RunningKubeServer {
  port: number;
  certificateAuthorityPem: string;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  contentType?: string;
  retryAfterSeconds?: number;
  /** kube-apiserver's Warning headers, one per warning (a write's unknown fields with fieldValidation=Warn). */
  warnings?: string[];
}


interface ResourcePath {
  resource: ApiResource;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Splits a resource URL into resource, namespace, name and subresource, or null when it is not one. */
function parseResourcePath(segments: string[]): ResourcePath | null | "unknown" {
  let group = "";
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments[1]) {
    version = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments[1] && segments[2]) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else return null;
  if (rest.length === 0) return null;
  let namespace: string | undefined;
  // /api/v1/namespaces/<ns>/<plural>… is namespaced; /api/v1/namespaces[/<name>[/status]] is the Namespace itself.
  if (rest[0] === "namespaces" && rest.length >= 3 && findResource(group, version, rest[2]!)?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = findResource(group, version, rest[0]!);
  if (!resource) return "unknown";
  if (rest.length > 3) return "unknown";
  return { resource, namespace, name: rest[1], subresource: rest[2] };
}

function verbFor(method: string, path: ResourcePath, query: URLSearchParams): Verb {
  if (method === "GET") return path.name ? "get" : query.get("watch") === "true" || query.get("watch") === "1" ? "watch" : "list";
  if (method === "POST") return "create";
  if (method === "PUT") return "update";
  if (method === "PATCH") return "patch";
  if (method === "DELETE") return "delete";
  throw methodNotAllowed(`the server does not allow this method on the requested resource`);
}

interface Caller {
  actor: KubeActor;
  token: string;
  /** Set when the token is a host agent's: the caller is system:node:<host> and reaches only that host's objects. */
  host: SphereletHost | null;
  /** What an administrator's Impersonate-* headers asked to act as: `actor` is then that user. */
  impersonation?: Impersonation | null;
}

/** The caller a request's bearer token names: a user, a service account, or a host agent; 401 for anything else. Then whom it may act as (impersonation.ts). */
async function authenticate(pool: pg.Pool, request: IncomingMessage): Promise<Caller> {
  const header = request.headers.authorization ?? "";
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (token && isHostToken(token)) {
    const host = await hostForToken(pool, token);
    if (!host) throw unauthorized();
    return withImpersonation(pool, request, { actor: { id: `host:${host.name}`, username: hostUsername(host.name), role: "developer" }, token, host });
  }
  const user = token ? await tokenHolder(pool, token) : null;
  if (!user || !token) throw unauthorized();
  return withImpersonation(pool, request, { actor: actorForTokenUser(user), token, host: null });
}

export function createKubeApiHandler(pool: pg.Pool, frontier: WatchFrontier, podStreams: PodStreamRoute, options: { watchRecheckIntervalMs?: number; registryLimits?: RegistryLimits } = {}) {
  const registry: RegistryContext = { pool, limits: options.registryLimits ?? registryLimits(readConfig()) };

  /**
   * What an open watch re-checks: the token (revoked, its user disabled, the role changed), that
   * the user may still watch this, that they still see what they saw when it began, and that a
   * custom kind is still served; a change there ends it with 410 Expired, so a client lists again
   * and gets only what it may see now (or 404).
   */
  function watchGuard(caller: Caller, ref: ResourceRef, namespace: string | undefined, resource: ApiResource, visible: KubeVisibility): WatchGuard {
    return {
      userId: caller.actor.id,
      watcher: auditName(caller.actor),
      recheckIntervalMs: options.watchRecheckIntervalMs ?? WATCH_RECHECK_INTERVAL_MS,
      async recheck() {
        const actor = await currentActor(pool, caller);
        if (actor instanceof KubeApiError) return actor;
        try {
          await authorizeKube(actor, "watch", ref, namespace, pool);
        } catch (error) {
          if (error instanceof KubeApiError) return error;
          throw error;
        }
        if (!sameVisibility(await visibilityFor(actor, resource, pool), visible)) return gone("what this watch may show has changed: list again");
        if (resource.custom) {
          // A custom kind whose definition went (or stopped serving this version) ends its watches, as kube-apiserver's do.
          await refreshServedCustomKinds(pool);
          if (!findResource(resource.group, resource.version, resource.plural)) return gone(`${resource.plural}.${resource.group}/${resource.version} is no longer served`);
        }
        return null;
      },
    };
  }

  async function serveResource(request: IncomingMessage, response: ServerResponse, caller: Caller, path: ResourcePath, query: URLSearchParams): Promise<Reply | null> {
    const { resource, namespace, name, subresource } = path;
    const { actor } = caller;
    const verb = verbFor(request.method ?? "GET", path, query);
    if (caller.host) return serveHostAgentRequest(pool, caller.host, { verb, resource, namespace, name, subresource }, request);
    // kube names a subresource's permission resource/subresource: serviceaccounts/token is minting.
    const ref = subresource === "token" ? { ...resourceRef(resource, name), plural: `${resource.plural}/token` } : resourceRef(resource, name);
    const applies = verb === "patch" && subresource === undefined && (request.headers["content-type"] ?? "").startsWith(PATCH_TYPES.apply);
    await authorizeKube(actor, verb, ref, namespace, pool, { applies });
    const dryRun = query.getAll("dryRun").includes("All");
    const warnings: string[] = [];
    const context = { pool, actor, resource, namespace, dryRun, fieldManager: updateManagerOf(query.get("fieldManager"), request.headers["user-agent"]), fieldValidation: query.get("fieldValidation"), warnings };
    if (subresource === "token" && resource.kind === "ServiceAccount" && name !== undefined && namespace !== undefined) {
      if (verb !== "create") throw methodNotAllowed("serviceaccounts/token is only created: POST a TokenRequest");
      const body = await readObject(request);
      refuseOversizedObject(body, "the object");
      return { status: 201, body: await serveTokenRequest(pool, { namespace, name }, body, { dryRun }) };
    }
    if (subresource === "scale" && resource.hasScale && name !== undefined && namespace !== undefined) {
      const write = verb === "update" || verb === "patch" ? { body: await readRequestBody(request), patchType: verb === "patch" ? patchTypeOf(request.headers["content-type"] ?? "") : undefined } : undefined;
      return { status: 200, body: await serveScale(context, verb, name, write) };
    }
    if (subresource !== undefined && (subresource !== "status" || !resource.hasStatus)) {
      throw new KubeApiError(404, "NotFound", `the server could not find the requested resource`);
    }
    if (subresource === "status" && resource.custom && (verb === "update" || verb === "patch") && name !== undefined) {
      const patchType = verb === "patch" ? patchTypeOf(request.headers["content-type"] ?? "") : undefined;
      const written = await writeCustomResourceStatus(context, verb, name, await readRequestBody(request), patchType);
      return { status: 200, body: (await withManagedFields(pool, resource, [written]))[0] };
    }
    if (subresource === "status" && verb !== "get") {
      throw methodNotAllowed(`${resource.plural}/status is observed state, written only by Skylight's controllers`);
    }
    if (resource.namespaced && namespace === undefined && name !== undefined) {
      throw new KubeApiError(404, "NotFound", `the server could not find the requested resource`);
    }
    const asTable = tableRequest(request.headers.accept, query);
    const params = verb === "list" || verb === "watch" ? readListParams(query, isActivityResource(resource) ? null : resource.fields) : null;
    const watch = async (source?: WatchSource) => {
      const visible = await visibilityFor(actor, resource, pool);
      const watchOptions: WatchOptions = { namespace, visible, ...params!, asTable };
      await serveWatch(pool, frontier, resource, watchOptions, response, watchGuard(caller, ref, namespace, resource, visible), source);
      return null;
    };
    if (resource.kind === "Service") {
      const services: ServiceRequest = { pool, frontier, resource, verb, namespace, name, params, asTable, apiPort: request.socket.localPort ?? 0 };
      return verb === "watch" ? watch(servicesWatchSource(services)) : serveServices(services);
    }
    if (resource.kind === "PodMetrics") {
      if (verb === "get") return { status: 200, body: await getPodMetrics(pool, resource, namespace!, name!) };
      if (verb === "list") return { status: 200, body: await listPodMetrics(pool, namespace, await visibilityFor(actor, resource, pool)) };
      throw methodNotAllowed(`${resource.plural}.${resource.group} can only be read (get, list): they are what the pods' hosts last reported`);
    }
    if (isMetricsResource(resource)) {
      if (verb === "get") return { status: 200, body: await getNodeMetrics(pool, resource, name!) };
      if (verb === "list") return { status: 200, body: await listNodeMetrics(pool) };
      throw methodNotAllowed(`${resource.plural}.${resource.group} can only be read (get, list): they are the hosts' latest performance samples`);
    }
    if (isActivityResource(resource)) {
      if (verb === "create" && resource.kind === "Event") {
        if (namespace === undefined || name !== undefined) throw new KubeApiError(404, "NotFound", `the server could not find the requested resource`);
        const body = await readObject(request);
        refuseOversizedObject(body, "the object");
        return { status: 201, body: await createClientEvent(pool, actor, resource, namespace, body) };
      }
      if (verb === "get") {
        const object = await getActivity(pool, resource, namespace, name!, await readAccessScope(actor, pool, KUBE_SCOPE));
        return { status: 200, body: asTable ? table(resource, [object], {}, asTable) : object };
      }
      if (verb !== "list" && verb !== "watch") throw methodNotAllowed(`${resource.plural} can only be read (get, list, watch)${resource.kind === "Event" ? " and created" : ""}: they are Skylight's activity log`);
      const options = { namespace, scope: await readAccessScope(actor, pool, KUBE_SCOPE), fieldSelector: params!.fieldSelector, limit: params!.limit, continueToken: params!.continueToken };
      if (verb === "watch") return watch(activityWatchSource(pool, frontier, resource, options));
      if (params!.resourceVersion !== null) await awaitResourceVersion(frontier, params!.resourceVersion);
      const result = await listActivity(pool, frontier, resource, options);
      const metadata = { resourceVersion: result.resourceVersion, ...(result.continueToken ? { continue: result.continueToken } : {}) };
      return { status: 200, body: asTable ? table(resource, result.objects, metadata, asTable) : listBody(resource, result) };
    }
    const withFields = async (object: KubeObject) => (await withManagedFields(pool, resource, [object]))[0]!;
    const rowObjects = async (objects: KubeObject[]) => (asTable === "Object" ? withManagedFields(pool, resource, objects) : objects);
    switch (verb) {
      case "get": {
        const object = await getObjectOrThrow(pool, resource, namespace, name!);
        return { status: 200, body: asTable ? table(resource, await rowObjects([object]), { resourceVersion: object.metadata.resourceVersion }, asTable) : await withFields(object) };
      }
      case "list": {
        if (params!.resourceVersion !== null) await awaitResourceVersion(frontier, params!.resourceVersion);
        const result = await listObjects(pool, frontier, resource, { namespace, visible: await visibilityFor(actor, resource, pool), ...params! });
        const metadata = { resourceVersion: result.resourceVersion, ...(result.continueToken ? { continue: result.continueToken } : {}) };
        if (asTable) return { status: 200, body: table(resource, await rowObjects(result.objects), metadata, asTable) };
        return { status: 200, body: listBody(resource, { ...result, objects: await withManagedFields(pool, resource, result.objects) }) };
      }
      case "watch":
        return watch();
      case "create": {
        if (name) throw methodNotAllowed("POST is not allowed on a named object");
        const body = await readObject(request);
        refuseOversizedObject(body, "the object", resource);
        return { status: 201, body: await withFields(await createObject(context, body)), warnings };
      }
      case "update": {
        const body = await readObject(request);
        refuseOversizedObject(body, "the object", resource);
        return { status: 200, body: await withFields(await updateObject(context, name!, body)), warnings };
      }
      case "patch": {
        const type = patchTypeOf(request.headers["content-type"] ?? "");
        const result = await patchObject(context, name!, type, await readRequestBody(request), {
          fieldManager: query.get("fieldManager"),
          force: query.get("force") === "true",
        });
        return { status: result.created ? 201 : 200, body: await withFields(result.object), warnings };
      }
      case "delete": {
        const options = (await readObject(request)) as { preconditions?: { resourceVersion?: string }; propagationPolicy?: string; dryRun?: string[]; gracePeriodSeconds?: unknown };
        const deleted = await deleteObject(
          { ...context, dryRun: dryRun || (options.dryRun ?? []).includes("All") },
          name!,
          {
            preconditionResourceVersion: options.preconditions?.resourceVersion,
            propagationPolicy: query.get("propagationPolicy") ?? options.propagationPolicy,
            gracePeriodSeconds: query.get("gracePeriodSeconds") ?? options.gracePeriodSeconds,
          },
        );
        return { status: 200, body: await withFields(deleted) };
      }
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<Reply | null> {
    const url = new URL(request.url ?? "/", "https://skylight");
    for (const [name, value] of url.searchParams) {
      if (!isStorableText(value)) throw badRequest(`invalid value for ${name}: it contains a NUL character or half of a surrogate pair`);
    }
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path === "/healthz" || path === "/livez" || path === "/readyz") return { status: 200, body: "ok", contentType: "text/plain" };
    if (path === "/version") return { status: 200, body: VERSION_INFO };
    // The OCI registry authenticates (Bearer or Basic) and answers errors in its own format.
    if (isRegistryPath(url.pathname)) {
      await serveRegistryRequest(registry, request, response, url);
      return null;
    }
    const caller = await authenticate(pool, request);
    await refreshServedCustomKinds(pool);
    if (request.method === "GET") {
      const aggregated = aggregatedDiscoveryVersion(request.headers.accept);
      if (path === "/api") return aggregated ? { status: 200, body: aggregatedDiscovery(aggregated, true), contentType: aggregatedContentType(aggregated) } : { status: 200, body: coreVersions() };
      if (path === "/apis") return aggregated ? { status: 200, body: aggregatedDiscovery(aggregated, false), contentType: aggregatedContentType(aggregated) } : { status: 200, body: groupList() };
      if (path === "/openapi/v2") {
        return wantsOpenApiV2Protobuf(request.headers.accept)
          ? { status: 200, body: openApiV2Protobuf(openApiV2()), contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE }
          : { status: 200, body: openApiV2() };
      }
      if (path === "/openapi/v3") return { status: 200, body: openApiV3Index() };
      if (path.startsWith("/openapi/v3/")) {
        const document = openApiV3Document(path.slice("/openapi/v3/".length));
        if (document) return { status: 200, body: document };
      }
      const coreList = /^\/api\/(v1)$/.exec(path);
      const groupVersion = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
      const list = coreList ? resourceList("", coreList[1]!) : groupVersion ? resourceList(groupVersion[1]!, groupVersion[2]!) : undefined;
      if (list) return { status: 200, body: list };
    }
    const review = reviewResourceAt(path);
    if (review) return serveAccessReview(pool, caller, review, request);
    if (isImagePath(path)) return serveImageRequest(caller.host, caller.actor.username, request, response, path);
    if (isSphereletPath(path)) return serveSphereletRequest(pool, caller.host, caller.actor.username, request, path, url.searchParams);
    const podStream = parsePodStreamRequestPath(path);
    if (podStream) {
      if (podStream.subresource !== "log") throw badRequest(`pods/${podStream.subresource} needs a WebSocket upgrade (kubectl 1.30 or later)`);
      await podStreams.serveLog(request, response, caller, podStream, url.searchParams);
      return null;
    }
    const resourcePath = parseResourcePath(path.split("/").filter(Boolean));
    if (resourcePath && resourcePath !== "unknown") return serveResource(request, response, caller, resourcePath, url.searchParams);
    throw new KubeApiError(404, "NotFound", "the server could not find the requested resource");
  }

  return async (request: IncomingMessage, response: ServerResponse) => {
    let reply: Reply | null;
    try {
      reply = await route(request, response);
    } catch (error) {
      const status = toKubeApiError(error, { group: "", plural: "", kind: "", name: "" });
      // A watch that fails after its headers went out ends with an ERROR event, as kube-apiserver's do.
      if (response.headersSent) {
        response.end(`${JSON.stringify({ type: "ERROR", object: statusBody(status) })}\n`);
        return;
      }
      reply = { status: status.code, body: statusBody(status), retryAfterSeconds: status.details?.retryAfterSeconds };
    }
    if (!reply || response.headersSent) return;
    const body = typeof reply.body === "string" || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
    response.writeHead(reply.status, {
      "Content-Type": reply.contentType ?? "application/json",
      "Cache-Control": "no-cache, private",
      ...(reply.retryAfterSeconds !== undefined && { "Retry-After": String(reply.retryAfterSeconds) }),
      ...(reply.warnings?.length && { Warning: reply.warnings.map(warningHeader) }),
    });
    response.end(body);
  };
}

/**
 * Forward-secret AEAD suites only: TLS 1.3's three, and on TLS 1.2 ECDHE with AES-GCM or
 * ChaCha20-Poly1305 (the serving key is RSA; the ECDSA ones serve a future ECDSA key). No CBC,
 * no static-RSA key exchange, nothing older than TLS 1.2.
 */
const TLS_OPTIONS = {
  minVersion: "TLSv1.2",
  ciphers: [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
    "ECDHE-ECDSA-CHACHA20-POLY1305",
    "ECDHE-RSA-CHACHA20-POLY1305",
  ].join(":"),
  honorCipherOrder: true,
} as const;

/** Starts the HTTPS server with a serving certificate from the installation's CA. */
export async function startKubeApiServer(options: KubeServerOptions): Promise<RunningKubeServer> {
  const authority = await ensureCertificateAuthority(options.pool);
  const serving = issueServingCertificate(authority, options.hostnames);
  const frontier = createWatchFrontier(options.pool, { connectionString: options.connectionString });
  const compaction = startCompaction(options.pool, { retentionSeconds: options.changeRetentionSeconds ?? 15 * 60 });
  // A notice that someone's access changed (a token revoked, a user disabled, a namespace's
  // permissions edited) re-checks their watches at once instead of at the next timer.
  const podStreams = createPodStreamRoute(options.pool, { recheckIntervalMs: options.watchRecheckIntervalMs ?? WATCH_RECHECK_INTERVAL_MS });
  const stopAccessChecks = onAccessChange((change) => {
    void recheckWatches(change.userIds).catch((error: unknown) => logError("[kube] re-checking watches failed", error));
    podStreams.recheck(change.userIds);
  });
  await accessChangesReady();
  const server: Server = createServer(
    // The chain ends with the CA, so an agent pinning its hash (--ca-cert-hash) finds it.
    { ...TLS_OPTIONS, cert: serving.certificatePem + authority.certificatePem, key: serving.privateKeyPem },
    createKubeApiHandler(options.pool, frontier, podStreams, { watchRecheckIntervalMs: options.watchRecheckIntervalMs, registryLimits: options.registryLimits }),
  );
  // exec, attach and port-forward: the only upgrades the API serves.
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => void podStreams.upgrade(request, socket, head, (incoming) => authenticate(options.pool, incoming)));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => {
      server.off("error", reject);
      resolve();
    });
  }).catch(async (error: unknown) => {
    compaction.stop();
    stopAccessChecks();
    await frontier.close();
    throw error;
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    certificateAuthorityPem: authority.certificatePem,
    async close() {
      compaction.stop();
      stopAccessChecks();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await frontier.close();
    },
  };
}
