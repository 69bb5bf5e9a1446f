// Skylight's side of a host agent's console endpoint: a TLS connection that is given the ticket
// only after the agent's certificate proved to be the one its Node names (its SHA-256, pinned; the
// certificate signs itself, so no CA vouches for it), then the websocket of the VM's screen.
import { createHash } from "node:crypto";
import { once } from "node:events";
import { isIP } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import WebSocket, { type RawData } from "ws";
import { CONSOLE_PATH_PREFIX, MAX_CONSOLE_MESSAGE_BYTES } from "@/lib/spherelet/console-protocol";
import type { ConsoleEndpoint } from "@/lib/web-console/console-target";

const CONNECT_TIMEOUT_MS = 10_000;

/** The agent could not be reached, was not the one pinned, or refused; the message says which, for the user. */
export class AgentConsoleError extends Error {}

/** A TLS connection to the agent, once its certificate proved to be the pinned one: nothing is sent before. */
export async function pinnedConnection(endpoint: ConsoleEndpoint, signal: AbortSignal): Promise<TLSSocket> {
  const socket = connect({ host: endpoint.address, port: endpoint.port, servername: isIP(endpoint.address) ? undefined : endpoint.address, rejectUnauthorized: false, minVersion: "TLSv1.2" });
  try {
    await once(socket, "secureConnect", { signal });
  } catch (error) {
    socket.destroy();
    throw new AgentConsoleError(`The host's agent at ${endpoint.address}:${endpoint.port} could not be reached: ${(error as Error).message}`);
  }
  const presented = `sha256:${createHash("sha256").update(socket.getPeerCertificate().raw).digest("hex")}`;
  if (presented !== endpoint.certificateHash) {
    socket.destroy();
    throw new AgentConsoleError(`The server at ${endpoint.address}:${endpoint.port} is not the host's agent: its certificate is not the one the host's Node names.`);
  }
  return socket;
}

export interface AgentConsole {
  socket: WebSocket;
  /** Hands over what the agent sent since the socket opened (the screen's first bytes come at once), then each message as it comes. */
  onMessage(handler: (data: Buffer) => void): void;
}

const asBuffer = (data: RawData) => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** An open websocket to the machine's screen on its host's agent. */
export async function openAgentConsole(endpoint: ConsoleEndpoint, machineId: string, ticket: string): Promise<AgentConsole> {
  const signal = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
  const socket = await pinnedConnection(endpoint, signal);
  const ws = new WebSocket(`wss://${endpoint.address.includes(":") ? `[${endpoint.address}]` : endpoint.address}:${endpoint.port}${CONSOLE_PATH_PREFIX}${machineId}`, {
    headers: { authorization: `Bearer ${ticket}` },
    maxPayload: MAX_CONSOLE_MESSAGE_BYTES,
    perMessageDeflate: false,
    // The connection whose certificate was checked above carries the request.
    createConnection: () => socket,
  });
  ws.on("error", () => undefined);
  const early: Buffer[] = [];
  let deliver: ((data: Buffer) => void) | null = null;
  ws.on("message", (data) => (deliver ? deliver(asBuffer(data)) : early.push(asBuffer(data))));
  const refused = new Promise<never>((_, reject) => {
    ws.once("unexpected-response", (_request, response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body = (body + chunk).slice(0, 500)));
      response.on("end", () => reject(new AgentConsoleError(`The host's agent refused the console (${response.statusCode}): ${body.trim()}`)));
      response.on("error", () => reject(new AgentConsoleError(`The host's agent refused the console (${response.statusCode}).`)));
    });
    ws.once("error", (error) => reject(new AgentConsoleError(`The host's agent did not open the console: ${error.message}`)));
    signal.addEventListener("abort", () => reject(new AgentConsoleError(`The host's agent did not open the console within ${CONNECT_TIMEOUT_MS / 1000} s.`)));
  });
  try {
    await Promise.race([once(ws, "open"), refused]);
  } catch (error) {
    ws.terminate();
    throw error;
  }
  return {
    socket: ws,
    onMessage(handler) {
      deliver = handler;
      for (const data of early.splice(0)) handler(data);
    },
  };
}
