// Reads of Tags & Custom Attributes: the catalogue (categories with their tags, attribute
// definitions) for Administration and the pickers, and one object's tags and attribute values
// for its Summary. Writes are lib/engine/operations/tag-operations.ts's.
import { getPool, type Db } from "@/lib/db/pool";
import type { TagCategoryInput } from "@/lib/actions/tags/tag-schemas";

export interface TagView {
  id: string;
  name: string;
  description: string;
  version: number;
  /** Objects it is assigned to. */
  assigned: number;
}

export interface TagCategoryView {
  id: string;
  name: string;
  description: string;
  cardinality: TagCategoryInput["cardinality"];
  /** Empty: every object type. */
  objectKinds: TagCategoryInput["objectKinds"];
  version: number;
  tags: TagView[];
}

export interface CustomAttributeView {
  id: string;
  name: string;
  /** null: every object type. */
  objectKind: string | null;
  /** Objects holding a value. */
  values: number;
}

export interface TagCatalog {
  categories: TagCategoryView[];
  attributes: CustomAttributeView[];
}

export async function readTagCatalog(db: Db = getPool()): Promise<TagCatalog> {
  const [categories, attributes] = await Promise.all([
    db.query<TagCategoryView>(
      `SELECT c.id::text, c.name, c.description, c.cardinality, c.object_kinds AS "objectKinds", c.version,
              COALESCE((SELECT jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'description', t.description, 'version', t.version,
                                                            'assigned', (SELECT count(*) FROM tag_assignments a WHERE a.tag_id = t.id))
                                         ORDER BY lower(t.name))
                          FROM tags t WHERE t.category_id = c.id), '[]'::jsonb) AS tags
         FROM tag_categories c ORDER BY lower(c.name)`,
    ),
    db.query<CustomAttributeView>(
      `SELECT a.id::text, a.name, a.object_kind AS "objectKind", (SELECT count(*)::int FROM custom_attribute_values v WHERE v.attribute_id = a.id) AS values
         FROM custom_attributes a ORDER BY lower(a.name)`,
    ),
  ]);
  return { categories: categories.rows, attributes: attributes.rows };
}

export interface AssignedTag {
  id: string;
  name: string;
  description: string;
  categoryId: string;
  category: string;
  cardinality: TagCategoryInput["cardinality"];
}

export interface AttributeValueView {
  id: string;
  name: string;
  objectKind: string | null;
  /** null: no value set. */
  value: string | null;
}

export interface ObjectTagging {
  tags: AssignedTag[];
  /** Every attribute that applies to the object's kind, with its value or null. */
  attributes: AttributeValueView[];
}

/** An object's tags and the custom attributes of its kind, with their values. */
export async function readObjectTagging(uid: string, db: Db = getPool()): Promise<ObjectTagging> {
  const [tags, attributes] = await Promise.all([
    db.query<AssignedTag>(
      `SELECT t.id::text, t.name, t.description, c.id::text AS "categoryId", c.name AS category, c.cardinality
         FROM tag_assignments a JOIN tags t ON t.id = a.tag_id JOIN tag_categories c ON c.id = t.category_id
        WHERE a.object_uid = $1 ORDER BY lower(c.name), lower(t.name)`,
      [uid],
    ),
    db.query<AttributeValueView>(
      `SELECT a.id::text, a.name, a.object_kind AS "objectKind", v.value
         FROM custom_attributes a LEFT JOIN custom_attribute_values v ON v.attribute_id = a.id AND v.object_uid = $1
        WHERE a.object_kind IS NULL OR a.object_kind = (SELECT kind FROM resources WHERE uid = $1) ORDER BY lower(a.name)`,
      [uid],
    ),
  ]);
  return { tags: tags.rows, attributes: attributes.rows };
}
