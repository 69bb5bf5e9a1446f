// Looks up what lib/auth/authorize.ts needs to decide about an object named only by its uid (the
// object routes, its tasks and events), and asks it.
import "server-only";
import { authorize, can, type UserActor, type Verb } from "@/lib/auth/authorize";
import { getPool } from "@/lib/db/pool";
import { NotFoundError } from "@/lib/errors";
import { isUid } from "@/lib/inventory/object-view";

export async function authorizeObject(actor: UserActor, verb: Verb, uid: string): Promise<void> {
  const { rows } = isUid(uid) ? await getPool().query<{ kind: string; namespace: string; name: string }>(`SELECT kind, namespace, name FROM resources WHERE uid = $1`, [uid]) : { rows: [] };
  const ref = rows[0];
  if (ref) return authorize(actor, verb, ref);
  // A deleted object's history stays readable for those who could read everything.
  if (verb === "read" && can(actor, "inventory.read")) return;
  throw new NotFoundError("This object does not exist, or is not in one of your namespaces.");
}
