// labelSelector and fieldSelector, parsed as kube-apiserver parses them and turned into SQL over
// the resources table (labels is jsonb; field paths map to columns or spec/status paths).
import { badRequest } from "@/lib/kube/api-status";

export interface SqlFilter {
  clauses: string[];
  values: unknown[];
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** Splits on commas outside parentheses ("a in (x,y),b" → ["a in (x,y)", "b"]). */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const character of selector) {
    if (character === "(") depth++;
    if (character === ")") depth--;
    if (character === "," && depth === 0) {
      terms.push(current.trim());
      current = "";
    } else current += character;
  }
  if (current.trim()) terms.push(current.trim());
  return terms.filter(Boolean);
}

function parameter(filter: SqlFilter, value: unknown): string {
  filter.values.push(value);
  return `$${filter.values.length}`;
}

export function addLabelSelector(filter: SqlFilter, selector: string | null): void {
  if (!selector) return;
  for (const term of splitTerms(selector)) {
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    const comparison = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    const existence = /^(!?)\s*([^!=\s]+)$/.exec(term);
    if (set) {
      const [, key, operator, list] = set;
      if (!KEY.test(key!)) throw badRequest(`unable to parse requirement: invalid label key "${key}"`);
      const values = list!.split(",").map((value) => value.trim()).filter(Boolean);
      const expression = `labels->>${parameter(filter, key)} = ANY(${parameter(filter, values)})`;
      filter.clauses.push(operator === "in" ? expression : `NOT COALESCE(${expression}, false)`);
    } else if (comparison) {
      const [, key, operator, value] = comparison;
      if (!KEY.test(key!)) throw badRequest(`unable to parse requirement: invalid label key "${key}"`);
      const expression = `labels->>${parameter(filter, key)} = ${parameter(filter, value)}`;
      filter.clauses.push(operator === "!=" ? `NOT COALESCE(${expression}, false)` : expression);
    } else if (existence) {
      const [, negated, key] = existence;
      if (!KEY.test(key!)) throw badRequest(`unable to parse requirement: invalid label key "${key}"`);
      filter.clauses.push(`${negated ? "NOT " : ""}(labels ? ${parameter(filter, key)})`);
    } else {
      throw badRequest(`unable to parse requirement: found '${term}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }
}

/** `fields` maps the selectable field names (beyond metadata.name/namespace) to JSON paths. */
export function addFieldSelector(filter: SqlFilter, selector: string | null, fields: Record<string, string>): void {
  if (!selector) return;
  for (const term of splitTerms(selector)) {
    const match = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field, operator, value] = match;
    let column: string;
    if (field === "metadata.name") column = "name";
    else if (field === "metadata.namespace") column = "namespace";
    else if (Object.hasOwn(fields, field!)) {
      const [root, ...path] = fields[field!]!.split(".");
      column = `${root === "status" ? "status" : "spec"} #>> ${parameter(filter, path)}`;
    } else throw badRequest(`field label not supported: ${field}`);
    const expression = `${column} = ${parameter(filter, value)}`;
    filter.clauses.push(operator === "!=" ? `NOT COALESCE(${expression}, false)` : expression);
  }
}

/** Whether an object (already in Kubernetes shape) matches both selectors; for watch events. */
export function matchesSelectors(
  object: { metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: unknown; status?: unknown },
  labelSelector: string | null,
  fieldSelector: string | null,
  fields: Record<string, string>,
): boolean {
  const labels = new Map(Object.entries(object.metadata.labels ?? {}));
  for (const term of labelSelector ? splitTerms(labelSelector) : []) {
    const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    const comparison = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    const existence = /^(!?)\s*([^!=\s]+)$/.exec(term);
    if (set) {
      const inSet = set[3]!.split(",").map((value) => value.trim()).includes(labels.get(set[1]!) ?? "\u0000");
      if (inSet !== (set[2] === "in")) return false;
    } else if (comparison) {
      if ((labels.get(comparison[1]!) === comparison[3]) !== (comparison[2] !== "!=")) return false;
    } else if (existence) {
      if (labels.has(existence[2]!) === (existence[1] === "!")) return false;
    }
  }
  for (const term of fieldSelector ? splitTerms(fieldSelector) : []) {
    const match = /^([^!=\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!match) return false;
    const [, field, operator, value] = match;
    const path = field === "metadata.name" ? "metadata.name" : field === "metadata.namespace" ? "metadata.namespace" : Object.hasOwn(fields, field!) ? fields[field!] : undefined;
    if (path === undefined) return false;
    const actual = path.split(".").reduce<unknown>((current, key) => (current && typeof current === "object" && Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined), object);
    if ((String(actual ?? "") === value) !== (operator !== "!=")) return false;
  }
  return true;
}
