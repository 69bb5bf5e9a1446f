// What of a change notice one reader may learn. Administrators and operators get every notice
// whole; a reader who sees only their namespaces gets only the uids of objects they can see (a
// notice with none is not sent), and no task ids, so another namespace's changes never reach
// their browser. A uid once seen as visible stays known for the stream, so the notice of its
// deletion (when the row is gone and can no longer be checked) still arrives, until the stream
// revalidates (periodically, and when their access changes): then objects they can no longer see
// are forgotten, so nothing more of them arrives. Notices that list
// no uids (one statement changed too many objects) name only kinds and pass as they are: the
// refetches they prompt are authorized like any read.
import { can, identityVisibilitySql, readAccessScope, type AccessScope, type UserActor } from "@/lib/auth/authorize";
import { getPool, type Db } from "@/lib/db/pool";
import type { ChangeNotice } from "@/lib/live/live-dependencies";

/** How long a stream trusts the namespaces it read (a new namespace of theirs shows up after this). */
const SCOPE_TTL_MS = 5_000;

export interface NoticeFilter {
  /** What of the notice this reader may learn, or null for nothing. */
  filter(notice: ChangeNotice): Promise<ChangeNotice | null>;
  /** Reads the reader's access afresh and forgets the objects they can no longer see. */
  revalidate(): Promise<void>;
}

export function createNoticeFilter(actor: UserActor, db: Db = getPool(), now = () => Date.now()): NoticeFilter {
  if (can(actor, "inventory.read")) return { filter: async (notice) => notice, revalidate: async () => undefined };
  const known = new Set<string>();
  let scope: AccessScope | null = null;
  let scopeReadAt = 0;

  const readScope = async () => {
    scope = await readAccessScope(actor, db);
    scopeReadAt = now();
    return scope;
  };
  /**
   * The uids among `uids` whose rows exist and are (or, with `negate`, are not) visible. By
   * identity: the scope names namespaces by uid, so a namespace re-created under a name the scope
   * knew (within its few seconds) is not taken for the one the reader may see.
   */
  const selectVisible = async (currentScope: AccessScope, uids: string[], negate = false) => {
    const values: unknown[] = [uids];
    const condition = identityVisibilitySql(currentScope, { uid: "r.uid", namespaceUid: "n.uid" }, (value) => `$${values.push(value)}`);
    const { rows } = await db.query<{ uid: string }>(
      `SELECT r.uid::text FROM resources r
         LEFT JOIN resources n ON r.namespace <> '' AND n.kind = 'Namespace' AND n.namespace = '' AND n.name = r.namespace
        WHERE r.uid = ANY($1::uuid[]) AND ${negate ? `NOT COALESCE((${condition}), FALSE)` : condition}`,
      values,
    );
    return rows.map((row) => row.uid);
  };

  const visible = async (uids: string[]) => {
    const unknown = uids.filter((uid) => !known.has(uid));
    if (unknown.length > 0) {
      const currentScope = scope && now() - scopeReadAt <= SCOPE_TTL_MS ? scope : await readScope();
      for (const uid of await selectVisible(currentScope, unknown)) known.add(uid);
    }
    return uids.filter((uid) => known.has(uid));
  };

  return {
    async filter(notice) {
      if (notice.uids === null) return notice;
      const uids = await visible(notice.uids);
      if (uids.length === 0) return null;
      return { ...notice, uids, ids: notice.source === "tasks" ? null : notice.ids, count: uids.length };
    },
    async revalidate() {
      const currentScope = await readScope();
      if (known.size === 0) return;
      for (const uid of await selectVisible(currentScope, [...known], true)) known.delete(uid);
    },
  };
}
