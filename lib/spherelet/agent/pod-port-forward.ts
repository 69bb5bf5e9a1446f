// Port-forward into a pod, as the kubelet serves it: kubectl's tunnel (a websocket whose binary
// messages carry SPDY/3.1, subprotocol SPDY/3.1+portforward.k8s.io) opens, per forwarded
// connection, an `error` stream and a `data` stream with the same `requestid` and a `port`. The
// data stream is connected to that port at the pod's address (the host reaches its pods'
// addresses); a connection that fails is reported on the error stream in the kubelet's words,
// which kubectl prints. Both streams end when either side's connection does.
import { connect, type Socket } from "node:net";
import { createWebSocketStream, type WebSocket } from "ws";
import { RST, serveSpdy } from "@/lib/spherelet/agent/spdy-session";

/** Streams (two per forwarded connection) one tunnel may hold open at once. */
export const MAX_TUNNEL_STREAMS = 64;
/** A connection to the pod that has not been accepted by then is reported as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

interface Forward {
  port: string;
  error?: number;
  data?: number;
  socket?: Socket;
}

/** Go's words for a dial that failed, as the kubelet's message carries them. */
function dialError(address: string, port: number, error: NodeJS.ErrnoException): string {
  const why = error.code === "ECONNREFUSED" ? "connect: connection refused" : error.code === "EHOSTUNREACH" ? "connect: no route to host" : error.message;
  return `dial tcp ${address}:${port}: ${why}`;
}

/**
 * Serves kubectl's port-forward tunnel for the pod `podUid`; `podAddress` says where the pod is
 * reached now (null: it has no address on this host, it is not running).
 */
export function servePortForward(ws: WebSocket, podUid: string, podAddress: () => string | null, log: (message: string) => void) {
  const forwards = new Map<string, Forward>();
  const streams = new Map<number, string>();
  const session = serveSpdy(createWebSocketStream(ws), {
    async stream(id, headers) {
      const type = headers.get("streamtype");
      const requestId = headers.get("requestid");
      if ((type !== "error" && type !== "data") || !requestId || streams.size >= MAX_TUNNEL_STREAMS) {
        return void session.reset(id, streams.size >= MAX_TUNNEL_STREAMS ? RST.refusedStream : RST.protocolError);
      }
      const forward = forwards.get(requestId) ?? { port: headers.get("port") ?? "" };
      if (forward[type] !== undefined) return void session.reset(id, RST.protocolError);
      forward[type] = id;
      forwards.set(requestId, forward);
      streams.set(id, requestId);
      await session.reply(id);
      if (forward.error !== undefined && forward.data !== undefined) open(requestId, forward);
    },
    async data(id, chunk, fin) {
      const forward = forwards.get(streams.get(id) ?? "");
      if (!forward || id !== forward.data) return;
      const socket = forward.socket;
      if (!socket || socket.destroyed) return;
      if (chunk.length > 0 && !socket.write(chunk)) await new Promise((resolve) => socket.once("drain", resolve).once("close", resolve));
      if (fin) socket.end();
    },
    reset(id) {
      forwards.get(streams.get(id) ?? "")?.socket?.destroy();
    },
  });

  const finish = (requestId: string, forward: Forward, failure: string | null) => {
    if (!forwards.has(requestId)) return;
    forwards.delete(requestId);
    for (const id of [forward.error!, forward.data!]) streams.delete(id);
    if (failure) void session.send(forward.error!, Buffer.from(failure));
    void session.send(forward.data!, Buffer.alloc(0), true);
    void session.send(forward.error!, Buffer.alloc(0), true);
  };

  function open(requestId: string, forward: Forward) {
    const port = Number(forward.port);
    const refuse = (why: string) => finish(requestId, forward, `error forwarding port ${forward.port} to pod ${podUid}: ${why}`);
    if (!/^\d{1,5}$/.test(forward.port) || port < 1 || port > 65535) return refuse(`invalid port "${forward.port}": must be a whole number from 1 to 65535`);
    const address = podAddress();
    if (!address) return refuse("the pod has no address on this host: it is not running");
    const socket = connect({ host: address, port, timeout: CONNECT_TIMEOUT_MS });
    forward.socket = socket;
    let connected = false;
    socket.once("connect", () => {
      connected = true;
      socket.setTimeout(0);
    });
    socket.once("timeout", () => socket.destroy(Object.assign(new Error("i/o timeout"), { code: "ETIMEDOUT" })));
    socket.on("data", (chunk: Buffer) => {
      socket.pause();
      void session.send(forward.data!, chunk).then(() => socket.resume());
    });
    socket.once("error", (error: NodeJS.ErrnoException) => refuse(connected ? error.message : dialError(address, port, error)));
    socket.once("close", () => finish(requestId, forward, null));
  }

  void session.done.then((reason) => {
    for (const forward of forwards.values()) forward.socket?.destroy();
    if (reason) log(`port-forward to ${podUid} ended: ${reason}`);
    ws.close(1000);
  });
}
