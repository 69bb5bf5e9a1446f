// Server-sent events of this process's coalesced change notices, for the browser's query cache.
// Each stream passes its notices through the reader's filter (lib/live/notice-filter.ts): a
// developer learns only of changes to objects they can see, and every read a notice prompts is
// authorized on its own. The stream re-checks its session every few seconds and at once on an
// access change (lib/auth/session-guard.ts): it tells the browser "signed-out" and closes when the
// session has ended or the user is disabled, closes (for a reconnect with the new role) when the
// role changed, and otherwise re-reads what the reader may see. A page's first stream asks, with
// `?replay=MS`, for the changes of its last MS milliseconds: those made while it loaded.
import { guardSession } from "@/lib/auth/session-guard";
import { withUser } from "@/lib/http/route-handler";
import { getLiveHub, replayWindowFrom, type LiveMessage } from "@/lib/live/live-hub";
import { createNoticeFilter } from "@/lib/live/notice-filter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 2_000;

export const GET = withUser(async (request, user) => {
  const replayMs = replayWindowFrom(new URL(request.url).searchParams.get("replay"));
  const hub = getLiveHub();
  const { filter, revalidate } = createNoticeFilter(user);
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
      const resync = () => write("event: resync\ndata: {}\n\n");
      // Notices are filtered one after another, so they reach the browser in the order they came,
      // and a revalidation applies to every notice after it.
      let queue = Promise.resolve();
      const inOrder = (step: () => Promise<void> | void) => (queue = queue.then(step).catch(resync));
      const unsubscribe = hub.subscribe((message: LiveMessage) => {
        if (message.type === "resync") return void inOrder(resync);
        inOrder(async () => {
          const notice = await filter(message.notice);
          if (notice) write(`event: change\ndata: ${JSON.stringify(notice)}\n\n`);
        });
      }, replayMs);
      // The comment keeps proxies from closing an idle stream and lets us notice a gone browser.
      const heartbeat = setInterval(() => write(": heartbeat\n\n"), HEARTBEAT_MS);
      const stopGuard = guardSession({
        headers: request.headers,
        user,
        onStillValid: () => inOrder(revalidate),
        onEnd: (reason) => {
          if (reason === "signed-out") write("event: signed-out\ndata: {}\n\n");
          stop();
        },
      });
      stop = () => {
        unsubscribe();
        stopGuard();
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
