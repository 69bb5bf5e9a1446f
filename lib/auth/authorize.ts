// The one place that decides what a signed-in user may do. Pages, server actions and route
// handlers all ask here; later issues add namespace-scoped rules beside the global ones.
import { ForbiddenError } from "@/lib/errors";
import type { Role } from "@/lib/auth/roles";

export type GlobalPermission = "users.manage" | "inventory.read" | "inventory.operate" | "simulator.injectFailures" | "alarms.manage";

const GRANTS: Record<Role, readonly GlobalPermission[]> = {
  administrator: ["users.manage", "inventory.read", "inventory.operate", "simulator.injectFailures", "alarms.manage"],
  operator: ["inventory.read", "inventory.operate"],
  developer: [],
};

const REFUSALS: Record<GlobalPermission, string> = {
  "users.manage": "Only administrators can manage users.",
  "inventory.read": "Only administrators and operators can see the whole inventory.",
  "inventory.operate": "Only administrators and operators can operate the inventory.",
  "simulator.injectFailures": "Only administrators can fail and recover simulated hosts.",
  "alarms.manage": "Only administrators can create and edit alarm definitions.",
};

export interface Actor {
  id: string;
  role: Role;
}

export function can(actor: Actor, permission: GlobalPermission): boolean {
  return GRANTS[actor.role].includes(permission);
}

export function assertCan(actor: Actor, permission: GlobalPermission): void {
  if (!can(actor, permission)) throw new ForbiddenError(REFUSALS[permission]);
}
