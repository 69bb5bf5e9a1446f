// Rules for tag categories, tags, custom attributes and their values, shared by Administration's
// forms, the Summary cards, the server actions and the engine (lib/engine/operations/tag-operations.ts).
// Names are one line of printable text; a value may span lines but carries no other control characters.
import { z } from "zod";

/** The inventory kinds a category can apply to and an attribute can belong to, in the order the console lists them. */
export const TAGGABLE_KINDS = ["VirtualMachine", "Host", "Cluster", "Datacenter", "Datastore", "Network", "Namespace"] as const;
export type TaggableKind = (typeof TAGGABLE_KINDS)[number];

export const CARDINALITIES = ["single", "multiple"] as const;
export const CARDINALITY_LABELS = { single: "One tag", multiple: "Many tags" } as const;

export const MAX_NAME = 80;
export const MAX_DESCRIPTION = 300;
export const MAX_ATTRIBUTE_VALUE = 1024;
/** Objects one Assign Tag call may touch: a page of the largest list size, five times over. */
export const MAX_ASSIGN_OBJECTS = 1000;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const name = z
  .string({ error: "must be text" })
  .trim()
  .min(1, "is required")
  .max(MAX_NAME, `must be at most ${MAX_NAME} characters`)
  .refine((value) => !CONTROL.test(value), "must not contain control characters");
const description = z
  .string({ error: "must be text" })
  .trim()
  .max(MAX_DESCRIPTION, `must be at most ${MAX_DESCRIPTION} characters`)
  .refine((value) => !CONTROL.test(value), "must not contain control characters");

export const tagCategorySchema = z.object({
  name,
  description,
  cardinality: z.enum(CARDINALITIES, { error: "must be One tag or Many tags" }),
  objectKinds: z
    .array(z.enum(TAGGABLE_KINDS, { error: "must be inventory object types" }), { error: "must be a list of object types" })
    .max(TAGGABLE_KINDS.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, "must not repeat an object type"),
});
export type TagCategoryInput = z.infer<typeof tagCategorySchema>;

export const tagSchema = z.object({ name, description });
export type TagInput = z.infer<typeof tagSchema>;

export const customAttributeSchema = z.object({
  name,
  objectKind: z.enum(TAGGABLE_KINDS, { error: "must be an inventory object type, or empty for every type" }).nullable(),
});
export type CustomAttributeInput = z.infer<typeof customAttributeSchema>;

export const attributeValueSchema = z
  .string({ error: "must be text" })
  .max(MAX_ATTRIBUTE_VALUE, `must be at most ${MAX_ATTRIBUTE_VALUE.toLocaleString("en-US")} characters`)
  .refine((value) => !CONTROL_BUT_LINES.test(value), "must not contain control characters");

const version = z.number().int();

// Inputs are flat, so a broken rule comes back under the field's own name in the action's validation errors.
export const saveTagCategoryInputSchema = tagCategorySchema.extend({ id: z.uuid().optional(), expectedVersion: version.optional() });
export const saveTagInputSchema = tagSchema.extend({ id: z.uuid().optional(), categoryId: z.uuid(), expectedVersion: version.optional() });
/** A category or tag as the page showed it: deleting one someone changed since is refused. */
export const versionedRefSchema = z.object({ id: z.uuid(), expectedVersion: version });
export const assignTagInputSchema = z.object({
  tagId: z.uuid(),
  uids: z.array(z.uuid()).min(1, "must name at least one object").max(MAX_ASSIGN_OBJECTS, `must name at most ${MAX_ASSIGN_OBJECTS.toLocaleString("en-US")} objects`),
});
export const unassignTagInputSchema = z.object({ tagId: z.uuid(), uid: z.uuid() });
export const saveCustomAttributeInputSchema = customAttributeSchema;
export const deleteCustomAttributeInputSchema = z.object({ id: z.uuid() });
/** `expectedValue`: the value the form opened with (null for none); a value someone changed since is refused. */
export const setAttributeValueInputSchema = z.object({ attributeId: z.uuid(), uid: z.uuid(), value: attributeValueSchema, expectedValue: z.string().max(MAX_ATTRIBUTE_VALUE).nullable() });

/** The first issue of a failed parse as the field it names and a sentence saying the rule. */
export function firstIssue(error: z.ZodError, fallbackField: string): { field: string; message: string } {
  const issue = error.issues[0]!;
  const field = String(issue.path[0] ?? fallbackField);
  return { field, message: `${field} ${issue.message}` };
}
