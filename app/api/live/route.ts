// Server-sent events of this process's coalesced change notices, for the browser's query cache.
// Each stream passes its notices through the reader's filter (lib/live/notice-filter.ts): a
// developer learns only of changes to objects they can see, and every read a notice prompts is
// authorized on its own.
import { withUser } from "@/lib/http/route-handler";
import { getLiveHub, type LiveMessage } from "@/lib/live/live-hub";
import { createNoticeFilter } from "@/lib/live/notice-filter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 2_000;

export const GET = withUser(async (request, user) => {
  const hub = getLiveHub();
  const filter = createNoticeFilter(user);
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
      // Notices are filtered one after another, so they reach the browser in the order they came.
      let queue = Promise.resolve();
      const unsubscribe = hub.subscribe((message: LiveMessage) => {
        if (message.type === "resync") {
          queue = queue.then(() => write("event: resync\ndata: {}\n\n"));
          return;
        }
        queue = queue
          .then(() => filter(message.notice))
          .then((notice) => {
            if (notice) write(`event: change\ndata: ${JSON.stringify(notice)}\n\n`);
          })
          .catch(() => write("event: resync\ndata: {}\n\n"));
      });
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
