// A QEMU Machine Protocol client over the VM's unix socket: JSON objects, one per line. QEMU
// greets, the client leaves capabilities negotiation with `qmp_capabilities`, then each command
// carries an id that its answer repeats; asynchronous events (SHUTDOWN, STOP, RESUME,
// JOB_STATUS_CHANGE…) arrive between answers. See QEMU's docs/interop/qmp-spec.
import { EventEmitter } from "node:events";
import { createConnection, type Socket } from "node:net";

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  timestamp: { seconds: number; microseconds: number };
}

export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    description: string,
  ) {
    super(`QMP ${command}: ${description}`);
  }
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** A line longer than this is no QMP message; the connection is dropped rather than buffered forever. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

export class QmpClient extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  private buffer = "";
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  private constructor(private readonly socket: Socket) {
    super();
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.receive(chunk));
    socket.on("close", () => this.fail(new Error("the QMP connection closed")));
    socket.on("error", (error) => this.fail(error));
  }

  /** Connects, waits for the greeting and enters command mode. */
  static async connect(path: string, { timeoutMs = 5_000 } = {}): Promise<QmpClient> {
    const socket = createConnection(path);
    const greeting = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no QMP greeting on ${path} within ${timeoutMs} ms`)), timeoutMs);
      socket.once("error", (error) => (clearTimeout(timer), reject(error)));
      socket.once("data", () => (clearTimeout(timer), resolve()));
    });
    const client = new QmpClient(socket);
    try {
      await greeting;
      await client.execute("qmp_capabilities");
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return client;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`QMP ${command}: the connection is closed`));
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { command, resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ execute: command, ...(args && { arguments: args }), id })}\n`);
    });
  }

  /** Resolves with the first event named `name` that `matches`, or rejects after `timeoutMs`. */
  waitForEvent(name: string, timeoutMs: number, matches: (event: QmpEvent) => boolean = () => true): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const onEvent = (event: QmpEvent) => {
        if (event.event !== name || !matches(event)) return;
        cleanup();
        resolve(event);
      };
      const onClose = () => (cleanup(), reject(new Error(`the QMP connection closed before ${name}`)));
      const timer = setTimeout(() => (cleanup(), reject(new Error(`no ${name} event within ${timeoutMs} ms`))), timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off("event", onEvent);
        this.off("close", onClose);
      };
      this.on("event", onEvent);
      this.on("close", onClose);
    });
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }

  private receive(chunk: string) {
    this.buffer += chunk;
    if (this.buffer.length > MAX_LINE_BYTES) return void this.socket.destroy(new Error("a QMP message exceeded 16 MiB"));
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, newline).trim();
      this.buffer = this.buffer.slice(newline + 1);
      if (line) this.dispatch(JSON.parse(line) as Record<string, unknown>);
    }
  }

  private dispatch(message: Record<string, unknown>) {
    if (typeof message.event === "string") return void this.emit("event", message as unknown as QmpEvent);
    const id = typeof message.id === "string" ? message.id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id!);
    if ("error" in message) {
      const error = message.error as { class: string; desc: string };
      pending.reject(new QmpError(pending.command, error.class, error.desc));
    } else {
      pending.resolve(message.return);
    }
  }

  private fail(error: Error) {
    if (this.closed) return;
    this.closed = true;
    for (const { command, reject } of this.pending.values()) reject(new Error(`QMP ${command}: ${error.message}`));
    this.pending.clear();
    this.emit("close");
  }
}
