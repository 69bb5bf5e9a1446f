// The process's infrastructure provider: the embedded simulator for simulated hosts, and the agent
// provider for hosts that run the Skylight agent, routed per host and per VM.
import { getPool } from "@/lib/db/pool";
import { readEngineConfig } from "@/lib/engine/engine-config";
import { createAgentProvider } from "@/lib/provider/agent-provider";
import type { InfrastructureProvider } from "@/lib/provider/provider";
import { routeProviders } from "@/lib/provider/routed-provider";
import { createSimulator } from "@/lib/simulator/simulator";

const processGlobal = globalThis as unknown as { skylightProvider?: InfrastructureProvider };

export function getProvider(): InfrastructureProvider {
  if (!processGlobal.skylightProvider) {
    const config = readEngineConfig();
    const simulator = createSimulator({
      db: getPool(),
      speed: config.simSpeed,
      failureRate: config.simFailureRate,
      seed: config.simSeed,
    });
    processGlobal.skylightProvider = routeProviders(simulator, createAgentProvider({ db: getPool() }));
  }
  return processGlobal.skylightProvider!;
}
