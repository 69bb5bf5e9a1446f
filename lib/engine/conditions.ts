// Kubernetes-style status conditions: setting one keeps its lastTransitionTime unless its status
// actually changes, so the time says when the state began, not when it was last looked at.
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export function setCondition(
  conditions: Condition[] | undefined,
  type: string,
  status: Condition["status"],
  reason: string,
  message = "",
  now = new Date(),
): Condition[] {
  const list = conditions ?? [];
  const existing = list.find((condition) => condition.type === type);
  const next: Condition = {
    type,
    status,
    reason,
    message,
    lastTransitionTime: existing && existing.status === status ? existing.lastTransitionTime : now.toISOString(),
  };
  return existing ? list.map((condition) => (condition.type === type ? next : condition)) : [...list, next];
}

export function conditionOf(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}
