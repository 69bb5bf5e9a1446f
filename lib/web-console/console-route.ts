// The web console's websocket, GET /api/console/<namespace>/<vm> with Upgrade: websocket, served
// by the console server before Next.js sees the upgrade (scripts/console-server.ts). In order: the
// Origin must be the console's own (a browser sends cookies with any site's websocket); the
// session's user must be allowed to read the VM (its namespace's view role watches, edit and
// owner type; administrators and operators type); the user may hold only so many consoles; then
// the VM's host is looked up afresh, Skylight signs a ticket for that host and machine, connects
// to the host's agent (its certificate pinned) and pipes the two sockets together. A view-only
// console passes through ViewOnlyRfbFilter. The socket ends with the session (checked every few
// seconds and on every access change) and when the user's rights over the VM change. Openings,
// refusals and closings are events on the VM (its audit log).
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type pg from "pg";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { isAuthorized, type UserActor } from "@/lib/auth/authorize";
import { guardSession } from "@/lib/auth/session-guard";
import { readSessionUser, type SessionUser } from "@/lib/auth/session-user";
import { getPool } from "@/lib/db/pool";
import { recordEvent } from "@/lib/engine/activity";
import { logError } from "@/lib/log/rate-limited-log";
import { signTicket } from "@/lib/spherelet/console-protocol";
import { AgentConsoleError, openAgentConsole, type AgentConsole } from "@/lib/web-console/agent-console";
import { readConsoleTarget } from "@/lib/web-console/console-target";
import { RefusedConsoleInput, ViewOnlyRfbFilter } from "@/lib/web-console/view-only-rfb";
import { CONSOLE_CLOSE, WEB_CONSOLE_SOCKET_PREFIX } from "@/lib/vocabulary/web-console";

/** Consoles one user may have open at once in this process: a few tabs, not a flood of sockets. */
export const MAX_CONSOLES_PER_USER = 8;
/** The largest message a browser may send (a key, a pointer move, a pasted clipboard): larger closes the console (1009). */
export const MAX_BROWSER_MESSAGE_BYTES = 64 * 1024;
/** Above this much unsent to one side, reading from the other waits. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** A user's refusals for one VM are audited at most this often: refused retries must not flood the log. */
const REFUSAL_AUDIT_INTERVAL_MS = 60_000;
const NAME = /^[a-z0-9][-a-z0-9.]{0,252}$/;

export interface WebConsoleRouteOptions {
  /** SKYLIGHT_URL: the only origin a console may be opened from. */
  publicUrl: string;
  db?: pg.Pool;
  /** How often an open console re-checks its session; default lib/auth/session-guard's. */
  sessionCheckMs?: number;
}

export interface WebConsoleRoute {
  /** Whether this route serves the upgrade's path (the console server hands every other upgrade to Next.js). */
  handles(request: IncomingMessage): boolean;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Consoles open in this process, by user id. */
  openConsoles(userId: string): number;
}

interface OpenConsole {
  browser: WebSocket;
  agent: AgentConsole;
  user: SessionUser;
  headers: Headers;
  vm: { namespace: string; name: string; uid: string };
  host: string;
  canType: boolean;
  /** Frees the user's place among their open consoles. */
  release: () => void;
}

const STATUS_TEXT = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 409: "Conflict", 429: "Too Many Requests" } as const;

function refuse(socket: Duplex, status: keyof typeof STATUS_TEXT, message: string) {
  const body = JSON.stringify({ error: { message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`);
}

/** What ws itself requires of an upgrade, checked first so that ws never refuses one after Skylight did its work for it. */
export function isWebSocketUpgrade(request: IncomingMessage): boolean {
  return (
    request.method === "GET" &&
    request.headers.upgrade?.toLowerCase() === "websocket" &&
    /^[+/0-9A-Za-z]{22}==$/.test(request.headers["sec-websocket-key"] ?? "") &&
    ["8", "13"].includes(request.headers["sec-websocket-version"] ?? "")
  );
}

function requestHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
  }
  return headers;
}

function consoleKey(request: IncomingMessage): { namespace: string; name: string } | null {
  const path = new URL(request.url ?? "/", "http://console").pathname;
  const segments = path.slice(WEB_CONSOLE_SOCKET_PREFIX.length).split("/");
  if (segments.length !== 2) return null;
  const [namespace, name] = segments as [string, string];
  return NAME.test(namespace) && NAME.test(name) ? { namespace, name } : null;
}

/**
 * The page opening the socket is one of this console's: its Origin is SKYLIGHT_URL's, or names the
 * host the request came to (the console opened by its IP address or another name). Another site's
 * page cannot be either, and a browser sends the session cookie with any site's websocket.
 */
function openedFromThisConsole(request: IncomingMessage, allowedOrigin: string): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  if (origin === allowedOrigin) return true;
  try {
    return request.headers.host !== undefined && new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/** A close reason as the protocol allows it: at most 123 bytes. */
const closeReason = (text: string) => (Buffer.byteLength(text) <= 123 ? text : `${Buffer.from(text).subarray(0, 120).toString("utf8").replace(/\uFFFD$/, "")}…`);

const duration = (ms: number) => (ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

export function createWebConsoleRoute(options: WebConsoleRouteOptions): WebConsoleRoute {
  const db = () => options.db ?? getPool();
  const allowedOrigin = new URL(options.publicUrl).origin;
  const browsers = new WebSocketServer({ noServer: true, maxPayload: MAX_BROWSER_MESSAGE_BYTES, perMessageDeflate: false });
  const open = new Map<string, number>();
  const refusalsAudited = new Map<string, number>();

  const countOpen = (userId: string, change: 1 | -1) => {
    const count = (open.get(userId) ?? 0) + change;
    if (count > 0) open.set(userId, count);
    else open.delete(userId);
  };

  const audit = (event: Parameters<typeof recordEvent>[1]) => recordEvent(db(), event).catch((error: unknown) => logError("[skylight] web console: recording an event failed", error));

  async function auditRefusal(user: SessionUser, vm: { namespace: string; name: string }, reason: string) {
    const key = `${user.id}\n${vm.namespace}/${vm.name}`;
    const now = Date.now();
    if (now - (refusalsAudited.get(key) ?? 0) < REFUSAL_AUDIT_INTERVAL_MS) return;
    for (const [seen, at] of refusalsAudited) if (now - at >= REFUSAL_AUDIT_INTERVAL_MS) refusalsAudited.delete(seen);
    refusalsAudited.set(key, now);
    // Looked up only after the answer went out: whether the VM exists never shapes the refusal.
    const { rows } = await db().query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = $2`, [vm.namespace, vm.name]);
    await audit({
      reason: "VirtualMachine.consoleRefused",
      message: `Web console of ${vm.namespace}/${vm.name} refused to ${user.username}: ${reason}`,
      object: { kind: "VirtualMachine", ...vm, uid: rows[0]?.uid ?? null },
      severity: "warning",
      actor: user.username,
    });
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const vm = consoleKey(request);
    if (!vm) return refuse(socket, 404, "Not found.");
    if (!isWebSocketUpgrade(request)) return refuse(socket, 400, "Not a websocket upgrade.");
    if (!openedFromThisConsole(request, allowedOrigin)) return refuse(socket, 403, `A web console opens only from this console's own pages (${allowedOrigin}, SKYLIGHT_URL, or the address the request came to).`);
    const headers = requestHeaders(request);
    const user = await readSessionUser(headers);
    if (!user) return refuse(socket, 401, "Sign in to open a web console.");
    const ref = { kind: "VirtualMachine", ...vm };
    if (!(await isAuthorized(user, "read", ref))) {
      const reason = `You have no access to namespace ${vm.namespace}.`;
      refuse(socket, 403, reason);
      return auditRefusal(user, vm, reason);
    }
    const canType = await isAuthorized(user, "operate", ref);
    if ((open.get(user.id) ?? 0) >= MAX_CONSOLES_PER_USER) return refuse(socket, 429, `You have ${MAX_CONSOLES_PER_USER} web consoles open already; close one first.`);

    const target = await readConsoleTarget(db(), vm);
    if (!target) return refuse(socket, 404, `There is no VM ${vm.name} in namespace ${vm.namespace}.`);
    if (target.kind === "simulated") return refuse(socket, 409, `${vm.name} runs on a simulated host, which has no screen to show.`);

    countOpen(user.id, 1);
    let released = false;
    const release = () => {
      if (!released) countOpen(user.id, -1);
      released = true;
    };
    let agent: AgentConsole | null = null;
    let handedOver = false;
    // A browser that leaves before its socket is handed over (ws then never calls back) frees its place.
    socket.once("close", () => {
      if (handedOver) return;
      release();
      agent?.socket.terminate();
    });
    const closeAt = (code: number, reason: string) =>
      browsers.handleUpgrade(request, socket, head, (browser) => {
        handedOver = true;
        release();
        browser.close(code, closeReason(reason));
      });

    const machine = target.machine;
    if (!machine) return closeAt(CONSOLE_CLOSE.notRunning, `${vm.name} is not placed on a host yet.`);
    if (machine.powerState !== "PoweredOn") return closeAt(CONSOLE_CLOSE.notRunning, `${vm.name} is ${machine.powerState === "Suspended" ? "suspended" : "powered off"}.`);
    if (!machine.endpoint || !machine.tokenHash) return closeAt(CONSOLE_CLOSE.hostUnavailable, `The agent of host ${machine.host} has not published its console endpoint.`);

    try {
      agent = await openAgentConsole(machine.endpoint, machine.id, signTicket(machine.tokenHash, { host: machine.host, target: machine.id, purpose: "console" }));
    } catch (error) {
      if (!(error instanceof AgentConsoleError)) throw error;
      return closeAt(CONSOLE_CLOSE.hostUnavailable, error.message);
    }
    const connected = agent;
    browsers.handleUpgrade(request, socket, head, (browser) => {
      handedOver = true;
      serve({ browser, agent: connected, user, headers, vm: { ...vm, uid: target.uid }, host: machine.host, canType, release });
    });
  }

  /** An open console: piped, audited, and ended with the session or the user's rights. */
  function serve({ browser, agent, user, headers, vm, host, canType, release }: OpenConsole) {
    const openedAt = Date.now();
    const object = { kind: "VirtualMachine" as const, ...vm };
    const ref = { kind: "VirtualMachine", namespace: vm.namespace, name: vm.name };
    void audit({ reason: "VirtualMachine.consoleOpened", message: `${user.username} opened the web console of ${vm.name} on host ${host}${canType ? "" : " (view only)"}`, object, actor: user.username });
    let ended = false;
    let stopGuard = () => {};
    const end = (code: number, reason: string) => {
      if (ended) return;
      ended = true;
      stopGuard();
      release();
      agent.socket.close();
      browser.close(code, closeReason(reason));
      void audit({ reason: "VirtualMachine.consoleClosed", message: `${user.username} closed the web console of ${vm.name} after ${duration(Date.now() - openedAt)}`, object, actor: user.username });
    };
    stopGuard = guardSession({
      headers,
      user,
      intervalMs: options.sessionCheckMs,
      onStillValid: async () => {
        if (!(await stillAllowed(user, ref, canType))) end(CONSOLE_CLOSE.accessChanged, "Your rights over this VM changed.");
      },
      onEnd: (reason) => end(reason === "signed-out" ? CONSOLE_CLOSE.sessionEnded : CONSOLE_CLOSE.accessChanged, reason === "signed-out" ? "Your session ended: sign in again." : "Your role changed."),
    });
    pipeConsoles(browser, agent, canType ? null : new ViewOnlyRfbFilter(), end);
  }

  return {
    handles: (request) => new URL(request.url ?? "/", "http://console").pathname.startsWith(WEB_CONSOLE_SOCKET_PREFIX),
    upgrade(request, socket, head) {
      socket.on("error", () => undefined);
      upgrade(request, socket, head).catch((error: unknown) => {
        logError("[skylight] web console failed", error, { stack: true });
        socket.destroy();
      });
    },
    openConsoles: (userId) => open.get(userId) ?? 0,
  };
}

/** Whether the user still may do what the console was opened for: read, and type if it types. */
async function stillAllowed(user: UserActor, ref: { kind: string; namespace: string; name: string }, canType: boolean): Promise<boolean> {
  if (!(await isAuthorized(user, "read", ref))) return false;
  return (await isAuthorized(user, "operate", ref)) === canType;
}

const asBuffer = (data: RawData) => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** Browser and agent, both ways; a view-only console's input through its filter. `end` is called once either side closes. */
function pipeConsoles(browser: WebSocket, { socket: agent, onMessage }: AgentConsole, filter: ViewOnlyRfbFilter | null, end: (code: number, reason: string) => void) {
  const forward = (from: WebSocket, to: WebSocket, data: Buffer) => {
    if (data.length === 0 || to.readyState !== to.OPEN) return;
    to.send(data, () => {
      if (to.bufferedAmount < HIGH_WATER_BYTES) from.resume();
    });
    if (to.bufferedAmount >= HIGH_WATER_BYTES) from.pause();
  };
  browser.on("message", (data) => {
    let passed: Buffer;
    try {
      passed = filter ? filter.push(asBuffer(data)) : asBuffer(data);
    } catch (error) {
      return end(CONSOLE_CLOSE.inputRefused, `This console is view only: ${error instanceof RefusedConsoleInput ? error.message : "its input could not be read"}.`);
    }
    forward(browser, agent, passed);
  });
  onMessage((data) => forward(agent, browser, data));
  browser.on("error", () => undefined);
  agent.on("error", () => undefined);
  browser.on("close", (code) => end(code === 1009 ? 1009 : 1000, code === 1009 ? "A message was larger than a console accepts." : "Closed."));
  agent.on("close", (code, reason) => end(code >= 4000 && code <= 4999 ? code : CONSOLE_CLOSE.hostUnavailable, reason.toString() || "The host's agent closed the console."));
}
