import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { VM_OVERALL_STATUS_SQL, vmOverallStatus } from "@/lib/inventory/vm-overall-status";

const condition = (type: string, status: string, reason: string) => ({ type, status, reason });

const cases: [string, object[] | undefined, string | undefined][] = [
  ["a VM the engine has not reported yet is Creating", undefined, "Creating"],
  ["a VM being created is Creating, not Warning", [condition("VirtualMachineCreated", "False", "Creating"), condition("Ready", "False", "OperationInProgress")], "Creating"],
  ["a VM waiting for capacity is a Warning", [condition("PlacementReady", "False", "InsufficientCapacity"), condition("Ready", "False", "NotPlaced")], "False"],
  ["a created VM powering on is In Progress", [condition("VirtualMachineCreated", "True", "Created"), condition("Ready", "False", "OperationInProgress")], "InProgress"],
  ["a created VM that is not ready otherwise is a Warning", [condition("VirtualMachineCreated", "True", "Created"), condition("Ready", "False", "NotReady")], "False"],
  ["a ready VM is Normal", [condition("VirtualMachineCreated", "True", "Created"), condition("Ready", "True", "Ready")], "True"],
];

describe("a VM's overall status", () => {
  it.each(cases)("%s, in the object's header and in lists sorted on the server alike", async (_, conditions, expected) => {
    expect(vmOverallStatus(conditions as never)).toBe(expected);
    const { rows } = await getPool().query<{ status: string | null }>(`SELECT ${VM_OVERALL_STATUS_SQL} AS status FROM (SELECT $1::jsonb AS status) r`, [
      JSON.stringify(conditions ? { conditions } : {}),
    ]);
    expect(rows[0]!.status ?? undefined).toBe(expected);
  });
});
