// Writes a stream of bytes to a new file while computing its sha256 (or hashes a file in place), never holding more than a
// chunk in memory, and stops at a size limit: an upload into the library's store and an agent's
// download of an image both go through it. The caller removes the file when it throws.
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export class SizeLimitError extends Error {
  constructor(readonly limitBytes: number) {
    super(`more than ${limitBytes} bytes`);
  }
}

export interface HashedFile {
  size: number;
  sha256: string;
}

export async function writeHashed(
  source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  file: string,
  { limitBytes = Number.POSITIVE_INFINITY, onProgress }: { limitBytes?: number; onProgress?: (bytes: number) => void } = {},
): Promise<HashedFile> {
  const hash = createHash("sha256");
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > limitBytes) return done(new SizeLimitError(limitBytes));
      hash.update(chunk);
      onProgress?.(size);
      done(null, chunk);
    },
  });
  // "wx": a file already there is someone else's; never write into it.
  await pipeline(source, counter, createWriteStream(file, { flags: "wx" }));
  return { size, sha256: hash.digest("hex") };
}

/** A file's size and sha256, read as a stream. */
export async function hashFile(file: string): Promise<HashedFile> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    hash.update(chunk);
  }
  return { size, sha256: hash.digest("hex") };
}
