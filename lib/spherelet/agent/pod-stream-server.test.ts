// The agent's kubelet endpoints for pods against a real runc busybox container, laid out with the
// pod-files.ts paths as the agent's runtime lays it out: the test starts the container with runc and
// writes its CRI-format log itself, as the runtime does. Logs with tail, timestamps, previous,
// limits and follow across a restart; exec of echo and of a failing command (the exit code reaches
// the client), with a terminal and a resize; attach to stdin and output; tickets used once, for one
// purpose; arguments never reach a host shell; a port-forward tunnel carries a connection and
// ends when a client breaks SPDY's framing or its bounds.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { constants as zlibConstants, createDeflate } from "node:zlib";
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import WebSocket from "ws";
import { checkoutBusyboxImage } from "@/lib/containers/busybox-image";
import { hashToken } from "@/lib/kube/api-tokens";
import { startKubeletServer, type KubeletServer } from "@/lib/spherelet/agent/kubelet-server";
import { MAX_TUNNEL_STREAMS } from "@/lib/spherelet/agent/pod-port-forward";
import { SPDY_DICTIONARY } from "@/lib/spherelet/agent/spdy-session";
import { containerBundleDir, containerLogFile, containerStdinFifo, runcContainerId, runcRoot } from "@/lib/spherelet/agent/pod-files";
import { signTicket, type TicketPurpose } from "@/lib/spherelet/console-protocol";
import { CHANNEL, podStreamPath, ticketTarget, type PodStream } from "@/lib/spherelet/pod-stream-protocol";

const HOST = "pod-host";
const TOKEN = "skylight-host-token-for-tests";
const POD = randomUUID();
const CONTAINER = "web";
let runDir: string;
let server: KubeletServer;
const agentLog: string[] = [];
let runtime: ChildProcess | null = null;
/** What stands for the pod's port in port-forward: an echo server at the address the pod has here. */
let echo: TcpServer;

const runc = (...args: string[]) => execFileSync("runc", ["--root", runcRoot(runDir), ...args], { stdio: ["ignore", "pipe", "pipe"] }).toString();

/** A CRI log line as the runtime writes it. */
const criLine = (time: string, stream: "stdout" | "stderr", text: string) => `${time} ${stream} F ${text}\n`;

/** Starts the container as the runtime does: stdin from its FIFO, each line it prints appended to run `restart`'s log. */
async function startContainer(restart: number) {
  const bundle = containerBundleDir(runDir, POD, CONTAINER);
  const config = JSON.parse(await readFile(path.join(bundle, "config.json"), "utf8")) as { process: { terminal: boolean; args: string[] } };
  config.process.terminal = false;
  config.process.args = ["sh", "-c", 'echo "run started"; while read line; do echo "got $line"; echo "oops $line" >&2; done'];
  await writeFile(path.join(bundle, "config.json"), JSON.stringify(config));
  const fifo = containerStdinFifo(runDir, POD, CONTAINER);
  if (!existsSync(fifo)) execFileSync("mkfifo", [fifo]);
  const log = containerLogFile(runDir, POD, CONTAINER, restart);
  await mkdir(path.dirname(log), { recursive: true });
  await writeFile(log, "");
  // Opened read-write so that opening does not wait for a writer, as the runtime opens it.
  runtime = spawn("sh", ["-c", `exec runc --root "$0" run -d --bundle "$1" "$2" <>"$3"`, runcRoot(runDir), bundle, runcContainerId(POD, CONTAINER), fifo], { stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of ["stdout", "stderr"] as const) {
    let pending = "";
    runtime[stream]!.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop()!;
      void appendFile(log, lines.map((line) => criLine(new Date().toISOString(), stream, line)).join(""));
    });
  }
  await waitUntil(async () => (await readFile(log, "utf8")).includes("run started"));
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const ticket = (purpose: TicketPurpose, container = CONTAINER) => signTicket(hashToken(TOKEN), { host: HOST, target: ticketTarget(POD, container), purpose });

/** GET a container's log from the agent; `onData` sees the body as it streams. */
function getLog(query: string, options: { ticket?: string; onResponse?: (request: ReturnType<typeof httpsRequest>) => void; onData?: (text: string) => void } = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      { host: "127.0.0.1", port: server.port, path: `${podStreamPath(POD, CONTAINER, "log")}?${query}`, rejectUnauthorized: false, headers: { authorization: `Bearer ${options.ticket ?? ticket("logs")}` } },
      (response) => {
        let text = "";
        options.onResponse?.(request);
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          options.onData?.(text);
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        response.on("close", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on("error", (error) => (options.onData ? resolve({ status: 0, text: "" }) : reject(error)));
    request.end();
  });
}

type RemoteStatus = { status?: string; message?: string; details?: { causes?: { message?: string }[] } };

interface Session {
  ws: WebSocket;
  output: Record<number, string>;
  closed: Promise<{ status: RemoteStatus | null; code: number }>;
  send(channel: number, data: string | Buffer): void;
}

/** A remote command session as kubectl opens one. */
async function openStream(stream: Exclude<PodStream, "log">, query: string, streamTicket = ticket(stream)): Promise<Session> {
  const ws = new WebSocket(`wss://127.0.0.1:${server.port}${podStreamPath(POD, CONTAINER, stream)}?${query}`, ["v5.channel.k8s.io", "v4.channel.k8s.io"], {
    rejectUnauthorized: false,
    headers: { authorization: `Bearer ${streamTicket}` },
  });
  const output: Record<number, string> = { 1: "", 2: "", 3: "" };
  ws.on("message", (data: Buffer) => (output[data[0]!] = (output[data[0]!] ?? "") + data.subarray(1).toString()));
  const closed = new Promise<{ status: RemoteStatus | null; code: number }>((resolve) => ws.on("close", (code) => resolve({ status: output[3] ? (JSON.parse(output[3]) as RemoteStatus) : null, code })));
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("unexpected-response", (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    ws.once("error", reject);
  });
  return { ws, output, closed, send: (channel, data) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)])) };
}

beforeAll(async () => {
  runDir = await mkdtemp(path.join(tmpdir(), "skylight-pod-streams-"));
  const image = await checkoutBusyboxImage();
  const bundle = containerBundleDir(runDir, POD, CONTAINER);
  await mkdir(path.dirname(bundle), { recursive: true });
  execFileSync("umoci", ["unpack", "--image", `${image.layout}:${image.tag}`, bundle], { stdio: "ignore" });
  // Run 0 ended before this one: its log is the previous run's.
  const previous = containerLogFile(runDir, POD, CONTAINER, 0);
  await mkdir(path.dirname(previous), { recursive: true });
  await writeFile(previous, [criLine("2026-12-06T10:00:00.000000001Z", "stdout", "first run"), criLine("2026-12-06T10:00:01.000000001Z", "stderr", "first run failed")].join(""));
  await startContainer(1);
  echo = createTcpServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  server = await startKubeletServer({ host: HOST, tokenHash: hashToken(TOKEN), port: 0, hostnames: ["localhost"], consoleSocket: () => null, runDir, podAddress: (uid) => (uid === POD ? "127.0.0.1" : null), log: (line) => agentLog.push(line) });
}, 60_000);

afterAll(async () => {
  await server?.close();
  echo?.close();
  if (runDir) {
    try {
      runc("delete", "--force", runcContainerId(POD, CONTAINER));
    } catch {
      // never started
    }
    runtime?.kill();
    await rm(runDir, { recursive: true, force: true });
  }
});

describe("logs", () => {
  test("the current run's lines, the last few, with timestamps, up to a limit, and the previous run's", async () => {
    const log = containerLogFile(runDir, POD, CONTAINER, 1);
    await appendFile(log, [criLine("2026-12-06T11:00:00.000000001Z", "stdout", "line a"), criLine("2026-12-06T11:00:01.000000001Z", "stdout", "line b"), `2026-12-06T11:00:02.000000001Z stdout P part`, "\n", criLine("2026-12-06T11:00:02.000000002Z", "stdout", "ial")].join(""));
    expect((await getLog("")).text).toBe("run started\nline a\nline b\npartial\n");
    expect((await getLog("tailLines=2")).text).toBe("partial\n");
    expect((await getLog("tailLines=3&timestamps=true")).text).toBe("2026-12-06T11:00:01.000000001Z line b\n2026-12-06T11:00:02.000000001Z part2026-12-06T11:00:02.000000002Z ial\n");
    expect((await getLog("limitBytes=8")).text).toBe("run star");
    expect(await getLog("previous=true")).toEqual({ status: 200, text: "first run\nfirst run failed\n" });
    // "run started" was written just now, after the lines this test wrote with earlier times.
    expect((await getLog("sinceTime=2026-12-06T11:00:01Z")).text).toBe("run started\nline b\npartial\n");
  });

  test("a bad option is refused naming it, and a ticket opens one request for its purpose", async () => {
    expect(await getLog("tailLines=-1")).toEqual({ status: 400, text: 'tailLines: Invalid value: "-1": must be a whole number of at least 0\n' });
    expect((await getLog("sinceSeconds=5&sinceTime=2026-12-06T11:00:01Z")).status).toBe(400);
    const once = ticket("logs");
    expect((await getLog("", { ticket: once })).status).toBe(200);
    expect(await getLog("", { ticket: once })).toEqual({ status: 401, text: "The ticket was refused: the ticket was used already.\n" });
    expect((await getLog("", { ticket: ticket("exec") })).text).toMatch(/for another purpose/);
    expect((await getLog("", { ticket: ticket("logs", "other") })).text).toMatch(/for another container/);
  });

  test("follow streams new lines as they are written and goes on into the next run's file after a restart", async () => {
    let request: ReturnType<typeof httpsRequest> | null = null;
    let seen = "";
    // The response starts once the agent has fixed where it reads from: what is written after that comes through.
    const done = getLog("follow=true&tailLines=0", {
      onResponse: (outgoing) => (request = outgoing),
      onData: (text) => (seen = text),
    });
    await waitUntil(() => request !== null);
    await appendFile(containerLogFile(runDir, POD, CONTAINER, 1), criLine(new Date().toISOString(), "stdout", "live one"));
    await waitUntil(() => seen === "live one\n");
    await writeFile(containerLogFile(runDir, POD, CONTAINER, 2), criLine(new Date().toISOString(), "stdout", "after restart"));
    await waitUntil(() => seen === "live one\nafter restart\n");
    request!.destroy();
    await done;
    await rm(containerLogFile(runDir, POD, CONTAINER, 2));
  });
});

describe("exec", () => {
  test("echo prints and ends with Success; a failing command's exit code reaches the client", async () => {
    const echo = await openStream("exec", "command=echo&command=hi&stdout=true&stderr=true");
    expect(echo.ws.protocol).toBe("v5.channel.k8s.io");
    expect((await echo.closed).status).toEqual({ metadata: {}, status: "Success" });
    expect(echo.output[1]).toBe("hi\n");
    const failing = await openStream("exec", "command=sh&command=-c&command=echo%20bad%20%3E%262%3B%20exit%203&stdout=true&stderr=true");
    const { status } = await failing.closed;
    expect(failing.output[2]).toBe("bad\n");
    expect(status?.status).toBe("Failure");
    expect(status?.details?.causes?.[0]?.message).toBe("3");
  });

  test("stdin reaches the command, and closing it (v5) ends it", async () => {
    const cat = await openStream("exec", "command=cat&stdin=true&stdout=true");
    cat.send(CHANNEL.stdin, "to cat\n");
    cat.send(CHANNEL.close, Buffer.from([CHANNEL.stdin]));
    expect((await cat.closed).status?.status).toBe("Success");
    expect(cat.output[1]).toBe("to cat\n");
  });

  test("with a terminal: the command has a tty, the client's size reaches it, and its exit code comes back", async () => {
    const shell = await openStream("exec", "command=sh&stdin=true&stdout=true&tty=true");
    shell.send(CHANNEL.resize, JSON.stringify({ Width: 100, Height: 40 }));
    await waitUntil(() => shell.output[1]!.includes("#"));
    shell.send(CHANNEL.stdin, "tty; stty size\n");
    // Line ends come back as \r\n, or on some runs \r\r\n (the banner too): the count of carriage returns is not what is tested.
    await waitUntil(() => /\/dev\/pts\/\d+\r+\n40 100\r+\n/.test(shell.output[1]!));
    // A later resize reaches the running command's terminal too (asked again until it shows).
    shell.send(CHANNEL.resize, JSON.stringify({ Width: 120, Height: 50 }));
    await waitUntil(() => {
      shell.send(CHANNEL.stdin, "stty size\n");
      return shell.output[1]!.includes("50 120");
    });
    shell.send(CHANNEL.stdin, "exit 4\n");
    const { status } = await shell.closed;
    expect(status?.details?.causes?.[0]?.message).toBe("4");
  });

  test("hostile: arguments with shell syntax run as given inside the container, never in a host shell", async () => {
    const marker = path.join(runDir, "host-shell-ran");
    const tricky = `$(touch ${marker})'; touch ${marker}; '"`;
    for (const tty of ["false", "true"]) {
      const session = await openStream("exec", `command=echo&command=${encodeURIComponent(tricky)}&stdout=true&tty=${tty}`);
      await session.closed;
      expect(session.output[1]!.replace(/\r/g, "")).toBe(`${tricky}\n`);
    }
    expect(existsSync(marker)).toBe(false);
  });

  test("hostile: a ticket for logs or another container does not open an exec; no command is refused", async () => {
    await expect(openStream("exec", "command=id&stdout=true", ticket("logs"))).rejects.toThrow(/401/);
    await expect(openStream("exec", "command=id&stdout=true", ticket("exec", "other"))).rejects.toThrow(/401/);
    await expect(openStream("exec", "stdout=true")).rejects.toThrow(/400/);
  });
});

describe("attach", () => {
  test("what is typed reaches the container's stdin, and what it prints comes back on stdout and stderr", async () => {
    const session = await openStream("attach", "stdin=true&stdout=true&stderr=true");
    await waitUntil(() => agentLog.includes(`attach to ${POD}/${CONTAINER}`));
    session.send(CHANNEL.stdin, "hello\n");
    await waitUntil(() => session.output[1] === "got hello\n" && session.output[2] === "oops hello\n");
    session.ws.close();
    await once(session.ws, "close");
  });
});

/** kubectl's side of a port-forward tunnel: SPDY/3 frames as spdystream writes them, its headers through one zlib context. */
async function openTunnel() {
  const ws = new WebSocket(`wss://127.0.0.1:${server.port}${podStreamPath(POD, CONTAINER, "portforward")}`, ["portforward.k8s.io"], {
    rejectUnauthorized: false,
    headers: { authorization: `Bearer ${ticket("portforward")}` },
  });
  let received = Buffer.alloc(0);
  ws.on("message", (data: Buffer) => (received = Buffer.concat([received, data])));
  const closed = once(ws, "close");
  await once(ws, "open");
  const deflate = createDeflate({ dictionary: SPDY_DICTIONARY });
  const compressed: Buffer[] = [];
  deflate.on("data", (chunk: Buffer) => compressed.push(chunk));
  const headerBlock = (headers: Record<string, string>) =>
    new Promise<Buffer>((resolve) => {
      const entries = Object.entries(headers);
      const words = entries.flatMap(([name, value]) => [name, value]).map((word) => Buffer.concat([u32(word.length), Buffer.from(word)]));
      compressed.length = 0;
      deflate.write(Buffer.concat([u32(entries.length), ...words]));
      deflate.flush(zlibConstants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(compressed)));
    });
  const control = (type: number, payload: Buffer) => Buffer.concat([Buffer.from([0x80, 3, 0, type]), u32(payload.length), payload]);
  /** The frames the agent sent so far: a control frame with its type (SYN_REPLY 2, RST_STREAM 3), stream and status; a data frame as type 0 with its bytes. */
  const frames = () => {
    const seen: { type: number; id: number; status?: number; data?: Buffer; fin: boolean }[] = [];
    for (let offset = 0; offset + 8 <= received.length; ) {
      const length = received.readUInt32BE(offset + 4) & 0xffffff;
      const body = received.subarray(offset + 8, offset + 8 + length);
      const fin = (received[offset + 4]! & 1) === 1;
      if (received[offset]! & 0x80) seen.push({ type: received.readUInt16BE(offset + 2), id: body.readUInt32BE(0), status: length >= 8 ? body.readUInt32BE(4) : undefined, fin });
      else seen.push({ type: 0, id: received.readUInt32BE(offset), data: body, fin });
      offset += 8 + length;
    }
    return seen;
  };
  return {
    ws,
    closed,
    frames,
    async open(id: number, headers: Record<string, string>) {
      ws.send(control(1, Buffer.concat([u32(id), u32(0), Buffer.from([0, 0]), await headerBlock(headers)])));
    },
    data: (id: number, payload: Buffer, fin = false) => ws.send(Buffer.concat([u32(id), u32(((fin ? 1 : 0) << 24) | payload.length), payload])),
    raw: (bytes: Buffer) => ws.send(bytes),
  };
}

const u32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value >>> 0);
  return buffer;
};

describe("port-forward", () => {
  test("a connection's bytes go to the pod's port and back; a closed port is reported on the error stream", async () => {
    const tunnel = await openTunnel();
    const port = String((echo.address() as { port: number }).port);
    await tunnel.open(1, { streamtype: "error", port, requestid: "0" });
    await tunnel.open(3, { streamtype: "data", port, requestid: "0" });
    await waitUntil(() => tunnel.frames().filter((frame) => frame.type === 2).length === 2);
    tunnel.data(3, Buffer.from("ping through the tunnel"), true);
    await waitUntil(() => tunnel.frames().some((frame) => frame.type === 0 && frame.id === 3 && frame.fin));
    expect(Buffer.concat(tunnel.frames().flatMap((frame) => (frame.type === 0 && frame.id === 3 ? [frame.data!] : []))).toString()).toBe("ping through the tunnel");

    await tunnel.open(5, { streamtype: "error", port: "1", requestid: "1" });
    await tunnel.open(7, { streamtype: "data", port: "1", requestid: "1" });
    await waitUntil(() => tunnel.frames().some((frame) => frame.type === 0 && frame.id === 5 && frame.fin));
    const error = Buffer.concat(tunnel.frames().flatMap((frame) => (frame.type === 0 && frame.id === 5 ? [frame.data!] : []))).toString();
    expect(error).toBe(`error forwarding port 1 to pod ${POD}: dial tcp 127.0.0.1:1: connect: connection refused`);
    tunnel.ws.close();
  });

  test(`hostile: streams beyond ${MAX_TUNNEL_STREAMS} are refused; a frame over the size limit, a header block that inflates too far or another SPDY version ends the tunnel`, async () => {
    const many = await openTunnel();
    for (let index = 0; index <= MAX_TUNNEL_STREAMS; index++) await many.open(2 * index + 1, { streamtype: index % 2 ? "data" : "error", port: "1", requestid: `held-${Math.floor(index / 2)}-${index % 2 ? "" : "x"}` });
    await waitUntil(() => many.frames().some((frame) => frame.type === 3));
    expect(many.frames().find((frame) => frame.type === 3)).toMatchObject({ id: 2 * MAX_TUNNEL_STREAMS + 1, status: 3 });
    many.ws.close();

    const attacks = [
      Buffer.concat([Buffer.from([0, 0, 0, 1]), u32(2 * 1024 * 1024)]),
      Buffer.from([0x80, 2, 0, 4, 0, 0, 0, 0]),
    ];
    for (const attack of attacks) {
      const tunnel = await openTunnel();
      tunnel.raw(attack);
      await tunnel.closed;
    }
    const bomb = await openTunnel();
    await bomb.open(1, { streamtype: "error", port: "1", requestid: "x".repeat(200_000) });
    await bomb.closed;
    // The agent serves the next tunnel as before.
    const after = await openTunnel();
    await after.open(1, { streamtype: "error", port: "1", requestid: "0" });
    await waitUntil(() => after.frames().some((frame) => frame.type === 2));
    after.ws.close();
  });
});
