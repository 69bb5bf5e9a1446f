// Exec and attach for a pod's container over Kubernetes' remote command websocket
// (lib/spherelet/pod-stream-protocol.ts). Exec runs `runc exec` in the container; with a terminal,
// runc 1.1 wants its own stdin to be one (it opens /dev/tty), so util-linux `script` gives it a pty,
// and a resize reaches the container by setting that pty's size (`stty -F`), which runc passes on
// when its SIGWINCH arrives. The user's command never meets a host shell: script's command line
// names only environment variables, which hold the arguments. Attach writes to the container's
// stdin FIFO and streams what the container prints from its log.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { constants, open } from "node:fs";
import { readFile, readlink } from "node:fs/promises";
import { Socket } from "node:net";
import { promisify } from "node:util";
import type { RawData, WebSocket } from "ws";
import { containerLogDir, readContainerLog } from "@/lib/spherelet/agent/container-logs";
import { containerStdinFifo, runcContainerId, runcRoot } from "@/lib/spherelet/agent/pod-files";
import { CHANNEL, channelMessage, exitStatus, failureStatus, type RemoteCommandProtocol, type StreamOptions } from "@/lib/spherelet/pod-stream-protocol";

const run = promisify(execFile);
/** Above this much unsent to Skylight, reading the command's output waits. */
const HIGH_WATER_BYTES = 1024 * 1024;
/** A command whose client went away gets this long after SIGTERM (which runc passes on) before SIGKILL. */
const KILL_GRACE_MS = 5000;
const MAX_TERMINAL_SIDE = 10_000;
/** How long a command with a terminal waits for the client to say its size before it starts anyway. */
const FIRST_SIZE_WAIT_MS = 1000;

type TerminalSize = { width: number; height: number };

export interface ContainerRef {
  runDir: string;
  podUid: string;
  container: string;
}

const asBuffer = (data: RawData) => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

/** Sends a channel's bytes, pausing `source` while the websocket is behind. */
function forward(ws: WebSocket, channel: number, source: NodeJS.ReadableStream & { pause(): void; resume(): void }) {
  source.on("data", (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(channelMessage(channel, chunk), () => {
      if (ws.bufferedAmount < HIGH_WATER_BYTES) source.resume();
    });
    if (ws.bufferedAmount >= HIGH_WATER_BYTES) source.pause();
  });
}

function finish(ws: WebSocket, status: string) {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(channelMessage(CHANNEL.error, status), () => ws.close(1000));
}

/** A resize message's size, or null when it is not one kubectl would send. */
function terminalSize(data: Buffer): TerminalSize | null {
  try {
    const parsed = JSON.parse(data.toString("utf8")) as { Width?: unknown; Height?: unknown };
    const ok = (side: unknown): side is number => Number.isInteger(side) && (side as number) > 0 && (side as number) <= MAX_TERMINAL_SIDE;
    return ok(parsed.Width) && ok(parsed.Height) ? { width: parsed.Width, height: parsed.Height } : null;
  } catch {
    return null;
  }
}

/** The pty runc was given by script: the terminal on the stdin of one of script's descendants. */
async function ptyOf(pid: number): Promise<string | null> {
  const children = (await readFile(`/proc/${pid}/task/${pid}/children`, "utf8").catch(() => "")).split(" ").filter(Boolean).map(Number);
  for (const child of children) {
    const stdin = await readlink(`/proc/${child}/fd/0`).catch(() => "");
    if (stdin.startsWith("/dev/pts/")) return stdin;
    const deeper = await ptyOf(child);
    if (deeper) return deeper;
  }
  return null;
}

/**
 * Applies the newest size asked for to the command's pty, once there is one; sizes asked for
 * meanwhile collapse into the last. The size the command started with is never set again: kubectl
 * repeats it, and resizing a terminal a command is just reading can fail that read.
 */
function terminalResizer(child: ChildProcess, startedWith: TerminalSize | null) {
  let wanted: TerminalSize | null = null;
  let current = startedWith;
  let busy = false;
  const apply = async () => {
    if (busy || !wanted || child.exitCode !== null || child.pid === undefined) return;
    const size = wanted;
    wanted = null;
    if (current && current.width === size.width && current.height === size.height) return;
    busy = true;
    current = size;
    try {
      let pty: string | null = null;
      for (let attempt = 0; !pty && attempt < 40 && child.exitCode === null; attempt++) {
        pty = await ptyOf(child.pid);
        if (!pty) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (pty) await run("stty", ["-F", pty, "rows", String(size.height), "cols", String(size.width)]).catch(() => undefined);
    } finally {
      busy = false;
      void apply();
    }
  };
  return (size: TerminalSize) => {
    wanted = size;
    void apply();
  };
}

/**
 * The command as runc runs it; with a terminal, inside script, which passes the arguments through
 * its environment and first sizes its pty as the client's terminal is (runc gives the container's
 * console its own terminal's size as it starts).
 */
function execCommand(ref: ContainerRef, options: StreamOptions, size: TerminalSize | null): { file: string; args: string[]; env: Record<string, string | undefined> } {
  const runc = ["--root", runcRoot(ref.runDir), "exec", ...(options.tty ? ["-t", "--env", "TERM=xterm"] : []), runcContainerId(ref.podUid, ref.container), ...options.command];
  if (!options.tty) return { file: "runc", args: runc, env: { PATH: process.env.PATH } };
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, SHELL: "/bin/sh", SKYLIGHT_ROWS: String(size?.height), SKYLIGHT_COLUMNS: String(size?.width) };
  runc.forEach((part, index) => (env[`SKYLIGHT_EXEC_${index}`] = part));
  const sized = size ? `stty rows "$SKYLIGHT_ROWS" cols "$SKYLIGHT_COLUMNS"; ` : "";
  const line = `${sized}exec runc ${runc.map((_, index) => `"$SKYLIGHT_EXEC_${index}"`).join(" ")}`;
  return { file: "script", args: ["--quiet", "--return", "--command", line, "/dev/null"], env };
}

/**
 * Runs the command in the container with the websocket as its terminal or its three streams, and
 * ends with its exit status. With a terminal, the command starts once the client has said its
 * terminal's size (kubectl does at once), or after FIRST_SIZE_WAIT_MS without one.
 */
export function execInContainer(ws: WebSocket, protocol: RemoteCommandProtocol, ref: ContainerRef, options: StreamOptions, log: (message: string) => void) {
  if (!options.tty) return startExec(ws, protocol, ref, options, null, [], log);
  const early: Buffer[] = [];
  const begin = (size: TerminalSize | null) => {
    clearTimeout(timer);
    ws.off("message", hold);
    ws.off("close", cancel);
    startExec(ws, protocol, ref, options, size, early, log);
  };
  const hold = (data: RawData) => {
    const message = asBuffer(data);
    if (message[0] === CHANNEL.resize) begin(terminalSize(message.subarray(1)));
    else early.push(message);
  };
  const cancel = () => clearTimeout(timer);
  const timer = setTimeout(() => begin(null), FIRST_SIZE_WAIT_MS);
  ws.on("message", hold);
  ws.on("close", cancel);
}

function startExec(ws: WebSocket, protocol: RemoteCommandProtocol, ref: ContainerRef, options: StreamOptions, size: TerminalSize | null, early: Buffer[], log: (message: string) => void) {
  const { file, args, env } = execCommand(ref, options, size);
  // Only what runc and script need: the agent's own environment (its token) stays out of the container's reach.
  const child = spawn(file, args, { env: env as NodeJS.ProcessEnv, stdio: [options.stdin || options.tty ? "pipe" : "ignore", "pipe", "pipe"] });
  const resize = options.tty ? terminalResizer(child, size) : null;
  let exited = false;
  child.on("error", (error) => {
    exited = true;
    finish(ws, failureStatus(`${file} could not be started on the host: ${error.message}`));
  });
  forward(ws, CHANNEL.stdout, child.stdout!);
  forward(ws, options.tty ? CHANNEL.stdout : CHANNEL.stderr, child.stderr!);
  child.stdin?.on("error", () => undefined);
  child.on("close", (code, signal) => {
    exited = true;
    finish(ws, exitStatus(code, signal));
  });
  const receive = (message: Buffer) => {
    const channel = message[0];
    const payload = message.subarray(1);
    if (channel === CHANNEL.stdin && child.stdin && !child.stdin.writableEnded) {
      if (!child.stdin.write(payload)) ws.pause();
    } else if (channel === CHANNEL.resize && resize) {
      const next = terminalSize(payload);
      if (next) resize(next);
    } else if (channel === CHANNEL.close && protocol === "v5.channel.k8s.io" && payload[0] === CHANNEL.stdin) child.stdin?.end();
  };
  for (const message of early) receive(message);
  ws.on("message", (data) => receive(asBuffer(data)));
  child.stdin?.on("drain", () => ws.resume());
  ws.on("close", () => {
    if (exited) return;
    child.kill("SIGTERM");
    setTimeout(() => exited || child.kill("SIGKILL"), KILL_GRACE_MS).unref();
  });
  log(`exec in ${ref.podUid}/${ref.container}: ${options.command[0]}${options.tty ? " (terminal)" : ""}`);
}

/** Opens a FIFO for writing without waiting for a reader: none means the container is not reading its stdin. */
async function openStdin(fifo: string): Promise<Socket> {
  // A plain descriptor, not a FileHandle: the socket owns and closes it.
  const fd = await promisify(open)(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: false });
}

async function isRunning(ref: ContainerRef): Promise<boolean> {
  const state = await run("runc", ["--root", runcRoot(ref.runDir), "state", runcContainerId(ref.podUid, ref.container)]).catch(() => null);
  return state !== null && (JSON.parse(state.stdout) as { status?: string }).status === "running";
}

/** Attaches the websocket to the running container: its stdin FIFO, and what it prints from now on. */
export async function attachToContainer(ws: WebSocket, ref: ContainerRef, options: StreamOptions, log: (message: string) => void) {
  if (!(await isRunning(ref))) return finish(ws, failureStatus(`container ${ref.container} is not running`));
  let stdin: Socket | null = null;
  if (options.stdin) {
    try {
      stdin = await openStdin(containerStdinFifo(ref.runDir, ref.podUid, ref.container));
    } catch {
      return finish(ws, failureStatus(`container ${ref.container} does not read its stdin: run it with stdin: true to attach to it`));
    }
    stdin.on("error", () => undefined);
    stdin.on("drain", () => ws.resume());
  }
  const abort = new AbortController();
  ws.on("message", (data) => {
    const message = asBuffer(data);
    if (message[0] === CHANNEL.stdin && stdin && !stdin.writableEnded && !stdin.write(message.subarray(1))) ws.pause();
    else if (message[0] === CHANNEL.close && message[1] === CHANNEL.stdin) stdin?.end();
  });
  ws.on("close", () => {
    abort.abort();
    stdin?.destroy();
  });
  await readContainerLog({
    logDir: containerLogDir(ref.runDir, ref.podUid, ref.container),
    options: { follow: true, previous: false, tailLines: null, sinceMs: null },
    fromEnd: true,
    signal: abort.signal,
    emit: (line) => {
      const channel = line.stream === "stderr" && options.stderr ? CHANNEL.stderr : CHANNEL.stdout;
      if ((channel === CHANNEL.stdout && !options.stdout) || ws.readyState !== ws.OPEN) return;
      const text = options.tty || line.partial ? line.text : Buffer.concat([line.text, Buffer.from("\n")]);
      return new Promise<void>((resolve) => ws.send(channelMessage(channel, text), () => resolve()));
    },
    ended: async () => !(await isRunning(ref)),
    started: () => log(`attach to ${ref.podUid}/${ref.container}`),
  }).catch((error: Error) => log(`attach to ${ref.podUid}/${ref.container}: ${error.message}`));
  stdin?.destroy();
  finish(ws, exitStatus(0, null));
}
