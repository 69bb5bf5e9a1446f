// Whether a VM's web console can be launched, for its Actions menu, its Summary and the console's
// own page: a VM in a cluster of real hosts has a screen (lib/web-console/console-target.ts); a
// simulated one does not, and the reader is told why. Who may type (edit role and above) or only
// watch (view role) is decided here as the websocket route decides it.
import "server-only";
import { isAuthorized, type UserActor } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { readConsoleTarget } from "@/lib/web-console/console-target";
import { webConsolePagePath } from "@/lib/vocabulary/web-console";

export interface WebConsoleView {
  namespace: string;
  name: string;
  /** The console's page. */
  path: string;
  /** Why the VM has no screen to show; null when it has one. */
  unavailable: string | null;
  /** Keyboard and mouse (edit role and above); false: the screen only. */
  canType: boolean;
}

/** The VM's web console as the reader may use it, or null when the VM does not exist or the reader may not see it. */
export async function readWebConsole(reader: UserActor, vm: { namespace: string; name: string }): Promise<WebConsoleView | null> {
  const ref = { kind: "VirtualMachine", ...vm };
  if (!(await isAuthorized(reader, "read", ref))) return null;
  const target = await readConsoleTarget(getPool(), vm);
  if (!target) return null;
  return {
    ...vm,
    path: webConsolePagePath(vm.namespace, vm.name),
    unavailable: target.kind === "simulated" ? `${vm.name} runs on a simulated host, which has no screen to show. Web consoles are for VMs on hosts running the Skylight agent.` : null,
    canType: await isAuthorized(reader, "operate", ref),
  };
}
