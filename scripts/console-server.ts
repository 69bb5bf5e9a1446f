// The console's HTTP server, started by scripts/skylight.ts: Next.js (development or production)
// behind a listener that first records each request's client address from the connection
// (lib/http/client-address.ts). `next start` alone cannot: it keeps whatever X-Forwarded-For a
// client sends, so sign-in limits per address would be the client's to choose. It also serves the
// web console's websocket (lib/web-console/console-route.ts), which Next.js route handlers cannot.
import { createServer } from "node:http";
import next from "next";
import { readConfig } from "@/lib/config";
import { compileProxyTrust, stampClientAddress } from "@/lib/http/client-address";
import { REQUEST_HOST_HEADER } from "@/lib/http/console-name";
import { createWebConsoleRoute } from "@/lib/web-console/console-route";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start") {
  console.error("usage: console-server <dev|start>");
  process.exit(2);
}

const config = readConfig();
const trust = compileProxyTrust(config.trustedProxies);
const app = next({ dev: mode === "dev", port: config.port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  stampClientAddress(request, trust);
  // Kept when present: after a server action's redirect Next.js renders the new page through a
  // request of its own to localhost, carrying the browser's headers, this one among them.
  request.headers[REQUEST_HOST_HEADER] ??= request.headers.host ?? "";
  void handle(request, response);
});
// The web console's websocket is ours; development's hot reload talks over Next's.
const webConsole = createWebConsoleRoute({ publicUrl: config.publicUrl });
const upgrade = app.getUpgradeHandler();
server.on("upgrade", (request, socket, head) => {
  stampClientAddress(request, trust);
  if (webConsole.handles(request)) webConsole.upgrade(request, socket, head);
  else void upgrade(request, socket, head);
});
server.listen(config.port, () => void warmUp().finally(() => console.log(`[skylight] console on ${config.publicUrl}`)));

/**
 * Next.js loads each route's modules on its first request, which on a small machine busy with the
 * engine's first passes costs seconds: the sign-in page is asked for once here, before the console
 * says it is on, so the first person to open it does not wait for that.
 */
async function warmUp() {
  try {
    await fetch(`http://127.0.0.1:${config.port}/login`, { signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    console.error(`[skylight] warming up the sign-in page failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

