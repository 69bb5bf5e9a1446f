// A VM's overall status as the console shows it. The Ready condition alone would call a VM that
// is still being made, or in the middle of a power operation, "Warning"; vSphere shows those as
// what they are. Waiting for capacity (NotPlaced) stays a warning: it needs someone to act.
// The SQL (lists, sorted on the server) and the function (the object's header) say the same.

export type VmOverallStatus = "True" | "False" | "Creating" | "InProgress";

type Condition = { type: string; status: string; reason?: string };

const condition = (type: string) => `(SELECT c FROM jsonb_array_elements(r.status->'conditions') c WHERE c->>'type' = '${type}' LIMIT 1)`;

export const VM_OVERALL_STATUS_SQL = `(SELECT CASE
    WHEN ready->>'status' = 'True' THEN 'True'
    WHEN ready->>'reason' = 'NotPlaced' THEN 'False'
    WHEN created IS NULL OR created->>'status' <> 'True' THEN 'Creating'
    WHEN ready->>'reason' = 'OperationInProgress' THEN 'InProgress'
    ELSE ready->>'status' END
  FROM (SELECT ${condition("Ready")} AS ready, ${condition("VirtualMachineCreated")} AS created) conditions)`;

export function vmOverallStatus(conditions: Condition[] | undefined): VmOverallStatus | undefined {
  const ready = conditions?.find((each) => each.type === "Ready");
  const created = conditions?.find((each) => each.type === "VirtualMachineCreated");
  if (ready?.status === "True") return "True";
  if (ready?.reason === "NotPlaced") return "False";
  if (created?.status !== "True") return "Creating";
  if (ready?.reason === "OperationInProgress") return "InProgress";
  return ready?.status === "False" ? "False" : undefined;
}
