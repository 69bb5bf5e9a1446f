// Next.js calls register() once when a server process starts: the engine runs inside it unless
// SKYLIGHT_ENGINE=off.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startEngineInThisProcess } = await import("@/lib/engine/engine-host");
  startEngineInThisProcess();
}
