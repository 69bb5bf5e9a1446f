// How a tag is named in a list's URL (`tag=`) and in the header search (`tag:`): its id,
// `Category:Tag`, or a tag's name in whatever category (names compare without case). Turned into
// an EXISTS over tag_assignments, which reads the (tag, object) primary key, never every object.
import { isUid } from "@/lib/inventory/object-view";

export type TagReference = { id: string } | { category: string | null; tag: string };

/** Adds a value to the statement's parameters and returns its placeholder. */
type Bind = (value: unknown) => string;

export function parseTagReference(text: string): TagReference | null {
  const trimmed = text.trim();
  if (!trimmed) return null;
  if (isUid(trimmed)) return { id: trimmed };
  const colon = trimmed.indexOf(":");
  if (colon < 0) return { category: null, tag: trimmed };
  const category = trimmed.slice(0, colon).trim();
  const tag = trimmed.slice(colon + 1).trim();
  return tag ? { category: category || null, tag } : null;
}

/** The ids of the tags `reference` names, as a subquery. */
export function tagIdsSql(reference: TagReference, bind: Bind): string {
  if ("id" in reference) return `SELECT ${bind(reference.id)}::uuid`;
  const byName = `lower(t.name) = lower(${bind(reference.tag)})`;
  if (reference.category === null) return `SELECT t.id FROM tags t WHERE ${byName}`;
  return `SELECT t.id FROM tags t JOIN tag_categories c ON c.id = t.category_id WHERE ${byName} AND lower(c.name) = lower(${bind(reference.category)})`;
}

/** The condition "the object whose uid is `uidColumn` holds a tag `reference` names". */
export const taggedSql = (uidColumn: string, reference: TagReference, bind: Bind) =>
  `EXISTS (SELECT 1 FROM tag_assignments ta WHERE ta.object_uid = ${uidColumn} AND ta.tag_id IN (${tagIdsSql(reference, bind)}))`;
