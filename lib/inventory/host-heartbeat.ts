// A host's last heartbeat, asked of the infrastructure when read. The Host object's status keeps
// the time of its last other change only: writing every heartbeat of thousands of hosts into it
// would be most of the database's work.
import "server-only";
import { getProvider } from "@/lib/engine/provider-registry";
import { readNameByUid } from "@/lib/inventory/object-view";

export interface HostHeartbeat {
  lastHeartbeat: string | null;
}

export async function readHostHeartbeat(uid: string): Promise<HostHeartbeat | null> {
  const name = await readNameByUid("Host", uid);
  if (name === null) return null;
  const observed = await getProvider().findHost(name);
  return { lastHeartbeat: observed?.lastHeartbeat.toISOString() ?? null };
}
