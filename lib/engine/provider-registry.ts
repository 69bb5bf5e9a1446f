// Chooses the process's infrastructure provider. The embedded simulator is the only one today;
// this is where a real hypervisor driver would be selected instead.
import { getPool } from "@/lib/db/pool";
import { readEngineConfig } from "@/lib/engine/engine-config";
import type { InfrastructureProvider } from "@/lib/provider/provider";
import { createSimulator } from "@/lib/simulator/simulator";

const processGlobal = globalThis as unknown as { skylightProvider?: InfrastructureProvider };

export function getProvider(): InfrastructureProvider {
  if (!processGlobal.skylightProvider) {
    const config = readEngineConfig();
    processGlobal.skylightProvider = createSimulator({
      db: getPool(),
      speed: config.simSpeed,
      failureRate: config.simFailureRate,
      seed: config.simSeed,
    });
  }
  return processGlobal.skylightProvider!;
}
