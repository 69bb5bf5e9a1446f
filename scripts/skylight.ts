// Starts Skylight: resolves the database (DATABASE_URL, or the embedded PostgreSQL under
// SKYLIGHT_DATA_DIR), prepares it, then runs the Next.js server with the database and auth
// secret in its environment. `engine` runs only the engine (no web server); `prepare` stops after
// preparing (useful for deploy pipelines).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { readConfig } from "@/lib/config";
import { ensureDatabase, startEmbeddedPostgres, type RunningPostgres } from "@/lib/db/embedded-postgres";
import { prepareInstallation } from "@/lib/boot/prepare-installation";

const mode = process.argv[2];
if (mode !== "dev" && mode !== "start" && mode !== "prepare" && mode !== "engine") {
  console.error("usage: skylight <dev|start|engine|prepare>");
  process.exit(2);
}

const log = (message: string) => console.log(`[skylight] ${message}`);
const config = readConfig();

let embedded: RunningPostgres | undefined;
let databaseUrl = config.databaseUrl;
if (!databaseUrl) {
  log(`DATABASE_URL is unset: using the embedded PostgreSQL in ${config.dataDir}`);
  embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort });
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
  const server = spawn(process.execPath, ["--import", "tsx", consoleServer, mode], {
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
      server.kill(signal);
    });
  }
  server.on("exit", async (code) => {
    await embedded?.stop();
    process.exit(stopping ? 0 : (code ?? 1));
  });
}
