// The server side of a SPDY/3.1 session over a byte stream, as far as kubectl's port-forward
// tunnel needs it (its client is moby/spdystream): the frames, header blocks compressed with zlib
// and SPDY's dictionary (one context per direction for the whole session), streams the client
// opens, their data and their ends. No library on npm serves SPDY/3.1 on an arbitrary stream short
// of an HTTP/2 stack, and the subset is small. Flow control is not kept: spdystream neither sends
// WINDOW_UPDATE nor waits for one. What a hostile client can make it hold is bounded: a frame's
// size, a header block's size before and after inflating, its number of headers.
import { once } from "node:events";
import type { Duplex } from "node:stream";
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from "node:zlib";

/** SPDY/3's zlib dictionary for header blocks: length-prefixed header names, then common values. */
const HEADER_WORDS = ["options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base", "content-encoding", "content-language", "content-length", "content-location", "content-md5", "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via", "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public", "set-cookie", "keep-alive", "origin"];
const HEADER_TAIL =
  "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
export const SPDY_DICTIONARY = Buffer.concat([
  ...HEADER_WORDS.map((word) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(word.length);
    return Buffer.concat([length, Buffer.from(word)]);
  }),
  Buffer.from(HEADER_TAIL),
]);

const VERSION = 3;
const TYPE = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
const FLAG_FIN = 0x01;
export const RST = { protocolError: 1, refusedStream: 3, cancel: 5 } as const;

/** A data frame's largest payload either way; spdystream writes what io.Copy read (32 KiB). */
const MAX_FRAME_BYTES = 1024 * 1024;
/** A compressed header block's largest size, and what it may inflate to: port-forward's are a few dozen bytes. */
const MAX_HEADER_BLOCK_BYTES = 16 * 1024;
const MAX_INFLATED_HEADER_BYTES = 64 * 1024;
const MAX_HEADERS = 64;

export class SpdyProtocolError extends Error {}

export interface SpdyHandlers {
  /** The client opened a stream (SYN_STREAM), with its lower-case headers. */
  stream(id: number, headers: Map<string, string>, fin: boolean): Promise<void> | void;
  /** Bytes on a stream; `fin`: the client has finished writing to it. Reading waits for a returned promise. */
  data(id: number, chunk: Buffer, fin: boolean): Promise<void> | void;
  /** The client reset the stream. */
  reset(id: number): void;
}

/** One direction's zlib context: every header block goes through it in order, each ending with a sync flush. */
function headerCodec<T extends Inflate | Deflate>(codec: T, limit: number) {
  let collected: Buffer[] = [];
  let size = 0;
  codec.on("data", (chunk: Buffer) => {
    size += chunk.length;
    collected.push(chunk);
  });
  codec.on("error", () => undefined);
  let queue: Promise<Buffer> = Promise.resolve(Buffer.alloc(0));
  return (block: Buffer): Promise<Buffer> => {
    queue = queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          collected = [];
          size = 0;
          codec.write(block);
          codec.flush(constants.Z_SYNC_FLUSH, () => {
            if (codec.destroyed) return reject(new SpdyProtocolError("a header block could not be read"));
            if (size > limit) return reject(new SpdyProtocolError(`a header block inflates to more than ${limit} bytes`));
            resolve(Buffer.concat(collected));
          });
        }),
    );
    return queue;
  };
}

function parseHeaderBlock(block: Buffer): Map<string, string> {
  const headers = new Map<string, string>();
  let offset = 0;
  const take = () => {
    if (offset + 4 > block.length) throw new SpdyProtocolError("a header block ends early");
    const length = block.readUInt32BE(offset);
    if (offset + 4 + length > block.length) throw new SpdyProtocolError("a header block ends early");
    const text = block.toString("latin1", offset + 4, offset + 4 + length);
    offset += 4 + length;
    return text;
  };
  if (block.length < 4) throw new SpdyProtocolError("a header block ends early");
  const count = block.readUInt32BE(0);
  offset = 4;
  if (count > MAX_HEADERS) throw new SpdyProtocolError(`a header block has ${count} headers, more than ${MAX_HEADERS}`);
  for (let index = 0; index < count; index++) headers.set(take().toLowerCase(), take());
  return headers;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16BE(0x8000 | VERSION, 0);
  header.writeUInt16BE(type, 2);
  header.writeUInt32BE(((flags << 24) | payload.length) >>> 0, 4);
  return Buffer.concat([header, payload]);
}

const uint32s = (...values: number[]) => {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((value, index) => buffer.writeUInt32BE(value >>> 0, index * 4));
  return buffer;
};

export interface SpdySession {
  /** Accepts a stream the client opened (SYN_REPLY without headers), after which its data may go. */
  reply(id: number): Promise<void>;
  /** Bytes to the client on a stream, `fin` ending it; resolves once the transport can take more. */
  send(id: number, chunk: Buffer, fin?: boolean): Promise<void>;
  reset(id: number, status: number): Promise<void>;
  /** Resolves when the client's side has ended (or broke the protocol, with the reason). */
  readonly done: Promise<string | null>;
}

/** Serves a SPDY/3.1 session on `transport` until the client ends it or breaks the protocol, which ends the transport. */
export function serveSpdy(transport: Duplex, handlers: SpdyHandlers): SpdySession {
  const inflate = headerCodec(createInflate({ dictionary: SPDY_DICTIONARY }), MAX_INFLATED_HEADER_BYTES);
  const deflate = headerCodec(createDeflate({ dictionary: SPDY_DICTIONARY }), Infinity);
  /** Frames go out in the order they were asked for, a reply's compression included. */
  let outgoing = Promise.resolve();
  const write = (frame: () => Buffer | Promise<Buffer>) => {
    outgoing = outgoing.then(async () => {
      if (transport.destroyed || transport.writableEnded) return;
      if (!transport.write(await frame())) await Promise.race([once(transport, "drain"), once(transport, "close")]);
    });
    return outgoing;
  };

  async function readFrames(): Promise<string | null> {
    let buffered: Buffer = Buffer.alloc(0);
    for await (const chunk of transport) {
      buffered = buffered.length === 0 ? (chunk as Buffer) : Buffer.concat([buffered, chunk as Buffer]);
      while (buffered.length >= 8) {
        const length = buffered.readUInt32BE(4) & 0xffffff;
        const control = (buffered[0]! & 0x80) !== 0;
        if (length > (control ? MAX_HEADER_BLOCK_BYTES : MAX_FRAME_BYTES)) throw new SpdyProtocolError(`a frame of ${length} bytes is larger than this server takes`);
        if (buffered.length < 8 + length) break;
        const flags = buffered[4]!;
        const payload = buffered.subarray(8, 8 + length);
        if (control) await controlFrameIn(buffered.readUInt16BE(0) & 0x7fff, buffered.readUInt16BE(2), flags, payload);
        else await handlers.data(buffered.readUInt32BE(0) & 0x7fffffff, payload, (flags & FLAG_FIN) !== 0);
        buffered = buffered.subarray(8 + length);
      }
    }
    return null;
  }

  async function controlFrameIn(version: number, type: number, flags: number, payload: Buffer) {
    if (version !== VERSION) throw new SpdyProtocolError(`SPDY version ${version} is not served; this server speaks SPDY/3.1`);
    const id = payload.length >= 4 ? payload.readUInt32BE(0) & 0x7fffffff : 0;
    if (type === TYPE.synStream) {
      if (payload.length < 10) throw new SpdyProtocolError("a SYN_STREAM frame is too short");
      await handlers.stream(id, parseHeaderBlock(await inflate(payload.subarray(10))), (flags & FLAG_FIN) !== 0);
    } else if (type === TYPE.headers) {
      // Read only to keep the zlib context in step with the client's.
      await inflate(payload.subarray(4));
    } else if (type === TYPE.rstStream) handlers.reset(id);
    else if (type === TYPE.ping) await write(() => controlFrame(TYPE.ping, 0, payload.subarray(0, 4)));
    else if (type === TYPE.goAway) transport.end();
  }

  const done = readFrames().then(
    (reason) => reason,
    (error: Error) => {
      transport.destroy();
      return error instanceof SpdyProtocolError ? error.message : `the tunnel broke: ${error.message}`;
    },
  );

  return {
    done,
    reply: (id) => write(async () => controlFrame(TYPE.synReply, 0, Buffer.concat([uint32s(id), await deflate(uint32s(0))]))),
    async send(id, chunk, fin = false) {
      let offset = 0;
      do {
        const part = chunk.subarray(offset, offset + MAX_FRAME_BYTES);
        offset += part.length;
        const flags = fin && offset >= chunk.length ? FLAG_FIN : 0;
        await write(() => Buffer.concat([uint32s(id, (flags << 24) | part.length), part]));
      } while (offset < chunk.length);
    },
    reset: (id, status) => write(() => controlFrame(TYPE.rstStream, 0, uint32s(id, status))),
  };
}
