// A host's last heartbeat, asked of the infrastructure when read. The Host object's status keeps
// the time of its last other change only: writing every heartbeat of thousands of hosts into it
// would be most of the database's work.
import "server-only";
import { getPool } from "@/lib/db/pool";
import { getProvider } from "@/lib/engine/provider-registry";
import { isUid } from "@/lib/inventory/object-view";

export interface HostHeartbeat {
  lastHeartbeat: string | null;
}

export async function readHostHeartbeat(uid: string): Promise<HostHeartbeat | null> {
  if (!isUid(uid)) return null;
  const host = (await getPool().query<{ name: string }>(`SELECT name FROM resources WHERE uid = $1 AND kind = 'Host'`, [uid])).rows[0];
  if (!host) return null;
  const observed = await getProvider().findHost(host.name);
  return { lastHeartbeat: observed?.lastHeartbeat.toISOString() ?? null };
}
