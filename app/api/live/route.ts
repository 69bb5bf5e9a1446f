// Server-sent events of this process's coalesced change notices, for the browser's query cache.
// Any signed-in user may listen: a notice names only kinds and uids, and every read it prompts is
// authorized on its own.
import { withUser } from "@/lib/http/route-handler";
import { getLiveHub, type LiveMessage } from "@/lib/live/live-hub";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 2_000;

export const GET = withUser(async (request) => {
  const hub = getLiveHub();
  await hub.ready;
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const unsubscribe = hub.subscribe((message: LiveMessage) =>
        write(message.type === "change" ? `event: change\ndata: ${JSON.stringify(message.notice)}\n\n` : "event: resync\ndata: {}\n\n"),
      );
      // The comment keeps proxies from closing an idle stream and lets us notice a gone browser.
      const heartbeat = setInterval(() => write(": heartbeat\n\n"), HEARTBEAT_MS);
      stop = () => {
        unsubscribe();
        clearInterval(heartbeat);
        try {
          controller.close();
        } catch {
          // Already closed by the browser going away.
        }
      };
      request.signal.addEventListener("abort", () => stop(), { once: true });
      write(`retry: ${RECONNECT_MS}\n: connected\n\n`);
    },
    cancel: () => stop(),
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      // no-transform keeps the production server's gzip from buffering the stream.
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
});
