// The pods subresources that stream: pods/log (GET), pods/exec and pods/attach (WebSocket upgrade,
// v5.channel.k8s.io or v4.channel.k8s.io as kubectl 1.30+ offers them) and pods/portforward
// (WebSocket upgrade carrying SPDY/3.1, SPDY/3.1+portforward.k8s.io as kubectl 1.31+ offers it). As
// kube-apiserver does, the caller is authorized before anything else is read — logs need the
// namespace's view role (get pods/log), the others its edit role (create pods/exec…) — then the
// parameters are checked, the pod found, and the stream piped to and from the agent of the pod's
// host with a fresh ticket, keeping the negotiated subprotocol. An open stream ends when its token
// or its user's access does, as a watch does. A pod on a simulated host has a few honest log lines
// and no commands. Open streams are bounded per user and per process. A bare SPDY upgrade (what
// kubectl before 1.30 speaks for exec, before 1.31 for port-forward) is refused with the reason.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type pg from "pg";
import type { Db } from "@/lib/db/pool";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { authorize } from "@/lib/auth/authorize";
import { ForbiddenError } from "@/lib/errors";
import { badRequest, KubeApiError, methodNotAllowed, statusBody, toKubeApiError } from "@/lib/kube/api-status";
import { currentActor, type Impersonation } from "@/lib/kube/impersonation";
import type { KubeActor } from "@/lib/kube/kube-access";
import { logError } from "@/lib/log/rate-limited-log";
import { openAgentLog, openAgentStream } from "@/lib/kube/pod-streams/agent-streams";
import { simulatedLog } from "@/lib/kube/pod-streams/simulated-logs";
import { readPodStreamTarget } from "@/lib/kube/pod-streams/pod-stream-target";
import {
  CHANNEL,
  channelMessage,
  failureStatus,
  logOptionsQuery,
  MAX_STREAM_MESSAGE_BYTES,
  parseLogOptions,
  AGENT_PORT_FORWARD_PROTOCOL,
  parseStreamOptions,
  PORT_FORWARD_PROTOCOL,
  REMOTE_COMMAND_PROTOCOLS,
  StreamParameterError,
  streamOptionsQuery,
  type PodStreamProtocol,
} from "@/lib/spherelet/pod-stream-protocol";
import { isWebSocketUpgrade } from "@/lib/web-console/console-route";

/** Streams (logs being read, exec and attach sessions) one user may hold open at once in this process. */
export const MAX_POD_STREAMS_PER_USER = 16;
/** Streams this process holds open at once, whoever opened them. */
export const MAX_POD_STREAMS = 256;
/**
 * How long a refused websocket's answer is kept for the SPDY request kubectl 1.30+ retries it with
 * (it falls back on any refused upgrade), so the retry shows the real reason rather than "needs
 * kubectl 1.30"; and how many such answers are kept at most.
 */
const FALLBACK_MEMORY_MS = 10_000;
const MAX_REMEMBERED_REFUSALS = 1000;
/** Above this much unsent to one side, reading from the other waits. */
const HIGH_WATER_BYTES = 1024 * 1024;
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)$/;
export const OLD_KUBECTL = "needs kubectl 1.30 or later, which speaks WebSocket (v5.channel.k8s.io); this client speaks only SPDY, which Skylight does not serve";
const OLD_KUBECTL_PORT_FORWARD = `needs kubectl 1.31 or later, which tunnels it through a WebSocket (${PORT_FORWARD_PROTOCOL}); this client speaks only bare SPDY, which Skylight does not serve`;

export type PodStreamSubresource = "log" | "exec" | "attach" | "portforward";
type Subresource = PodStreamSubresource;
interface PodStreamPath {
  namespace: string;
  name: string;
  subresource: Subresource;
}

export interface StreamCaller {
  actor: KubeActor;
  /** The bearer token, re-checked while the stream is open. */
  token: string;
  /** Set for a host agent's token: agents open no streams. */
  host: unknown;
  /** What an administrator's Impersonate-* headers asked to act as (lib/kube/impersonation.ts). */
  impersonation?: Impersonation | null;
}

/** The pod and subresource a request path names, or null when it is not a streaming subresource. */
export function parsePodStreamRequestPath(path: string): PodStreamPath | null {
  const match = PATH.exec(path);
  if (!match) return null;
  // Not decoded: a name kube allows has nothing to decode, and anything else (a stray `%`) is no pod's.
  return { namespace: match[1]!, name: match[2]!, subresource: match[3] as Subresource };
}

const verbOf = (subresource: Subresource) => (subresource === "log" ? "get" : "create");

/** kube-apiserver's Forbidden for a subresource: `pods "web" is forbidden: User "dev" cannot create resource "pods/exec" …`. */
export async function authorizeStream(caller: StreamCaller, path: PodStreamPath, db: Db) {
  const refuse = (why: string) =>
    new KubeApiError(
      403,
      "Forbidden",
      `pods "${path.name}" is forbidden: User "${caller.actor.username}" cannot ${verbOf(path.subresource)} resource "pods/${path.subresource}" in API group "" in the namespace "${path.namespace}": ${why}`,
      { name: path.name, group: "", kind: "pods" },
    );
  if (caller.host) throw refuse("host agents open no pod streams");
  try {
    if (path.subresource === "log") await authorize(caller.actor, "read", { kind: "Namespace", name: path.namespace }, db);
    else await authorize(caller.actor, "operate", { kind: "Pod", namespace: path.namespace, name: path.name }, db);
  } catch (error) {
    if (error instanceof ForbiddenError) throw refuse(error.message);
    throw error;
  }
}

function parameters<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof StreamParameterError) throw badRequest(error.message);
    throw error;
  }
}

const protocolsFor = (subresource: Subresource): readonly string[] => (subresource === "portforward" ? [PORT_FORWARD_PROTOCOL] : REMOTE_COMMAND_PROTOCOLS);
const tooOld = (subresource: Subresource) => badRequest(`${subresource} through Skylight ${subresource === "portforward" ? OLD_KUBECTL_PORT_FORWARD : OLD_KUBECTL}`);

/**
 * The subprotocol to speak with the agent: for exec and attach v5 when kubectl offered it, else v4;
 * port-forward's tunnel; anything else is a kubectl too old.
 */
function negotiate(request: IncomingMessage, subresource: Subresource): PodStreamProtocol {
  const offered = (request.headers["sec-websocket-protocol"] ?? "").split(",").map((protocol) => protocol.trim());
  const protocol = protocolsFor(subresource).find((candidate) => offered.includes(candidate));
  if (!protocol) throw tooOld(subresource);
  return protocol === PORT_FORWARD_PROTOCOL ? AGENT_PORT_FORWARD_PROTOCOL : (protocol as PodStreamProtocol);
}

const HTTP_TEXT: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

function refuseUpgrade(socket: Duplex, error: KubeApiError) {
  const body = JSON.stringify(statusBody(error));
  const retry = error.details?.retryAfterSeconds === undefined ? "" : `Retry-After: ${error.details.retryAfterSeconds}\r\n`;
  socket.end(`HTTP/1.1 ${error.code} ${HTTP_TEXT[error.code] ?? "Error"}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Cache-Control: no-cache, private\r\nConnection: close\r\n\r\n${body}`);
}

/** One side's messages to the other, unchanged, each side waiting while the other is behind. */
function relay(from: WebSocket, to: WebSocket) {
  from.on("message", (data: RawData, isBinary: boolean) => {
    if (to.readyState !== to.OPEN) return;
    to.send(data, { binary: isBinary }, () => {
      if (to.bufferedAmount < HIGH_WATER_BYTES) from.resume();
    });
    if (to.bufferedAmount >= HIGH_WATER_BYTES) from.pause();
  });
}

/** A close code one may send on: the reserved ones that only describe a broken connection become 1011 or 1000. */
const sendableCode = (code: number) => (code === 1005 ? 1000 : code === 1006 || code === 1015 ? 1011 : code);

export interface PodStreamRoute {
  /** GET pods/log: streams the log into the response and returns once it has ended. */
  serveLog(request: IncomingMessage, response: ServerResponse, caller: StreamCaller, path: PodStreamPath, query: URLSearchParams): Promise<void>;
  /** Every upgrade the API server sees: exec, attach and portforward, or a refusal. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, authenticate: (request: IncomingMessage) => Promise<StreamCaller>): Promise<void>;
  /** Re-checks now the open streams of `userIds` (null: everyone's): a notice that their access changed. */
  recheck(userIds: readonly string[] | null): void;
}

export function createPodStreamRoute(pool: pg.Pool, { recheckIntervalMs }: { recheckIntervalMs: number }): PodStreamRoute {
  const clients = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_STREAM_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (offered) => REMOTE_COMMAND_PROTOCOLS.find((protocol) => offered.has(protocol)) ?? false,
  });
  // kubectl's tunnel names its subprotocol with a `/`, which ws refuses to parse: the request's
  // header is taken away before ws sees it, and the answer names the protocol again.
  const tunnels = new WeakSet<IncomingMessage>();
  clients.on("headers", (headers, request) => {
    if (tunnels.has(request)) headers.push(`Sec-WebSocket-Protocol: ${PORT_FORWARD_PROTOCOL}`);
  });
  const refusedWebsockets = new Map<string, { error: KubeApiError; until: number }>();
  const remember = (key: string, error: KubeApiError) => {
    const now = Date.now();
    for (const [earlier, { until }] of refusedWebsockets) if (until <= now || refusedWebsockets.size >= MAX_REMEMBERED_REFUSALS) refusedWebsockets.delete(earlier);
    refusedWebsockets.set(key, { error, until: now + FALLBACK_MEMORY_MS });
  };
  const recall = (key: string) => {
    const remembered = refusedWebsockets.get(key);
    return remembered && remembered.until > Date.now() ? remembered.error : null;
  };
  /** The re-check of each open stream, with its user's id. */
  const rechecks = new Map<() => void, string>();
  /**
   * While a stream is open its token and its user's access are checked again every
   * recheckIntervalMs and on every access change, as open watches are: when either has gone, the
   * stream ends with the reason. Returns what stops the checks.
   */
  function keepChecking(caller: StreamCaller, path: PodStreamPath, end: (why: string) => void): () => void {
    const recheck = async () => {
      const actor = await currentActor(pool, caller);
      if (actor instanceof KubeApiError) return end(actor.code === 401 ? "Unauthorized: the token no longer works" : actor.message);
      try {
        await authorizeStream({ ...caller, actor }, path, pool);
      } catch (error) {
        if (error instanceof KubeApiError) return end(error.message);
        throw error;
      }
    };
    const run = () => void recheck().catch((error: unknown) => logError("[kube] re-checking a pod stream failed", error));
    const timer = setInterval(run, recheckIntervalMs);
    rechecks.set(run, caller.actor.id);
    return () => {
      clearInterval(timer);
      rechecks.delete(run);
    };
  }
  const openPerUser = new Map<string, number>();
  let openTotal = 0;

  /** Takes one of the user's places among open streams, or refuses as kube's priority and fairness does. */
  function acquire(userId: string): () => void {
    const held = openPerUser.get(userId) ?? 0;
    if (held >= MAX_POD_STREAMS_PER_USER) throw new KubeApiError(429, "TooManyRequests", `You have ${MAX_POD_STREAMS_PER_USER} pod streams (logs, exec, attach, port-forward) open already; close one first.`, { retryAfterSeconds: 1 });
    if (openTotal >= MAX_POD_STREAMS) throw new KubeApiError(429, "TooManyRequests", `This Skylight process has ${MAX_POD_STREAMS} pod streams open already.`, { retryAfterSeconds: 1 });
    openPerUser.set(userId, held + 1);
    openTotal++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      openTotal--;
      const left = (openPerUser.get(userId) ?? 1) - 1;
      if (left > 0) openPerUser.set(userId, left);
      else openPerUser.delete(userId);
    };
  }

  return {
    async serveLog(request, response, caller, path, query) {
      await authorizeStream(caller, path, pool);
      if (request.method !== "GET") throw methodNotAllowed("pods/log is read with GET");
      const options = parameters(() => parseLogOptions(query));
      const target = await readPodStreamTarget(pool, path, query.get("container"));
      if (target.host.simulated) {
        const body = simulatedLog(target, options);
        response.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache, private" }).end(body);
        return;
      }
      const release = acquire(caller.actor.id);
      try {
        const agent = await openAgentLog({ ...target, host: target.host }, logOptionsQuery(options));
        response.writeHead(200, { "Content-Type": "text/plain", "Cache-Control": "no-cache, private" });
        response.flushHeaders();
        // Cut off, not ended: kubectl reports a stream that stopped early, rather than a log that did.
        const stop = keepChecking(caller, path, () => response.destroy());
        response.on("close", () => {
          stop();
          agent.destroy();
        });
        agent.on("error", () => response.destroy());
        agent.pipe(response);
        await new Promise<void>((resolve) => response.once("close", resolve));
      } finally {
        release();
      }
    },

    recheck(userIds) {
      for (const [run, userId] of rechecks) if (userIds === null || userIds.includes(userId)) run();
    },

    async upgrade(request, socket, head, authenticate) {
      socket.on("error", () => undefined);
      let release: (() => void) | null = null;
      /** Set once the caller is authorized, for a websocket: its refusal is remembered for kubectl's SPDY retry. */
      let fallbackKey: string | null = null;
      try {
        const url = new URL(request.url ?? "/", "https://skylight");
        const path = parsePodStreamRequestPath(url.pathname);
        if (!path) throw new KubeApiError(404, "NotFound", "the server could not find the requested resource");
        const caller = await authenticate(request);
        await authorizeStream(caller, path, pool);
        if (path.subresource === "log") throw badRequest("pods/log is read with a plain GET, not an upgrade");
        const websocket = isWebSocketUpgrade(request);
        const spdy = !websocket && /^spdy\//i.test(request.headers.upgrade ?? "");
        if (!websocket && !spdy) throw badRequest(`pods/${path.subresource} needs a WebSocket upgrade`);
        const key = `${caller.actor.id} ${request.url}`;
        if (websocket) fallbackKey = key;
        const earlier = spdy ? recall(key) : null;
        if (earlier) throw earlier;
        const protocol = websocket ? negotiate(request, path.subresource) : null;
        const options = path.subresource === "portforward" ? null : parameters(() => parseStreamOptions(url.searchParams, path.subresource as "exec" | "attach"));
        const target = await readPodStreamTarget(pool, path, url.searchParams.get("container"), { anyContainer: path.subresource === "portforward" });
        if (target.host.simulated) throw badRequest(`pod ${path.name} runs on simulated host ${target.host.name}: ${path.subresource} needs a pod on a real host`);
        if (!protocol) throw tooOld(path.subresource);
        release = acquire(caller.actor.id);
        const agent = await openAgentStream({ ...target, host: target.host }, path.subresource, options ? streamOptionsQuery(options) : new URLSearchParams(), protocol);
        const done = release;
        if (protocol === AGENT_PORT_FORWARD_PROTOCOL) {
          delete request.headers["sec-websocket-protocol"];
          tunnels.add(request);
        }
        clients.handleUpgrade(request, socket, head, (client) => {
          client.on("error", () => undefined);
          relay(agent, client);
          relay(client, agent);
          agent.on("close", (code, reason) => client.close(sendableCode(code), reason));
          const stop = keepChecking(caller, path, (why) => {
            agent.close(1000);
            // A tunnel carries SPDY: there is no channel to say why on, only the close.
            if (protocol === AGENT_PORT_FORWARD_PROTOCOL) client.close(1000);
            else client.send(channelMessage(CHANNEL.error, failureStatus(why)), () => client.close(1000));
          });
          client.on("close", (code, reason) => {
            stop();
            done();
            agent.close(sendableCode(code), reason);
          });
          agent.resume();
        });
      } catch (error) {
        release?.();
        const refusal = toKubeApiError(error, { group: "", plural: "pods", kind: "Pod", name: "" });
        if (fallbackKey) remember(fallbackKey, refusal);
        refuseUpgrade(socket, refusal);
      }
    },
  };
}
