// What Skylight and a host's agent say to each other about a pod container's streams, on the
// agent's own port beside the consoles (lib/spherelet/console-protocol.ts, whose tickets admit
// these requests too, with the purpose named and `<pod uid>/<container>` as the target):
//
//   GET /pods/<uid>/<container>/log?<PodLogOptions>          → the container's output, as text
//   GET /pods/<uid>/<container>/exec?command=…&stdin&stdout&stderr&tty   (websocket)
//   GET /pods/<uid>/<container>/attach?stdin&stdout&stderr&tty           (websocket)
//   GET /pods/<uid>/<container>/portforward                              (websocket)
//
// The websockets speak Kubernetes' remote command protocol (v5.channel.k8s.io or
// v4.channel.k8s.io, as kubectl negotiated with Skylight, which pipes the messages through
// unchanged): each binary message starts with its channel, and the error channel carries the
// metav1.Status that ends the command, with its exit code. Port-forward's websocket is kubectl's
// tunnel (SPDY/3.1+portforward.k8s.io): its binary messages carry a SPDY/3.1 session, which the
// agent terminates (agent/pod-port-forward.ts); the container in its path stands for the pod.
import { z } from "zod";
import type { TicketPurpose } from "@/lib/spherelet/console-protocol";

export const POD_STREAMS_PATH_PREFIX = "/pods/";
export const POD_STREAMS = ["log", "exec", "attach", "portforward"] as const;
export type PodStream = (typeof POD_STREAMS)[number];
export const TICKET_PURPOSE: Record<PodStream, TicketPurpose> = { log: "logs", exec: "exec", attach: "attach", portforward: "portforward" };

/** What kubectl 1.30 and later offer; older ones speak SPDY, which Skylight does not. */
export const REMOTE_COMMAND_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;
export type RemoteCommandProtocol = (typeof REMOTE_COMMAND_PROTOCOLS)[number];
/** What kubectl 1.31 and later offer for port-forward: SPDY/3.1 tunnelled through the websocket. */
export const PORT_FORWARD_PROTOCOL = "SPDY/3.1+portforward.k8s.io";
/**
 * The same tunnel between Skylight and the agent. A `/` is no token character (RFC 6455), so the
 * `ws` library refuses kubectl's name on either end: the agent's link names it without the prefix.
 */
export const AGENT_PORT_FORWARD_PROTOCOL = "portforward.k8s.io";
export type PodStreamProtocol = RemoteCommandProtocol | typeof AGENT_PORT_FORWARD_PROTOCOL;
export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;
/** The largest message either side of a pod stream accepts: a paste, a burst of output. */
export const MAX_STREAM_MESSAGE_BYTES = 1024 * 1024;

const POD_UID = /^[0-9a-f-]{1,64}$/;
/** A container's name as kube allows it (a DNS label). */
export const CONTAINER_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

export const podStreamPath = (podUid: string, container: string, stream: PodStream) => `${POD_STREAMS_PATH_PREFIX}${podUid}/${container}/${stream}`;
export const ticketTarget = (podUid: string, container: string) => `${podUid}/${container}`;

/** The pod, container and stream a path on the agent names, or null when it names none. */
export function parsePodStreamPath(pathname: string): { podUid: string; container: string; stream: PodStream } | null {
  if (!pathname.startsWith(POD_STREAMS_PATH_PREFIX)) return null;
  const [podUid, container, stream, ...rest] = pathname.slice(POD_STREAMS_PATH_PREFIX.length).split("/");
  if (rest.length > 0 || !podUid || !container || !POD_UID.test(podUid) || !CONTAINER_NAME.test(container)) return null;
  return (POD_STREAMS as readonly string[]).includes(stream ?? "") ? { podUid, container, stream: stream as PodStream } : null;
}

/** Thrown for a query kube-apiserver would refuse: the message names the parameter and its rule. */
export class StreamParameterError extends Error {}

function flag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null || value === "" || value === "false" || value === "0") return false;
  if (value === "true" || value === "1") return true;
  throw new StreamParameterError(`${name}: Invalid value: "${value}": must be true or false`);
}

function wholeNumber(query: URLSearchParams, name: string, minimum: number): number | null {
  const value = query.get(name);
  if (value === null) return null;
  if (!/^\d{1,15}$/.test(value) || Number(value) < minimum) throw new StreamParameterError(`${name}: Invalid value: "${value}": must be a whole number of at least ${minimum}`);
  return Number(value);
}

/** kube's PodLogOptions, as far as a host's logs answer them. */
export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: number | null;
  limitBytes: number | null;
  /** Only lines at or after this time (milliseconds since the epoch), from sinceSeconds or sinceTime. */
  sinceMs: number | null;
}

export function parseLogOptions(query: URLSearchParams, now = Date.now()): LogOptions {
  const sinceSeconds = wholeNumber(query, "sinceSeconds", 1);
  const sinceTime = query.get("sinceTime");
  if (sinceSeconds !== null && sinceTime !== null) throw new StreamParameterError("sinceSeconds, sinceTime: at most one of sinceTime or sinceSeconds may be specified");
  const sinceTimeMs = sinceTime === null ? null : z.iso.datetime({ offset: true }).safeParse(sinceTime).success ? Date.parse(sinceTime) : NaN;
  if (Number.isNaN(sinceTimeMs)) throw new StreamParameterError(`sinceTime: Invalid value: "${sinceTime}": must be an RFC 3339 time`);
  return {
    follow: flag(query, "follow"),
    previous: flag(query, "previous"),
    timestamps: flag(query, "timestamps"),
    tailLines: wholeNumber(query, "tailLines", 0),
    limitBytes: wholeNumber(query, "limitBytes", 1),
    sinceMs: sinceSeconds !== null ? now - sinceSeconds * 1000 : sinceTimeMs,
  };
}

/** The same options as the query Skylight sends the agent. */
export function logOptionsQuery(options: LogOptions): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ["follow", "previous", "timestamps"] as const) if (options[name]) query.set(name, "true");
  if (options.tailLines !== null) query.set("tailLines", String(options.tailLines));
  if (options.limitBytes !== null) query.set("limitBytes", String(options.limitBytes));
  if (options.sinceMs !== null) query.set("sinceTime", new Date(options.sinceMs).toISOString());
  return query;
}

/** What an exec or attach asks for. */
export interface StreamOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** exec only: the command and its arguments. */
  command: string[];
}

const MAX_COMMAND_ARGUMENTS = 1024;
const MAX_COMMAND_BYTES = 128 * 1024;

export function parseStreamOptions(query: URLSearchParams, stream: "exec" | "attach"): StreamOptions {
  const options = { stdin: flag(query, "stdin"), stdout: flag(query, "stdout"), stderr: flag(query, "stderr"), tty: flag(query, "tty"), command: query.getAll("command") };
  if (!options.stdin && !options.stdout && !options.stderr) throw new StreamParameterError("you must specify at least 1 of stdin, stdout, stderr");
  if (options.tty && options.stderr) options.stderr = false; // a terminal has one output, as kubelet answers -it
  if (stream === "attach") return { ...options, command: [] };
  if (options.command.length === 0 || options.command[0] === "") throw new StreamParameterError("command: Required value: you must specify a command to run");
  if (options.command.length > MAX_COMMAND_ARGUMENTS) throw new StreamParameterError(`command: Too many: ${options.command.length}: must have at most ${MAX_COMMAND_ARGUMENTS} items`);
  if (options.command.reduce((total, part) => total + Buffer.byteLength(part), 0) > MAX_COMMAND_BYTES) throw new StreamParameterError(`command: Too long: must be at most ${MAX_COMMAND_BYTES} bytes`);
  return options;
}

export function streamOptionsQuery(options: StreamOptions): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of ["stdin", "stdout", "stderr", "tty"] as const) if (options[name]) query.set(name, "true");
  for (const part of options.command) query.append("command", part);
  return query;
}

/** The metav1.Status a command ends with, on the error channel, as kubelet sends it (kubectl exits with the code). */
export function exitStatus(exitCode: number | null, signal: string | null): string {
  if (exitCode === 0) return JSON.stringify({ metadata: {}, status: "Success" });
  const code = exitCode ?? 128 + (signal === "SIGKILL" ? 9 : 15);
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  });
}

/** A failure before or beside the command (no such container, not running): kubectl prints the message. */
export const failureStatus = (message: string) => JSON.stringify({ metadata: {}, status: "Failure", message, reason: "InternalError", code: 500 });

/** A channel's message: its number, then the bytes. */
export const channelMessage = (channel: number, data: Buffer | string) => Buffer.concat([Buffer.from([channel]), typeof data === "string" ? Buffer.from(data) : data]);
