// Starts Skylight: resolves the database (DATABASE_URL, or the embedded PostgreSQL under
// SKYLIGHT_DATA_DIR, supervised: started again if it stops), prepares it, then runs the Next.js
// server with the database and auth secret in its environment; `start` first builds the console
// when its production build is missing or older than the sources. `engine` runs only the engine (no
// web server); `prepare` stops after preparing (useful for deploy pipelines).
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readConfig } from "@/lib/config";
import { ensureDatabase, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { superviseEmbeddedPostgres } from "@/lib/db/postgres-supervisor";
import { prepareInstallation } from "@/lib/boot/prepare-installation";
import { rateLimitConsoleErrors } from "@/lib/log/rate-limited-log";
import { ensureProductionBuild } from "./production-build";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start" && mode !== "prepare" && mode !== "engine") {
  console.error("usage: skylight <dev|start|engine|prepare>");
  process.exit(2);
}

rateLimitConsoleErrors();
const log = (message: string) => console.log(`[skylight] ${message}`);
const config = readConfig();
if (mode === "start") ensureProductionBuild(fileURLToPath(new URL("..", import.meta.url)), log);

let server: ChildProcess | undefined;
let gaveUp = false;

let embedded: RunningPostgres | undefined;
let databaseUrl = config.databaseUrl;
if (!databaseUrl) {
  log(`DATABASE_URL is unset: using the embedded PostgreSQL in ${config.dataDir}`);
  embedded = await superviseEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPostgresPort,
    restartWithinMs: config.embeddedPostgresRestartMs,
    report: log,
    onGiveUp(error) {
      // Serving on without a database would answer every request with an error: stop instead.
      console.error(`[skylight] ${error.message}`);
      gaveUp = true;
      if (server) server.kill("SIGTERM");
      else process.exit(1);
    },
  });
  await ensureDatabase(embedded.serverUrl, "skylight");
  databaseUrl = embedded.urlFor("skylight");
}

const { authSecret } = await prepareInstallation(databaseUrl, config, log);

if (mode === "prepare") {
  await embedded?.stop();
  process.exit(0);
}

if (mode === "engine") {
  process.env.DATABASE_URL = databaseUrl;
  const { startEngineInThisProcess } = await import("@/lib/engine/engine-host");
  if (!startEngineInThisProcess()) {
    console.error("SKYLIGHT_ENGINE=off: nothing to run.");
    process.exit(2);
  }
} else {
  startServer(mode, databaseUrl, authSecret);
}

function startServer(mode: "dev" | "start", databaseUrl: string, authSecret: string) {
  const consoleServer = fileURLToPath(new URL("./console-server.ts", import.meta.url));
  server = spawn(process.execPath, ["--import", "tsx", consoleServer, mode], {
    stdio: "inherit",
    env: {
      ...process.env,
      NODE_ENV: mode === "dev" ? "development" : "production",
      DATABASE_URL: databaseUrl,
      BETTER_AUTH_SECRET: authSecret,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });

  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      stopping = true;
      server?.kill(signal);
    });
  }
  server.on("exit", async (code) => {
    await embedded?.stop();
    process.exit(gaveUp ? 1 : stopping ? 0 : (code ?? 1));
  });
}
