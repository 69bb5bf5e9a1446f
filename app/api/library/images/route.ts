import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { NextResponse } from "next/server";
import { assertCan } from "@/lib/auth/authorize";
import { readConfig } from "@/lib/config";
import { InvalidInputError } from "@/lib/errors";
import { withUser } from "@/lib/http/route-handler";
import { readLibraryImages } from "@/lib/inventory/library-reads";
import { importUpload, UploadTooLargeError } from "@/lib/library/library-store";

const noStore = { "Cache-Control": "no-store" };

export const GET = withUser(async (_request, user) => {
  assertCan(user, "inventory.read");
  return NextResponse.json({ images: await readLibraryImages() }, { headers: noStore });
});

/**
 * Import: the body is the file itself, streamed into the library's store as it arrives (never
 * held in memory); `?name=…&os=…&fileName=…` say what to call it. The caller is authorized from
 * the session cookie before a byte of the body is read, and a Content-Length over the limit is
 * refused before reading too; a body that runs over it anyway is cut off there.
 */
export const POST = withUser(async (request, user) => {
  assertCan(user, "inventory.operate");
  const search = new URL(request.url).searchParams;
  const limitBytes = readConfig().libraryMaxUploadBytes;
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limitBytes) throw new UploadTooLargeError(limitBytes);
  if (!request.body) throw new InvalidInputError("file", "The request has no file in its body.");
  try {
    const manifest = await importUpload({
      name: search.get("name") ?? "",
      os: search.get("os") || null,
      fileName: search.get("fileName"),
      source: Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>),
      limitBytes,
      actor: user,
    });
    return NextResponse.json({ image: manifest }, { status: 201, headers: noStore });
  } catch (error) {
    // A refused upload is a bad request, whichever rule it broke; the field says which.
    if (error instanceof InvalidInputError) return NextResponse.json({ error: { code: "InvalidInputError", field: error.field, message: `${error.field}: ${error.message}` } }, { status: 400, headers: noStore });
    throw error;
  }
});
