// Next.js calls register() once when a server process starts: its errors go through the
// rate-limited log, the engine runs inside it unless SKYLIGHT_ENGINE=off, and the Kubernetes API
// listens on SKYLIGHT_KUBE_PORT unless it is 0.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { rateLimitConsoleErrors } = await import("@/lib/log/rate-limited-log");
  rateLimitConsoleErrors();
  const { startEngineInThisProcess } = await import("@/lib/engine/engine-host");
  startEngineInThisProcess();
  const { startKubeApiInThisProcess } = await import("@/lib/kube/kube-host");
  void startKubeApiInThisProcess();
}
