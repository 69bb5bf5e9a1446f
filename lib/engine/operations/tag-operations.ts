// The one write path of Tags & Custom Attributes: administrators create, edit and delete tag
// categories, tags and custom attribute definitions; administrators and operators assign and
// unassign tags and set attribute values on inventory objects. Categories and tags are edited
// from the version the form opened; a One-tag category replaces the object's tag of that category.
// Every write records an event: on the object for assignments and values (so its Summary and the
// lists refresh live), on the category, tag or attribute for the catalogue's own changes.
import type pg from "pg";
import { assertCan, auditName } from "@/lib/auth/authorize";
import { getPool, withTransaction } from "@/lib/db/pool";
import { recordEvent, recordEvents } from "@/lib/engine/activity";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import {
  attributeValueSchema,
  CARDINALITY_LABELS,
  customAttributeSchema,
  firstIssue,
  MAX_ASSIGN_OBJECTS,
  tagCategorySchema,
  tagSchema,
  TAGGABLE_KINDS,
  type CustomAttributeInput,
  type TagCategoryInput,
  type TagInput,
} from "@/lib/actions/tags/tag-schemas";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { z } from "zod";

function parse<T>(schema: z.ZodType<T>, input: unknown, fallbackField: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error, fallbackField);
    throw new InvalidInputError(field, message);
  }
  return parsed.data;
}

function duplicateName(error: unknown, message: string): never {
  if ((error as { code?: string }).code === "23505") throw new InvalidInputError("name", message);
  throw error;
}

/** Records a change to the catalogue itself, filed under the category, tag or attribute by name (none is an inventory object). */
function recordCatalogueChange(
  tx: pg.PoolClient,
  actor: OperationActor,
  kind: "TagCategory" | "Tag" | "CustomAttribute",
  action: "created" | "changed" | "deleted",
  name: string,
  message: string,
  change: { before?: unknown; after?: unknown },
) {
  return recordEvent(tx, { reason: `${kind}.${action}`, message: `${auditName(actor)} ${message}`, object: { kind, namespace: "", name }, actor: auditName(actor), ...change });
}
const kindList = (kinds: readonly string[]) => (kinds.length === 0 ? "every object type" : kinds.join(", "));

interface CategoryRow {
  id: string;
  name: string;
  description: string;
  cardinality: TagCategoryInput["cardinality"];
  object_kinds: TagCategoryInput["objectKinds"];
  version: number;
}

const categoryInput = (row: CategoryRow): TagCategoryInput => ({ name: row.name, description: row.description, cardinality: row.cardinality, objectKinds: row.object_kinds });

async function lockCategory(tx: pg.PoolClient, id: string, expectedVersion: number): Promise<CategoryRow> {
  const { rows: [current] } = await tx.query<CategoryRow>(`SELECT id::text, name, description, cardinality, object_kinds, version FROM tag_categories WHERE id = $1 FOR UPDATE`, [id]);
  if (!current) throw new NotFoundError("That tag category no longer exists.");
  if (current.version !== expectedVersion) throw new ConflictError("Tag category", current.name, String(current.version));
  return current;
}

export async function createTagCategory(actor: OperationActor, input: TagCategoryInput, pool: pg.Pool = getPool()): Promise<{ id: string; version: number }> {
  assertCan(actor, "tags.manage");
  const category = parse(tagCategorySchema, input, "name");
  return withTransaction(pool, async (tx) => {
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `INSERT INTO tag_categories (name, description, cardinality, object_kinds, updated_by) VALUES ($1, $2, $3, $4, $5) RETURNING id::text, version`,
        [category.name, category.description, category.cardinality, category.objectKinds, auditName(actor)],
      );
      await recordCatalogueChange(tx, actor, "TagCategory", "created", category.name, `created tag category '${category.name}' (${CARDINALITY_LABELS[category.cardinality]} per object, for ${kindList(category.objectKinds)})`, { after: category });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, `A tag category named "${category.name}" already exists.`);
    }
  });
}

/**
 * Edits a category from the version the form opened. Narrowing is refused while objects would
 * break it: One tag while an object holds two of its tags, or dropping a type whose objects hold one.
 */
export async function updateTagCategory(actor: OperationActor, id: string, expectedVersion: number, input: TagCategoryInput, pool: pg.Pool = getPool()): Promise<{ id: string; version: number }> {
  assertCan(actor, "tags.manage");
  const category = parse(tagCategorySchema, input, "name");
  return withTransaction(pool, async (tx) => {
    const current = await lockCategory(tx, id, expectedVersion);
    if (current.cardinality === "multiple" && category.cardinality === "single") {
      const { rows: [crowded] } = await tx.query<{ name: string }>(
        `SELECT r.name FROM tag_assignments a JOIN tags t ON t.id = a.tag_id JOIN resources r ON r.uid = a.object_uid
          WHERE t.category_id = $1 GROUP BY r.uid, r.name HAVING count(*) > 1 LIMIT 1`,
        [id],
      );
      if (crowded) throw new InvalidInputError("cardinality", `cardinality cannot become One tag: ${crowded.name} holds more than one tag of '${current.name}'.`);
    }
    if (category.objectKinds.length > 0) {
      const { rows: [outside] } = await tx.query<{ kind: string }>(
        `SELECT r.kind FROM tag_assignments a JOIN tags t ON t.id = a.tag_id JOIN resources r ON r.uid = a.object_uid
          WHERE t.category_id = $1 AND NOT r.kind = ANY($2::text[]) LIMIT 1`,
        [id, category.objectKinds],
      );
      if (outside) throw new InvalidInputError("objectKinds", `objectKinds must keep ${outside.kind}: objects of that type hold tags of '${current.name}'.`);
    }
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `UPDATE tag_categories SET name = $2, description = $3, cardinality = $4, object_kinds = $5, version = version + 1, updated_by = $6, updated_at = now()
          WHERE id = $1 RETURNING id::text, version`,
        [id, category.name, category.description, category.cardinality, category.objectKinds, auditName(actor)],
      );
      await recordCatalogueChange(tx, actor, "TagCategory", "changed", category.name, `edited tag category '${category.name}'`, { before: categoryInput(current), after: category });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, `A tag category named "${category.name}" already exists.`);
    }
  });
}

/** Deletes a category with its tags, which leave every object they were assigned to. */
export async function deleteTagCategory(actor: OperationActor, input: { id: string; expectedVersion: number }, pool: pg.Pool = getPool()): Promise<void> {
  assertCan(actor, "tags.manage");
  await withTransaction(pool, async (tx) => {
    const current = await lockCategory(tx, input.id, input.expectedVersion);
    const { rows: [counts] } = await tx.query<{ tags: number; assignments: number }>(
      `SELECT count(DISTINCT t.id)::int AS tags, count(a.tag_id)::int AS assignments FROM tags t LEFT JOIN tag_assignments a ON a.tag_id = t.id WHERE t.category_id = $1`,
      [input.id],
    );
    await tx.query(`DELETE FROM tag_categories WHERE id = $1`, [input.id]);
    await recordCatalogueChange(tx, actor, "TagCategory", "deleted", current.name, `deleted tag category '${current.name}' with ${counts!.tags} tag(s), unassigned from ${counts!.assignments} object(s)`, { before: categoryInput(current) });
  });
}

interface TagRow {
  id: string;
  name: string;
  description: string;
  version: number;
  category_id: string;
  category_name: string;
  cardinality: TagCategoryInput["cardinality"];
  object_kinds: string[];
}

const TAG_WITH_CATEGORY = `SELECT t.id::text, t.name, t.description, t.version, t.category_id::text, c.name AS category_name, c.cardinality, c.object_kinds
                             FROM tags t JOIN tag_categories c ON c.id = t.category_id WHERE t.id = $1`;

async function lockTag(tx: pg.PoolClient, id: string, expectedVersion: number): Promise<TagRow> {
  const { rows: [current] } = await tx.query<TagRow>(`${TAG_WITH_CATEGORY} FOR UPDATE OF t`, [id]);
  if (!current) throw new NotFoundError("That tag no longer exists.");
  if (current.version !== expectedVersion) throw new ConflictError("Tag", current.name, String(current.version));
  return current;
}

const tagLabel = (tag: Pick<TagRow, "category_name" | "name">) => `${tag.category_name}: ${tag.name}`;

export async function createTag(actor: OperationActor, categoryId: string, input: TagInput, pool: pg.Pool = getPool()): Promise<{ id: string; version: number }> {
  assertCan(actor, "tags.manage");
  const tag = parse(tagSchema, input, "name");
  return withTransaction(pool, async (tx) => {
    const { rows: [category] } = await tx.query<{ name: string }>(`SELECT name FROM tag_categories WHERE id = $1 FOR SHARE`, [categoryId]);
    if (!category) throw new InvalidInputError("categoryId", "categoryId names no tag category: it may have been deleted.");
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `INSERT INTO tags (category_id, name, description, updated_by) VALUES ($1, $2, $3, $4) RETURNING id::text, version`,
        [categoryId, tag.name, tag.description, auditName(actor)],
      );
      await recordCatalogueChange(tx, actor, "Tag", "created", tag.name, `created tag '${tagLabel({ category_name: category.name, name: tag.name })}'`, { after: tag });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, `Category '${category.name}' already has a tag named "${tag.name}".`);
    }
  });
}

export async function updateTag(actor: OperationActor, id: string, expectedVersion: number, input: TagInput, pool: pg.Pool = getPool()): Promise<{ id: string; version: number }> {
  assertCan(actor, "tags.manage");
  const tag = parse(tagSchema, input, "name");
  return withTransaction(pool, async (tx) => {
    const current = await lockTag(tx, id, expectedVersion);
    try {
      const { rows } = await tx.query<{ id: string; version: number }>(
        `UPDATE tags SET name = $2, description = $3, version = version + 1, updated_by = $4, updated_at = now() WHERE id = $1 RETURNING id::text, version`,
        [id, tag.name, tag.description, auditName(actor)],
      );
      await recordCatalogueChange(tx, actor, "Tag", "changed", tag.name, `edited tag '${tagLabel({ ...current, name: tag.name })}'`, { before: { name: current.name, description: current.description }, after: tag });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, `Category '${current.category_name}' already has a tag named "${tag.name}".`);
    }
  });
}

/** Deletes a tag; it leaves every object it was assigned to. */
export async function deleteTag(actor: OperationActor, input: { id: string; expectedVersion: number }, pool: pg.Pool = getPool()): Promise<void> {
  assertCan(actor, "tags.manage");
  await withTransaction(pool, async (tx) => {
    const current = await lockTag(tx, input.id, input.expectedVersion);
    const { rowCount } = await tx.query(`DELETE FROM tag_assignments WHERE tag_id = $1`, [input.id]);
    await tx.query(`DELETE FROM tags WHERE id = $1`, [input.id]);
    await recordCatalogueChange(tx, actor, "Tag", "deleted", current.name, `deleted tag '${tagLabel(current)}', unassigned from ${rowCount ?? 0} object(s)`, { before: { name: current.name, description: current.description } });
  });
}

interface TargetRow {
  uid: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The live inventory objects among `uids`; an object of a type the category does not apply to refuses the whole call. */
async function readTargets(tx: pg.PoolClient, uids: readonly string[], tag: TagRow): Promise<TargetRow[]> {
  const { rows } = await tx.query<TargetRow>(
    `SELECT uid::text, kind, namespace, name FROM resources WHERE uid = ANY($1::uuid[]) AND kind = ANY($2::text[]) AND deletion_timestamp IS NULL ORDER BY name`,
    [uids, TAGGABLE_KINDS],
  );
  const misfit = tag.object_kinds.length > 0 ? rows.find((row) => !tag.object_kinds.includes(row.kind)) : undefined;
  if (misfit) throw new InvalidInputError("uids", `Category '${tag.category_name}' applies to ${kindList(tag.object_kinds)}: ${misfit.name} is a ${misfit.kind}.`);
  return rows;
}

async function readTagForAssignment(tx: pg.PoolClient, tagId: string): Promise<TagRow> {
  const { rows: [tag] } = await tx.query<TagRow>(TAG_WITH_CATEGORY, [tagId]);
  if (!tag) throw new InvalidInputError("tagId", "tagId names no tag: it may have been deleted.");
  // Two assignments of different tags of one One-tag category to one object must not both win.
  if (tag.cardinality === "single") await tx.query(`SELECT pg_advisory_xact_lock(hashtext('tag-category:' || $1))`, [tag.category_id]);
  return tag;
}

export interface TagAssignmentOutcome {
  assigned: number;
  /** Objects that already had the tag. */
  unchanged: number;
  /** Uids that name no object (deleted, or never one of the inventory's). */
  notFound: number;
}

/** Assigns one tag to up to MAX_ASSIGN_OBJECTS objects in one transaction; a One-tag category's other tag on them is replaced. */
export async function assignTag(actor: OperationActor, tagId: string, uids: readonly string[], pool: pg.Pool = getPool()): Promise<TagAssignmentOutcome> {
  assertCan(actor, "inventory.operate");
  const unique = [...new Set(uids)];
  if (unique.length === 0 || unique.length > MAX_ASSIGN_OBJECTS) throw new InvalidInputError("uids", `uids must name 1 to ${MAX_ASSIGN_OBJECTS.toLocaleString("en-US")} objects.`);
  return withTransaction(pool, async (tx) => {
    const tag = await readTagForAssignment(tx, tagId);
    const targets = await readTargets(tx, unique, tag);
    const targetUids = targets.map((target) => target.uid);
    const replaced = new Map<string, string>();
    if (tag.cardinality === "single") {
      const { rows } = await tx.query<{ object_uid: string; name: string }>(
        `DELETE FROM tag_assignments a USING tags t
          WHERE a.tag_id = t.id AND t.category_id = $1 AND t.id <> $2 AND a.object_uid = ANY($3::uuid[])
        RETURNING a.object_uid::text, t.name`,
        [tag.category_id, tagId, targetUids],
      );
      for (const row of rows) replaced.set(row.object_uid, row.name);
    }
    const { rows: inserted } = await tx.query<{ object_uid: string }>(
      `INSERT INTO tag_assignments (tag_id, object_uid, assigned_by) SELECT $1, unnest($2::uuid[]), $3
       ON CONFLICT DO NOTHING RETURNING object_uid::text`,
      [tagId, targetUids, auditName(actor)],
    );
    const assigned = new Set(inserted.map((row) => row.object_uid));
    await recordEvents(
      tx,
      targets
        .filter((target) => assigned.has(target.uid))
        .map((target) => ({
          reason: "Tag.assigned",
          message: `${auditName(actor)} assigned tag '${tagLabel(tag)}' to ${target.name}${replaced.has(target.uid) ? ` (replacing '${replaced.get(target.uid)}': One tag per object)` : ""}`,
          object: { kind: target.kind as TargetKind, namespace: target.namespace, name: target.name, uid: target.uid },
          actor: auditName(actor),
        })),
    );
    return { assigned: assigned.size, unchanged: targets.length - assigned.size, notFound: unique.length - targets.length };
  });
}

type TargetKind = (typeof TAGGABLE_KINDS)[number];

/** Removes a tag from an object; removing one it does not have changes nothing. */
export async function unassignTag(actor: OperationActor, tagId: string, objectUid: string, pool: pg.Pool = getPool()): Promise<{ removed: boolean }> {
  assertCan(actor, "inventory.operate");
  return withTransaction(pool, async (tx) => {
    const { rows: [removed] } = await tx.query<TargetRow & { tag: string; category: string }>(
      `WITH gone AS (DELETE FROM tag_assignments WHERE tag_id = $1 AND object_uid = $2 RETURNING tag_id, object_uid)
       SELECT r.uid::text, r.kind, r.namespace, r.name, t.name AS tag, c.name AS category
         FROM gone JOIN resources r ON r.uid = gone.object_uid JOIN tags t ON t.id = gone.tag_id JOIN tag_categories c ON c.id = t.category_id`,
      [tagId, objectUid],
    );
    if (!removed) return { removed: false };
    await recordEvent(tx, {
      reason: "Tag.unassigned",
      message: `${auditName(actor)} removed tag '${removed.category}: ${removed.tag}' from ${removed.name}`,
      object: { kind: removed.kind as TargetKind, namespace: removed.namespace, name: removed.name, uid: removed.uid },
      actor: auditName(actor),
    });
    return { removed: true };
  });
}

export async function createCustomAttribute(actor: OperationActor, input: CustomAttributeInput, pool: pg.Pool = getPool()): Promise<{ id: string }> {
  assertCan(actor, "tags.manage");
  const attribute = parse(customAttributeSchema, input, "name");
  return withTransaction(pool, async (tx) => {
    try {
      const { rows } = await tx.query<{ id: string }>(`INSERT INTO custom_attributes (name, object_kind, updated_by) VALUES ($1, $2, $3) RETURNING id::text`, [
        attribute.name,
        attribute.objectKind,
        auditName(actor),
      ]);
      await recordCatalogueChange(tx, actor, "CustomAttribute", "created", attribute.name, `created custom attribute '${attribute.name}' for ${attribute.objectKind ?? "every object type"}`, { after: attribute });
      return rows[0]!;
    } catch (error) {
      duplicateName(error, `A custom attribute named "${attribute.name}" already exists.`);
    }
  });
}

/** Deletes an attribute definition with its value on every object. */
export async function deleteCustomAttribute(actor: OperationActor, id: string, pool: pg.Pool = getPool()): Promise<void> {
  assertCan(actor, "tags.manage");
  await withTransaction(pool, async (tx) => {
    const { rows: [gone] } = await tx.query<{ name: string; object_kind: string | null; values: number }>(
      `WITH gone AS (DELETE FROM custom_attributes WHERE id = $1 RETURNING id, name, object_kind)
       SELECT name, object_kind, (SELECT count(*)::int FROM custom_attribute_values WHERE attribute_id = gone.id) AS values FROM gone`,
      [id],
    );
    if (!gone) throw new NotFoundError("That custom attribute no longer exists.");
    await recordCatalogueChange(tx, actor, "CustomAttribute", "deleted", gone.name, `deleted custom attribute '${gone.name}' and its value on ${gone.values} object(s)`, { before: { name: gone.name, objectKind: gone.object_kind } });
  });
}

/**
 * Sets an object's value of an attribute ("" clears it), if the value is still what the form
 * opened with (`expectedValue`, null for none): two people editing one value never lose an update.
 */
export async function setCustomAttributeValue(
  actor: OperationActor,
  input: { attributeId: string; uid: string; value: string; expectedValue: string | null },
  pool: pg.Pool = getPool(),
): Promise<void> {
  assertCan(actor, "inventory.operate");
  const value = parse(attributeValueSchema, input.value, "value");
  await withTransaction(pool, async (tx) => {
    const { rows: [attribute] } = await tx.query<{ name: string; object_kind: string | null }>(`SELECT name, object_kind FROM custom_attributes WHERE id = $1 FOR SHARE`, [input.attributeId]);
    if (!attribute) throw new InvalidInputError("attributeId", "attributeId names no custom attribute: it may have been deleted.");
    // The value row may not exist yet, so the (attribute, object) pair is locked rather than a row.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('attribute-value:' || $1 || ':' || $2))`, [input.attributeId, input.uid]);
    const { rows: [target] } = await tx.query<TargetRow & { value: string | null }>(
      `SELECT r.uid::text, r.kind, r.namespace, r.name, v.value FROM resources r
         LEFT JOIN custom_attribute_values v ON v.object_uid = r.uid AND v.attribute_id = $2
        WHERE r.uid = $1 AND r.kind = ANY($3::text[])`,
      [input.uid, input.attributeId, TAGGABLE_KINDS],
    );
    if (!target) throw new InvalidInputError("uid", "uid names no inventory object: it may have been deleted.");
    if (attribute.object_kind && attribute.object_kind !== target.kind) throw new InvalidInputError("attributeId", `'${attribute.name}' is an attribute of ${attribute.object_kind} objects, not of a ${target.kind}.`);
    if (target.value !== input.expectedValue) throw new ConflictError(`Custom attribute '${attribute.name}' of`, target.name, "");
    if (value === "") await tx.query(`DELETE FROM custom_attribute_values WHERE attribute_id = $1 AND object_uid = $2`, [input.attributeId, input.uid]);
    else {
      await tx.query(
        `INSERT INTO custom_attribute_values (attribute_id, object_uid, value, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (attribute_id, object_uid) DO UPDATE SET value = EXCLUDED.value, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [input.attributeId, input.uid, value, auditName(actor)],
      );
    }
    await recordEvent(tx, {
      reason: "CustomAttribute.changed",
      message: value === "" ? `${auditName(actor)} cleared custom attribute '${attribute.name}' of ${target.name}` : `${auditName(actor)} set custom attribute '${attribute.name}' of ${target.name}`,
      object: { kind: target.kind as TargetKind, namespace: target.namespace, name: target.name, uid: target.uid },
      actor: auditName(actor),
      before: target.value === null ? undefined : { value: target.value },
      after: value === "" ? undefined : { value },
    });
  });
}
