// Starts this process's Kubernetes API server (inside the Next.js server, beside the engine) on
// SKYLIGHT_KUBE_PORT, unless it is 0. Several app processes on one machine share the port: the
// first binds it, the others log that it is taken and serve the console only.
import { readConfig } from "@/lib/config";
import { getPool } from "@/lib/db/pool";
import { startKubeApiServer, type RunningKubeServer } from "@/lib/kube/kube-server";

const processGlobal = globalThis as unknown as { skylightKubeApi?: Promise<RunningKubeServer | null> };

export function startKubeApiInThisProcess(): Promise<RunningKubeServer | null> {
  const config = readConfig();
  const databaseUrl = process.env.DATABASE_URL;
  if (config.kubePort === 0 || !databaseUrl) return Promise.resolve(null);
  processGlobal.skylightKubeApi ??= startKubeApiServer({ pool: getPool(), connectionString: databaseUrl, port: config.kubePort, hostnames: [...config.kubeHostnames, new URL(config.publicUrl).hostname] })
    .then((server) => {
      console.log(`[kube] Kubernetes API on https://localhost:${server.port}`);
      return server;
    })
    .catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") console.log(`[kube] port ${config.kubePort} is taken (another Skylight process serves the Kubernetes API); this process serves the console only`);
      else console.error(`[kube] the Kubernetes API did not start: ${error.message}`);
      return null;
    });
  return processGlobal.skylightKubeApi;
}
