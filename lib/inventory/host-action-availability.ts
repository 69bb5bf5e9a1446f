// Which Host › Actions apply to a host as it is now, and in words why the others do not.
export type HostAction = "enterMaintenanceMode" | "exitMaintenanceMode" | "disconnect" | "connect" | "remove";
/** Failure injection on a simulated host (administrators). */
export type FailureAction = "simulateFailure" | "recover";

interface HostState {
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

/** The reason each action is unavailable; an action missing from the result is available. */
export function unavailableHostActions({ spec, status }: HostState): Partial<Record<HostAction, string>> {
  const maintenanceWanted = spec.maintenanceMode === true;
  const inMaintenance = status.inMaintenanceMode === true;
  const disconnected = spec.disconnected === true;
  const entering = maintenanceWanted && !inMaintenance;
  const reasons: Partial<Record<HostAction, string>> = {};
  if (inMaintenance) reasons.enterMaintenanceMode = "The host is already in maintenance mode.";
  else if (entering) reasons.enterMaintenanceMode = "The host is entering maintenance mode.";
  else if (disconnected) reasons.enterMaintenanceMode = "Connect the host first, so its VMs can be migrated.";
  if (!maintenanceWanted) reasons.exitMaintenanceMode = "The host is not in maintenance mode.";
  if (disconnected) reasons.disconnect = "The host is already disconnected.";
  else if (entering) reasons.disconnect = "Wait until the host is in maintenance mode, or exit it.";
  if (!disconnected) reasons.connect = "The host is connected.";
  if (!inMaintenance) reasons.remove = "Only a host in maintenance mode can be removed. Enter maintenance mode first.";
  return reasons;
}

/** Simulate Failure applies to a host that responds; Recover to one that does not. */
export function unavailableFailureActions({ status }: HostState): Partial<Record<FailureAction, string>> {
  return status.connectionState === "notResponding"
    ? { simulateFailure: "The host is not responding already." }
    : { recover: "The host is responding: only a failed host can be recovered." };
}
