// VM Overrides on a cluster, decided: a VM's DRS automation level (its override, or the
// cluster's) and its vSphere HA restart priority (its override, or medium), and which VMs of a
// failed host vSphere HA restarts before a given one.
import type { Db } from "@/lib/db/pool";
import { HA_RESTART_PRIORITIES, type ClusterSpec, type VmOverride } from "@/lib/engine/schemas";
import { DEFAULT_HA_RESTART_PRIORITY, type HaRestartPriority, type VmDrsAutomationLevel } from "@/lib/vocabulary/drs-rules";

const overrideOf = (overrides: readonly VmOverride[] | undefined, vm: string) => overrides?.find((override) => override.vm === vm);

export function drsAutomationLevel(overrides: readonly VmOverride[] | undefined, vm: string, clusterLevel: ClusterSpec["drs"]["automationLevel"]): VmDrsAutomationLevel {
  return overrideOf(overrides, vm)?.drsAutomationLevel ?? clusterLevel;
}

export function haRestartPriority(overrides: readonly VmOverride[] | undefined, vm: string): HaRestartPriority {
  return overrideOf(overrides, vm)?.haRestartPriority ?? DEFAULT_HA_RESTART_PRIORITY;
}

/**
 * The VMs still on the failed host that vSphere HA restarts before `vm`: meant to run, of higher
 * priority, and not already given up on for want of a host (they must not hold the rest back).
 */
export async function restartsBefore(
  db: Db,
  overrides: readonly VmOverride[] | undefined,
  vm: { uid: string },
  failedHost: string,
  priority: HaRestartPriority,
): Promise<string[]> {
  const higher = (other: HaRestartPriority) => HA_RESTART_PRIORITIES.indexOf(other) > HA_RESTART_PRIORITIES.indexOf(priority);
  // Without a VM of higher priority in the cluster there is nothing to wait for, and nothing to read.
  if (!higher(DEFAULT_HA_RESTART_PRIORITY) && !overrides?.some((override) => override.haRestartPriority && higher(override.haRestartPriority))) return [];
  const { rows } = await db.query<{ vm: string }>(
    `SELECT namespace || '/' || name AS vm FROM resources
      WHERE kind = 'VirtualMachine' AND status->>'host' = $1 AND uid <> $2::uuid AND deletion_timestamp IS NULL
        AND spec->>'powerState' = 'PoweredOn'
        AND NOT COALESCE(status->'conditions' @> '[{"type": "Synced", "reason": "HARestartFailed"}]', false)`,
    [failedHost, vm.uid],
  );
  return rows.map((row) => row.vm).filter((other) => higher(haRestartPriority(overrides, other)));
}
