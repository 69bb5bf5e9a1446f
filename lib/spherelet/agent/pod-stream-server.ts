// The agent's kubelet endpoints for pods (lib/spherelet/pod-stream-protocol.ts): a container's logs
// over HTTPS, exec, attach and port-forward over websockets. kubelet-server.ts has checked the ticket for the
// pod, container and purpose before any of this runs; here the pod must have files on this host,
// the query must be one kube-apiserver accepts, and open streams are bounded.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { attachToContainer, execInContainer, type ContainerRef } from "@/lib/spherelet/agent/container-exec";
import { containerLogDir, NoLogError, podFilesExist, readContainerLog, renderLine } from "@/lib/spherelet/agent/container-logs";
import { podDir } from "@/lib/spherelet/agent/pod-files";
import { servePortForward } from "@/lib/spherelet/agent/pod-port-forward";
import {
  AGENT_PORT_FORWARD_PROTOCOL,
  MAX_STREAM_MESSAGE_BYTES,
  parseLogOptions,
  parseStreamOptions,
  REMOTE_COMMAND_PROTOCOLS,
  StreamParameterError,
} from "@/lib/spherelet/pod-stream-protocol";

/** How much of a log is gathered before it is written out. */
const BATCH_BYTES = 64 * 1024;
/** Log streams, execs and attaches open at once on this host. */
const MAX_OPEN_STREAMS = 64;

type Refuse = (status: 400 | 404 | 429, message: string) => void;

export interface PodStreamServer {
  log(request: IncomingMessage, response: ServerResponse, ref: ContainerRef): Promise<void>;
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, ref: ContainerRef, stream: "exec" | "attach" | "portforward", refuse: Refuse): Promise<void>;
  close(): void;
}

/** `podAddress`: where the host reaches the pod now, for port-forward; null for a pod with none. */
export function createPodStreamServer(log: (message: string) => void, podAddress: (podUid: string) => string | null): PodStreamServer {
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_STREAM_MESSAGE_BYTES,
    perMessageDeflate: false,
    handleProtocols: (offered) => [...REMOTE_COMMAND_PROTOCOLS, AGENT_PORT_FORWARD_PROTOCOL].find((protocol) => offered.has(protocol)) ?? false,
  });
  let openLogs = 0;
  const busy = () => openLogs + sockets.clients.size >= MAX_OPEN_STREAMS;

  return {
    async log(request, response, ref) {
      const text = (status: number, message: string) => void response.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${message}\n`);
      let options;
      try {
        options = parseLogOptions(new URL(request.url ?? "/", "https://agent").searchParams);
      } catch (error) {
        if (error instanceof StreamParameterError) return text(400, error.message);
        throw error;
      }
      const pod = podDir(ref.runDir, ref.podUid);
      if (!(await podFilesExist(pod))) return text(404, `Pod ${ref.podUid} is not on this host.`);
      if (busy()) return text(429, `This host has ${MAX_OPEN_STREAMS} pod streams open already.`);
      openLogs++;
      const abort = new AbortController();
      response.on("close", () => abort.abort());
      let left = options.limitBytes ?? Infinity;
      const begin = () => response.headersSent || response.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" }).flushHeaders();
      // Lines go out together, a write per BATCH_BYTES or whenever the reader has caught up with the file.
      let batch: Buffer[] = [];
      let batchBytes = 0;
      const flush = (): Promise<void> | void => {
        begin();
        if (batchBytes === 0) return;
        const data = Buffer.concat(batch);
        batch = [];
        batchBytes = 0;
        if (!response.write(data)) return new Promise<void>((resolve) => response.once("drain", resolve).once("close", resolve));
      };
      try {
        await readContainerLog({
          logDir: containerLogDir(ref.runDir, ref.podUid, ref.container),
          options,
          signal: abort.signal,
          // A follower's answer starts when the place it reads from is fixed, so the client knows what comes next is live.
          started: () => options.follow && begin(),
          emit(line) {
            let bytes = renderLine(line, options.timestamps);
            if (bytes.length >= left) {
              bytes = bytes.subarray(0, left);
              abort.abort();
            }
            left -= bytes.length;
            batch.push(bytes);
            batchBytes += bytes.length;
            if (batchBytes >= BATCH_BYTES || abort.signal.aborted) return flush();
          },
          caughtUp: flush,
          ended: async () => !(await podFilesExist(pod)),
        });
        begin();
        response.end();
      } catch (error) {
        if (!(error instanceof NoLogError)) throw error;
        text(400, `container "${ref.container}" in pod ${ref.podUid}: ${error.message}`);
      } finally {
        openLogs--;
      }
    },

    async upgrade(request, socket, head, ref, stream, refuse) {
      if (stream === "portforward") {
        if (!(await podFilesExist(podDir(ref.runDir, ref.podUid)))) return refuse(404, `Pod ${ref.podUid} is not on this host.`);
        if (busy()) return refuse(429, `This host has ${MAX_OPEN_STREAMS} pod streams open already.`);
        return sockets.handleUpgrade(request, socket, head, (ws) => {
          if (ws.protocol !== AGENT_PORT_FORWARD_PROTOCOL) return ws.close(1002, `Offer ${AGENT_PORT_FORWARD_PROTOCOL}.`);
          ws.on("error", () => undefined);
          log(`port-forward to ${ref.podUid}`);
          servePortForward(ws, ref.podUid, () => podAddress(ref.podUid), log);
        });
      }
      let options;
      try {
        options = parseStreamOptions(new URL(request.url ?? "/", "https://agent").searchParams, stream);
      } catch (error) {
        if (error instanceof StreamParameterError) return refuse(400, error.message);
        throw error;
      }
      if (!(await podFilesExist(podDir(ref.runDir, ref.podUid)))) return refuse(404, `Pod ${ref.podUid} is not on this host.`);
      if (busy()) return refuse(429, `This host has ${MAX_OPEN_STREAMS} pod streams open already.`);
      sockets.handleUpgrade(request, socket, head, (ws) => {
        const protocol = REMOTE_COMMAND_PROTOCOLS.find((candidate) => candidate === ws.protocol);
        if (!protocol) return ws.close(1002, `Offer one of ${REMOTE_COMMAND_PROTOCOLS.join(", ")}.`);
        ws.on("error", () => undefined);
        if (stream === "exec") execInContainer(ws, protocol, ref, options, log);
        else void attachToContainer(ws, ref, options, log);
      });
    },

    close() {
      for (const client of sockets.clients) client.terminate();
    },
  };
}
