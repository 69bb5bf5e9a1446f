// The agent's HTTPS client for Skylight's API (the Kubernetes API and the spherelet routes beside
// it): one keep-alive connection pool trusting Skylight's CA, the host's bearer token on every
// request, JSON in and out.
import type { IncomingMessage } from "node:http";
import { Agent, request } from "node:https";

export interface ApiResponse<T> {
  status: number;
  body: T;
}

/** A request the server answered with a status the caller did not expect. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    method: string,
    path: string,
    detail: string,
  ) {
    super(`${method} ${path}: ${status}${detail ? ` ${detail}` : ""}`);
  }
}

/** Answers larger than this are no answer the agent expects; the connection is dropped. */
const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export class SkylightApi {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(
    server: string,
    private readonly token: string,
    ca: string,
  ) {
    this.base = new URL(server);
    this.agent = new Agent({ keepAlive: true, ca, maxSockets: 32 });
  }

  /** Sends the request; any status is answered (the caller decides), a network failure throws. */
  send<T>(method: string, path: string, options: { body?: unknown; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ApiResponse<T>> {
    const url = new URL(this.base.pathname.replace(/\/$/, "") + path, this.base);
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method,
          agent: this.agent,
          signal: options.signal,
          timeout: options.timeoutMs ?? 30_000,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: "application/json",
            ...(payload !== undefined && { "content-type": "application/json", "content-length": Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) response.destroy(new Error(`${method} ${path}: the answer exceeded ${MAX_RESPONSE_BYTES} bytes`));
            else chunks.push(chunk);
          });
          response.on("error", reject);
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : null;
            } catch {
              // Not JSON (a proxy's error page): kept as text for the error message.
            }
            resolve({ status: response.statusCode ?? 0, body: body as T });
          });
        },
      );
      outgoing.on("timeout", () => outgoing.destroy(new Error(`${method} ${path}: no answer within ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s`)));
      outgoing.on("error", reject);
      outgoing.end(payload);
    });
  }

  /** Sends the request and throws ApiError unless the status is one of `expected`. */
  async expect<T>(expected: number[], method: string, path: string, options: Parameters<SkylightApi["send"]>[2] = {}): Promise<ApiResponse<T>> {
    const response = await this.send<T>(method, path, options);
    if (!expected.includes(response.status)) {
      const body = response.body as { message?: string } | string | null;
      throw new ApiError(response.status, method, path, typeof body === "string" ? body.slice(0, 300) : (body?.message ?? ""));
    }
    return response;
  }

  /** GETs a file as a stream (no size limit of its own: the caller bounds what it reads); any status but 200 throws ApiError. */
  download(path: string, options: { timeoutMs?: number; signal?: AbortSignal; accept?: string } = {}): Promise<IncomingMessage> {
    const url = new URL(this.base.pathname.replace(/\/$/, "") + path, this.base);
    const timeoutMs = options.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const outgoing = request(url, { agent: this.agent, signal: options.signal, timeout: timeoutMs, headers: { authorization: `Bearer ${this.token}`, ...(options.accept && { accept: options.accept }) } }, (response) => {
        if (response.statusCode === 200) return resolve(response);
        response.resume();
        reject(new ApiError(response.statusCode ?? 0, "GET", path, ""));
      });
      outgoing.on("timeout", () => outgoing.destroy(new Error(`GET ${path}: nothing received for ${Math.round(timeoutMs / 1000)} s`)));
      outgoing.on("error", reject);
      outgoing.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
