// Skylight's side of a host agent's pod endpoints (lib/spherelet/pod-stream-protocol.ts): over a TLS
// connection whose certificate proved to be the one the host's Node names (pinnedConnection), with
// a fresh ticket for that pod's container and purpose, a log request or a websocket (exec, attach,
// port-forward).
import { request as httpRequest, type IncomingMessage } from "node:http";
import { once } from "node:events";
import WebSocket from "ws";
import { KubeApiError } from "@/lib/kube/api-status";
import { signTicket } from "@/lib/spherelet/console-protocol";
import { MAX_STREAM_MESSAGE_BYTES, podStreamPath, TICKET_PURPOSE, ticketTarget, type PodStream, type PodStreamProtocol } from "@/lib/spherelet/pod-stream-protocol";
import { AgentConsoleError, pinnedConnection } from "@/lib/web-console/agent-console";
import type { PodStreamTarget } from "@/lib/kube/pod-streams/pod-stream-target";

const CONNECT_TIMEOUT_MS = 10_000;
const REASONS: Record<number, string> = { 400: "BadRequest", 404: "NotFound", 429: "TooManyRequests" };

export type RealTarget = PodStreamTarget & { host: { simulated: false } };

/** The agent's refusal as the Status kubectl shows: its own status when it is the client's fault, else 502. */
async function refusalFrom(response: IncomingMessage, host: string): Promise<KubeApiError> {
  let body = "";
  response.setEncoding("utf8");
  for await (const chunk of response) if (body.length < 1000) body += chunk as string;
  const status = response.statusCode ?? 502;
  const message = body.trim().slice(0, 1000);
  return REASONS[status] ? new KubeApiError(status, REASONS[status], message) : new KubeApiError(502, "BadGateway", `the agent of host ${host} answered ${status}: ${message}`);
}

async function connect(target: RealTarget, signal: AbortSignal) {
  try {
    return await pinnedConnection(target.host.endpoint, signal);
  } catch (error) {
    if (error instanceof AgentConsoleError) throw new KubeApiError(502, "BadGateway", error.message);
    throw error;
  }
}

const ticketHeader = (target: RealTarget, stream: PodStream) =>
  `Bearer ${signTicket(target.host.tokenHash, { host: target.host.name, target: ticketTarget(target.uid, target.container.name), purpose: TICKET_PURPOSE[stream] })}`;

/** The container's log as the agent streams it; destroy the response to stop following. */
export async function openAgentLog(target: RealTarget, query: URLSearchParams): Promise<IncomingMessage> {
  const signal = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
  const socket = await connect(target, signal);
  const request = httpRequest({
    method: "GET",
    path: `${podStreamPath(target.uid, target.container.name, "log")}?${query}`,
    headers: { authorization: ticketHeader(target, "log"), host: `${target.host.endpoint.address}:${target.host.endpoint.port}` },
    // The connection whose certificate was checked carries the request.
    createConnection: () => socket,
  });
  request.end();
  const [response] = (await once(request, "response", { signal }).catch((error: Error) => {
    socket.destroy();
    throw new KubeApiError(502, "BadGateway", `the agent of host ${target.host.name} did not answer: ${error.message}`);
  })) as [IncomingMessage];
  if (response.statusCode !== 200) throw await refusalFrom(response, target.host.name);
  return response;
}

/** An open websocket to the container (for port-forward, its pod) on its host, speaking `protocol`; paused, so nothing it says is missed: resume it once it has listeners. */
export async function openAgentStream(target: RealTarget, stream: "exec" | "attach" | "portforward", query: URLSearchParams, protocol: PodStreamProtocol): Promise<WebSocket> {
  const signal = AbortSignal.timeout(CONNECT_TIMEOUT_MS);
  const socket = await connect(target, signal);
  const { address, port } = target.host.endpoint;
  const ws = new WebSocket(`wss://${address.includes(":") ? `[${address}]` : address}:${port}${podStreamPath(target.uid, target.container.name, stream)}?${query}`, [protocol], {
    headers: { authorization: ticketHeader(target, stream) },
    maxPayload: MAX_STREAM_MESSAGE_BYTES,
    perMessageDeflate: false,
    createConnection: () => socket,
  });
  ws.on("error", () => undefined);
  ws.once("open", () => ws.pause());
  const refused = new Promise<never>((_, reject) => {
    ws.once("unexpected-response", (_request, response) => void refusalFrom(response, target.host.name).then(reject, reject));
    ws.once("error", (error) => reject(new KubeApiError(502, "BadGateway", `the agent of host ${target.host.name} did not open the stream: ${error.message}`)));
    signal.addEventListener("abort", () => reject(new KubeApiError(504, "Timeout", `the agent of host ${target.host.name} did not open the stream within ${CONNECT_TIMEOUT_MS / 1000} s`)));
  });
  try {
    await Promise.race([once(ws, "open"), refused]);
  } catch (error) {
    ws.terminate();
    throw error;
  }
  return ws;
}
