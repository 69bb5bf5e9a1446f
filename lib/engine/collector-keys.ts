// How the garbage collector's passes are keyed in the reconcile queue, and which a removal asks
// for. One key per object uid (GarbageCollector//<uid>), whatever part the object plays: the pass
// looks at it as an owner (gone, or being deleted in the foreground or orphaning) and as a
// dependent (are its owners still there?). A removed object's pass is asked for only when something
// still refers to it, and an owner waiting in the foreground is looked at again as each of its
// dependents goes: both found through the GIN index on owner_references.
import { z } from "zod";
import type { Db } from "@/lib/db/pool";
import { FOREGROUND_FINALIZER, type OwnerReferenceShape } from "@/lib/vocabulary/engine-owned-metadata";

export const COLLECTOR_KIND = "GarbageCollector";

export const collectorKey = (uid: string) => `${COLLECTOR_KIND}//${uid}`;

/** The uids a reference can name: what PostgreSQL's uuid type reads. */
export const isUid = (value: unknown): value is string => z.guid().safeParse(value).success;

/** `[{"uid": …}]`, the containment pattern that finds an object's dependents through the index. */
export const referencesTo = (uid: string, extra: Partial<OwnerReferenceShape> = {}) => JSON.stringify([{ uid, ...extra }]);

/** The passes a removal of `uid` asks for: its own, when something refers to it; its owners' deleted in the foreground. */
export async function collectorKeysAfterRemoval(db: Db, uid: string, ownerReferences: OwnerReferenceShape[]): Promise<string[]> {
  const owners = ownerReferences.map((reference) => reference.uid).filter(isUid);
  const { rows } = await db.query<{ uid: string }>({
    name: "collector-keys-after-removal",
    text: `SELECT $1::text AS uid WHERE EXISTS (SELECT 1 FROM resources WHERE owner_references @> $2::jsonb)
           UNION ALL
           SELECT uid::text FROM resources WHERE uid = ANY($3::uuid[]) AND deletion_timestamp IS NOT NULL AND $4 = ANY(finalizers)`,
    values: [uid, referencesTo(uid), owners, FOREGROUND_FINALIZER],
  });
  return rows.map((row) => collectorKey(row.uid));
}
