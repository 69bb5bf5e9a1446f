/** The stored kind (`<Kind>.<group>`) of the CustomResourceDefinition row `definition`, as SQL. */
export const storedKindSql = (definition: string) => `(${definition}.spec->'names'->>'kind') || '.' || (${definition}.spec->>'group')`;

/**
 * The stored kinds of every CustomResourceDefinition, as a subquery: custom resources are then
 * found through the (kind, namespace, name) index, not a scan of every kind.
 */
export const CUSTOM_KINDS_SQL = `SELECT ${storedKindSql("d")} FROM resources d WHERE d.kind = 'CustomResourceDefinition'`;
