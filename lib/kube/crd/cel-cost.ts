// kube's static cost check of x-kubernetes-validations rules, simplified: when a CRD is written,
// estimate how many loop steps a rule can take on the largest object the schema allows, and
// refuse it past kube's limit (StaticEstimatedCostLimit, 10,000,000) with kube's message. A loop
// visits what it iterates (maxItems or maxProperties where the schema says, else about as many
// elements as fit in a request), and a rule under lists or maps runs once per element that fits.
// kube counts every operation and estimates sizes the same way, so this counts less than kube:
// it refuses no rule kube accepts, and still refuses the loops over unbounded lists kube refuses.
import { children, type Expr } from "@/lib/kube/crd/cel-rules";
import { isRecord } from "@/lib/kube/crd/compiled-schema";

export const STATIC_COST_LIMIT = 10_000_000;
/** Elements of an unbounded list or map: kube's estimate is the request size (3 MiB) over the smallest element's size (2–3 bytes). */
export const UNBOUNDED = 1_000_000;

type Schema = Record<string, unknown>;

/** How many elements `schema` (an array, a map or an object) can hold. */
export function cardinality(schema: Schema | undefined): number {
  if (!schema) return UNBOUNDED;
  if (schema.type === "array") return typeof schema.maxItems === "number" ? schema.maxItems : UNBOUNDED;
  if (isRecord(schema.additionalProperties) || schema.additionalProperties === true) return typeof schema.maxProperties === "number" ? schema.maxProperties : UNBOUNDED;
  if (isRecord(schema.properties)) return Object.keys(schema.properties).length;
  return UNBOUNDED;
}

/** The schema an expression's value has, when it is `self` or a variable and selections from them. */
function schemaOf(expr: Expr, scope: ReadonlyMap<string, Schema | undefined>): Schema | undefined {
  const kind = expr.exprKind;
  if (kind.case === "identExpr") return scope.get(kind.value.name);
  if (kind.case === "selectExpr" && kind.value.operand) {
    const parent = schemaOf(kind.value.operand, scope);
    const properties = parent?.properties;
    const child: unknown = isRecord(properties) ? properties[kind.value.field] : isRecord(parent?.additionalProperties) ? parent.additionalProperties : undefined;
    return isRecord(child) ? child : undefined;
  }
  // The counting wrappers cel-rules.ts puts around loop ranges pass their argument through.
  if (kind.case === "callExpr" && kind.value.function.startsWith("@skylight") && kind.value.args[0]) return schemaOf(kind.value.args[0], scope);
  return undefined;
}

/** How many elements a loop over `range` visits. */
function rangeSize(range: Expr, scope: ReadonlyMap<string, Schema | undefined>): number {
  const inner = range.exprKind.case === "callExpr" && range.exprKind.value.function.startsWith("@skylight") ? range.exprKind.value.args[0] : range;
  if (!inner) return UNBOUNDED;
  if (inner.exprKind.case === "listExpr") return inner.exprKind.value.elements.length;
  // A loop over another loop's result (filter, map) visits at most what that loop visited.
  if (inner.exprKind.case === "comprehensionExpr" && inner.exprKind.value.iterRange) return rangeSize(inner.exprKind.value.iterRange, scope);
  const schema = schemaOf(inner, scope);
  return schema ? cardinality(schema) : UNBOUNDED;
}

/** The element schema of a loop over `range`: items of a list, values of a map. */
function elementOf(range: Expr, scope: ReadonlyMap<string, Schema | undefined>): Schema | undefined {
  const schema = schemaOf(range, scope);
  const element: unknown = schema?.type === "array" ? schema.items : schema?.additionalProperties;
  return isRecord(element) ? element : undefined;
}

function cost(expr: Expr, scope: ReadonlyMap<string, Schema | undefined>): number {
  const kind = expr.exprKind;
  if (kind.case === "comprehensionExpr" && kind.value.iterRange) {
    const { iterRange, accuInit, loopCondition, loopStep, result, iterVar } = kind.value;
    const inner = new Map(scope).set(iterVar, elementOf(iterRange, scope));
    const step = 1 + (loopCondition ? cost(loopCondition, inner) : 0) + (loopStep ? cost(loopStep, inner) : 0);
    return cost(iterRange, scope) + (accuInit ? cost(accuInit, scope) : 0) + rangeSize(iterRange, scope) * step + (result ? cost(result, inner) : 0);
  }
  return children(expr).reduce((total, child) => total + cost(child, scope), 0);
}

/** kube's words for a cost over its limit. */
export function costErrorMessage(what: string, estimated: number): string {
  const factor = estimated / STATIC_COST_LIMIT;
  const shown = factor > 100 ? "more than 100x" : factor < 1.5 ? `${factor.toFixed(6)}x` : `${factor.toFixed(1)}x`;
  return `${what} exceeds budget by factor of ${shown} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}

/**
 * A rule's estimated loop steps on `schema`, the node it sits on, run `runs` times (the product of
 * the sizes of the lists and maps above it; no more than fit in one request however they nest).
 */
export function estimatedRuleCost(expr: Expr, schema: Schema, runs: number): number {
  return Math.max(1, cost(expr, new Map([["self", schema], ["oldSelf", schema]]))) * Math.min(runs, UNBOUNDED);
}
