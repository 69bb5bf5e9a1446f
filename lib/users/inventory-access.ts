// Who may act on inventory objects, for an object's Permissions tab. Roles are global today, so
// every enabled user whose role grants inventory access holds it on every object.
import { can, assertCan, type Actor } from "@/lib/auth/authorize";
import { ROLES, type Role } from "@/lib/auth/roles";
import { prisma } from "@/lib/db/prisma";

export interface InventoryAccessRow {
  username: string;
  name: string;
  role: Role;
}

const INVENTORY_ROLES = ROLES.filter((role) => can({ id: "", role }, "inventory.read"));

export async function readInventoryAccess(actor: Actor): Promise<InventoryAccessRow[]> {
  assertCan(actor, "inventory.read");
  const users = await prisma.user.findMany({
    where: { role: { in: [...INVENTORY_ROLES] }, banned: false },
    select: { username: true, email: true, name: true, role: true },
  });
  return users
    .map((user) => ({ username: user.username ?? user.email, name: user.name, role: user.role as Role }))
    .sort((a, b) => INVENTORY_ROLES.indexOf(a.role) - INVENTORY_ROLES.indexOf(b.role) || a.username.localeCompare(b.username));
}
