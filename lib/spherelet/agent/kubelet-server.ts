// The agent's own endpoint, as the kubelet's port 10250 is the kubelet's: HTTPS with a certificate
// made at start (Skylight pins its hash, published on the host's Node), serving a VM's screen as a
// websocket piped to QEMU's VNC unix socket (lib/spherelet/console-protocol.ts), and a pod
// container's logs, exec, attach and port-forward (pod-stream-server.ts). Every request must carry a ticket
// Skylight signed for this host, that machine or container and that purpose, used once; and the
// machine must be one the server lists for this host, the pod one with files here. Nothing else
// listens: QEMU's VNC stays on its unix socket.
import { createConnection } from "node:net";
import { createServer, type Server } from "node:https";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { selfSignedServingCertificate } from "@/lib/kube/certificate-authority";
import { caCertHash } from "@/lib/spherelet/agent-command";
import { CONSOLE_PATH_PREFIX, MAX_CONSOLE_MESSAGE_BYTES, TicketRefusal, TicketVerifier, type TicketPurpose } from "@/lib/spherelet/console-protocol";
import { createPodStreamServer } from "@/lib/spherelet/agent/pod-stream-server";
import { parsePodStreamPath, TICKET_PURPOSE, ticketTarget } from "@/lib/spherelet/pod-stream-protocol";
import { CONSOLE_CLOSE } from "@/lib/vocabulary/web-console";

/** Consoles open at once on this host; each is a browser tab someone has open. */
const MAX_OPEN_CONSOLES = 64;
/** Above this much unsent to Skylight, reading from QEMU waits. */
const HIGH_WATER_BYTES = 1024 * 1024;
const MACHINE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface KubeletServerOptions {
  /** The host's name: tickets must name it. */
  host: string;
  /** SHA-256 of the host's token, hex: the key tickets are signed with. */
  tokenHash: string;
  /** 0: any free port. */
  port: number;
  /** Names the certificate is made out to (informational: Skylight pins the certificate itself). */
  hostnames: string[];
  /** The VNC socket of a machine the server lists for this host; null for any other. */
  consoleSocket(machineId: string): string | null;
  /** The host's run directory, where its pods' files are (pod-files.ts). */
  runDir: string;
  /** Where the host reaches a pod, for port-forward; null for a pod with no address here. */
  podAddress(podUid: string): string | null;
  log(message: string): void;
}

export interface KubeletServer {
  port: number;
  /** "sha256:<hex>" of the serving certificate's DER, for the Node's annotation. */
  certificateHash: string;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 429: "Too Many Requests" };

function refuse(socket: Duplex, status: keyof typeof STATUS_TEXT, message: string) {
  const body = `${message}\n`;
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** The websocket and QEMU's VNC socket, both ways, each side waiting while the other is behind. */
function pipeConsole(ws: WebSocket, vncPath: string, log: (message: string) => void) {
  const vnc = createConnection(vncPath);
  let connected = false;
  vnc.on("connect", () => {
    connected = true;
    log("opened");
  });
  vnc.on("data", (chunk: Buffer) => {
    ws.send(chunk, () => {
      if (ws.bufferedAmount < HIGH_WATER_BYTES) vnc.resume();
    });
    if (ws.bufferedAmount >= HIGH_WATER_BYTES) vnc.pause();
  });
  ws.on("message", (data: Buffer) => {
    if (!vnc.write(data)) ws.pause();
  });
  vnc.on("drain", () => ws.resume());
  vnc.on("error", () => undefined);
  vnc.on("close", () =>
    connected
      ? ws.close(CONSOLE_CLOSE.screenClosed, "The VM's screen closed: it stopped, was reset or moved to another host.")
      : ws.close(CONSOLE_CLOSE.notRunning, "The VM is not running on this host."),
  );
  ws.on("close", () => {
    vnc.destroy();
    if (connected) log("closed");
  });
}

export async function startKubeletServer(options: KubeletServerOptions): Promise<KubeletServer> {
  const { certificatePem, privateKeyPem } = selfSignedServingCertificate(`system:node:${options.host}`, options.hostnames);
  const verifier = new TicketVerifier(options.tokenHash, options.host);
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CONSOLE_MESSAGE_BYTES });
  const pods = createPodStreamServer(options.log, options.podAddress);

  /** The ticket's refusal in words, or null when it admits the request (and is now used). */
  const ticketRefusal = (authorization: string | undefined, target: string, purpose: TicketPurpose): string | null => {
    const ticket = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1];
    if (!ticket) return `A ${purpose === "console" ? "console" : "pod stream"} needs a ticket from Skylight (Authorization: Bearer).`;
    try {
      verifier.verify(ticket, { target, purpose });
      return null;
    } catch (error) {
      const reason = error instanceof TicketRefusal ? error.message : "the ticket could not be read";
      options.log(`${purpose} of ${target} refused: ${reason}`);
      return `The ticket was refused: ${reason}.`;
    }
  };

  const server: Server = createServer({ cert: certificatePem, key: privateKeyPem, minVersion: "TLSv1.2" }, (request, response) => {
    const text = (status: number, message: string) => response.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(`${message}\n`);
    const pod = parsePodStreamPath(new URL(request.url ?? "/", "https://agent").pathname);
    if (!pod || pod.stream !== "log" || request.method !== "GET") return text(404, "Not found: this endpoint serves consoles, exec and attach over websockets and pods' logs.");
    const refusal = ticketRefusal(request.headers.authorization, ticketTarget(pod.podUid, pod.container), "logs");
    if (refusal) return text(401, refusal);
    pods.log(request, response, { runDir: options.runDir, podUid: pod.podUid, container: pod.container }).catch((error: Error) => {
      options.log(`logs of ${pod.podUid}/${pod.container} failed: ${error.message}`);
      if (!response.headersSent) text(500, "Reading the container's log failed; see the agent's log.");
      else response.destroy();
    });
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined);
    const path = new URL(request.url ?? "/", "https://agent").pathname;
    const pod = parsePodStreamPath(path);
    if (pod && pod.stream !== "log") {
      const refusal = ticketRefusal(request.headers.authorization, ticketTarget(pod.podUid, pod.container), TICKET_PURPOSE[pod.stream]);
      if (refusal) return refuse(socket, 401, refusal);
      const ref = { runDir: options.runDir, podUid: pod.podUid, container: pod.container };
      return void pods.upgrade(request, socket, head, ref, pod.stream, (status, message) => refuse(socket, status, message)).catch((error: Error) => {
        options.log(`${pod.stream} in ${pod.podUid}/${pod.container} failed: ${error.message}`);
        socket.destroy();
      });
    }
    const machine = path.startsWith(CONSOLE_PATH_PREFIX) ? path.slice(CONSOLE_PATH_PREFIX.length) : "";
    if (!MACHINE_ID.test(machine)) return refuse(socket, 404, "Not found.");
    const refusal = ticketRefusal(request.headers.authorization, machine, "console");
    if (refusal) return refuse(socket, 401, refusal);
    const vncPath = options.consoleSocket(machine);
    if (!vncPath) return refuse(socket, 404, `Machine ${machine} is not on this host.`);
    if (sockets.clients.size >= MAX_OPEN_CONSOLES) return refuse(socket, 429, `This host has ${MAX_OPEN_CONSOLES} consoles open already.`);
    sockets.handleUpgrade(request, socket, head, (ws) => pipeConsole(ws, vncPath, (what) => options.log(`console of ${machine} ${what}`)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : options.port,
    certificateHash: caCertHash(certificatePem),
    async close() {
      for (const client of sockets.clients) client.terminate();
      pods.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
