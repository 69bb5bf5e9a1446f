/**
 * The stored kinds of every CustomResourceDefinition (`<Kind>.<group>`), as a subquery: custom
 * resources are then found through the (kind, namespace, name) index, not a scan of every kind.
 */
export const CUSTOM_KINDS_SQL = `SELECT (d.spec->'names'->>'kind') || '.' || (d.spec->>'group') FROM resources d WHERE d.kind = 'CustomResourceDefinition'`;
