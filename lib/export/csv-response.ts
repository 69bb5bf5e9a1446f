// A CSV download streamed as it is read: rows arrive in chunks (from a database cursor) and each
// chunk is written when the client is ready for more, so memory holds one chunk whatever the list's
// size. The work is bounded: at most EXPORT_ROW_CAP rows, at most EXPORT_CONCURRENCY exports at once
// in a process (each holds a database connection while it runs), and reading stops (the cursor is
// closed) as soon as the client goes away.
import "server-only";
import { UserFacingError } from "@/lib/errors";
import { csvFilename, csvLine, EXPORT_ROW_CAP, type CsvValue } from "@/lib/export/csv";

export const EXPORT_CHUNK_ROWS = 1_000;
export const EXPORT_CONCURRENCY = 4;
/** A download the client stops reading (without closing it) gives up its place after this long. */
export const EXPORT_IDLE_MS = 60_000;

class TooManyExportsError extends UserFacingError {
  override readonly status = 503;
}

let running = 0;

// A byte order mark, so that spreadsheet programs read the file as UTF-8 rather than a local code page.
const UTF8_BOM = "\uFEFF";

interface CsvDownload {
  /** What the file holds ("vms", "events"), for its name. */
  subject: string;
  header: string[];
  chunks: AsyncIterator<CsvValue[][]>;
  /** The request's signal: a client that disconnects stops the reading. */
  signal: AbortSignal;
  rowCap?: number;
}

/**
 * The response for a CSV download. The first chunk is read before answering, so a query that fails
 * outright is an error response rather than a truncated file.
 */
export async function csvDownload({ subject, header, chunks, signal, rowCap = EXPORT_ROW_CAP }: CsvDownload): Promise<Response> {
  if (running >= EXPORT_CONCURRENCY) throw new TooManyExportsError(`${EXPORT_CONCURRENCY} exports are running already; try again when one has finished.`);
  running++;
  let stopped = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    running--;
    clearTimeout(idle);
    signal.removeEventListener("abort", stop);
    void chunks.return?.();
  };
  const waitForReader = () => {
    clearTimeout(idle);
    if (!stopped) idle = setTimeout(stop, EXPORT_IDLE_MS);
  };
  waitForReader();
  signal.addEventListener("abort", stop, { once: true });
  const encoder = new TextEncoder();
  let pending: IteratorResult<CsvValue[][]> | null;
  try {
    pending = await chunks.next();
  } catch (error) {
    stop();
    throw error;
  }
  let written = 0;
  const finish = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    stop();
    controller.close();
  };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(UTF8_BOM + csvLine(header)));
    },
    async pull(controller) {
      try {
        waitForReader();
        const next = pending ?? (await chunks.next());
        pending = null;
        if (next.done || stopped || written >= rowCap) return finish(controller);
        const rows = next.value.slice(0, rowCap - written);
        written += rows.length;
        controller.enqueue(encoder.encode(rows.map(csvLine).join("")));
      } catch (error) {
        stop();
        controller.error(error);
      }
    },
    cancel: stop,
  });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${csvFilename(subject, new Date())}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
