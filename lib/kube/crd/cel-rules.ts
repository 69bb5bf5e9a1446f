// x-kubernetes-validations: CEL rules compiled once per schema node and evaluated with `self`
// bound to the node's value (and `oldSelf` to the previous one for transition rules), as
// kube-apiserver's apiextensions CEL validator does, through @bufbuild/cel.
//
// kube estimates each rule's cost from the schema's bounds when a CRD is written (cel-cost.ts does
// that here) and counts cost while it evaluates. @bufbuild/cel counts nothing, so every loop's range
// and condition are wrapped in calls that charge its size and each iteration to the evaluation's
// budget, which also watches the clock: a rule that loops over a huge list, or nests loops, stops
// with kube's cost-limit error instead of holding the server.
import { celEnv, celFunc, CelScalar, isCelError, parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import { kubeListFunctions } from "@/lib/kube/crd/cel-kube-lists";

export type Expr = ReturnType<typeof parse>["expr"];
type Program = (bindings: Record<string, CelInput>) => CelResult;

/** Loop steps one rule may take on one value: kube's per-call limit is 1,000,000 cost units, a step costs about three. */
export const MAX_RULE_STEPS = 300_000;
/**
 * Loop steps and wall time all rules together may take on one object. A step costs about 0.4 µs,
 * so the steps bound an object to under half a second; the clock bounds steps that are slow themselves
 * (a loop comparing huge lists).
 */
export const MAX_OBJECT_STEPS = 1_000_000;
export const MAX_OBJECT_MILLISECONDS = 1_000;
/** Skylight's bound on a rule's and a messageExpression's source. */
export const MAX_RULE_LENGTH = 10_000;

export interface CompiledRule {
  rule: string;
  message?: string;
  messageExpression?: Program;
  fieldPath?: string;
  reason?: string;
  /** A transition rule: it reads oldSelf, so it runs only when the object had a value here before. */
  transition: boolean;
  program: Program;
}

/** What a rule costs as it runs; shared by every rule evaluated on one object. */
export class CelBudget {
  objectSteps = 0;
  ruleSteps = 0;
  private stepsSinceClock = 0;
  /**
   * Set once a limit is passed. Sticky: CEL's `&&` and `||` absorb an error from one operand, so
   * a loop whose body failed would otherwise go on iterating; every later step fails too.
   */
  exceeded: "rule" | "object" | undefined;
  readonly deadline: number;
  constructor(milliseconds = MAX_OBJECT_MILLISECONDS) {
    this.deadline = performance.now() + milliseconds;
  }
  get exhausted() {
    return this.objectSteps > MAX_OBJECT_STEPS || performance.now() > this.deadline;
  }
  /** Counts `steps` against both limits; throws once either is passed. */
  charge(steps: number): void {
    this.objectSteps += steps;
    this.ruleSteps += steps;
    if (!this.exceeded && this.ruleSteps > MAX_RULE_STEPS) this.exceeded = "rule";
    // The clock costs more than a step: look at it every 16 steps.
    this.stepsSinceClock += steps;
    if (!this.exceeded && this.stepsSinceClock >= 16) {
      this.stepsSinceClock = 0;
      if (this.exhausted) this.exceeded = "object";
    }
    if (this.exceeded) throw new BudgetExceeded(this.exceeded);
  }
}

class BudgetExceeded extends Error {
  constructor(readonly scope: "rule" | "object") {
    super(scope === "rule" ? "per-call cost limit exceeded" : "cost budget exceeded");
  }
}

let running: CelBudget | undefined;

const STEP = "@skylight_step";
const RANGE = "@skylight_range";

/** One loop iteration. */
const countStep = celFunc(STEP, [CelScalar.BOOL], CelScalar.BOOL, (condition) => {
  running?.charge(1);
  return condition;
});

/** A loop's range, which the evaluator copies before its first iteration: one step per element. */
const countRange = celFunc(RANGE, [CelScalar.DYN], CelScalar.DYN, (range) => {
  const size = (range as { size?: number }).size;
  running?.charge(typeof size === "number" ? size : 1);
  return range;
});

const env = celEnv({ funcs: [...strings, ...kubeListFunctions((steps) => running?.charge(steps)), countStep, countRange] });

export class RuleCompileError extends Error {}

/** How deep an expression may nest, as cel-go's parser bounds it; Skylight's walks of the tree recurse. */
export const MAX_EXPRESSION_DEPTH = 250;

/** The expressions directly inside `expr`. */
export function children(expr: Expr): Expr[] {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "selectExpr":
      return kind.value.operand ? [kind.value.operand] : [];
    case "callExpr":
      return kind.value.target ? [kind.value.target, ...kind.value.args] : kind.value.args;
    case "listExpr":
      return kind.value.elements;
    case "structExpr":
      return kind.value.entries.flatMap((entry) => [...(entry.keyKind.case === "mapKey" ? [entry.keyKind.value] : []), ...(entry.value ? [entry.value] : [])]);
    case "comprehensionExpr": {
      const { iterRange, accuInit, loopCondition, loopStep, result } = kind.value;
      return [iterRange, accuInit, loopCondition, loopStep, result].filter((part): part is Expr => part !== undefined);
    }
    default:
      return [];
  }
}

/** Refuses an expression nested deeper than MAX_EXPRESSION_DEPTH, walking it without recursion. */
function checkDepth(root: Expr): void {
  const stack: [Expr, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [expr, depth] = entry;
    if (depth > MAX_EXPRESSION_DEPTH) throw new RuleCompileError(`expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep`);
    for (const child of children(expr)) stack.push([child, depth + 1]);
  }
}

/** Variables a rule may name: self, oldSelf, and the variables its own macros introduce; functions the environment has. */
function checkIdentifiers(expr: Expr, scope: ReadonlySet<string>): void {
  const kind = expr.exprKind;
  if (kind.case === "identExpr" && !scope.has(kind.value.name)) throw new RuleCompileError(`undeclared reference to '${kind.value.name}'`);
  if (kind.case === "callExpr" && /^[a-zA-Z]/.test(kind.value.function) && !env.funcs.find(kind.value.function)) throw new RuleCompileError(`undeclared reference to '${kind.value.function}'`);
  if (kind.case === "comprehensionExpr") {
    const { iterRange, accuInit, loopCondition, loopStep, result, iterVar, accuVar } = kind.value;
    const inner = new Set([...scope, iterVar, accuVar]);
    for (const part of [iterRange, accuInit]) if (part) checkIdentifiers(part, scope);
    for (const part of [loopCondition, loopStep, result]) if (part) checkIdentifiers(part, inner);
    return;
  }
  for (const child of children(expr)) checkIdentifiers(child, scope);
}

function readsOldSelf(expr: Expr): boolean {
  if (expr.exprKind.case === "identExpr") return expr.exprKind.value.name === "oldSelf";
  return children(expr).some(readsOldSelf);
}

const emptyCall = { $typeName: "cel.expr.Expr.Call", target: undefined };
const wrapped = (inner: Expr, fn: string) => ({ ...inner, exprKind: { case: "callExpr", value: { ...emptyCall, function: fn, args: [inner] } } }) as Expr;

/** Wraps every loop's range and condition so its size and each iteration are counted (see the file's comment). */
function countLoops(expr: Expr): void {
  for (const child of children(expr)) countLoops(child);
  const kind = expr.exprKind;
  if (kind.case === "comprehensionExpr" && kind.value.loopCondition && kind.value.iterRange) {
    kind.value.loopCondition = wrapped(kind.value.loopCondition, STEP);
    kind.value.iterRange = wrapped(kind.value.iterRange, RANGE);
  }
}

/** Parses, checks and plans one expression; throws RuleCompileError with the reason. */
export function compileExpression(source: string, variables: string[]): { program: Program; transition: boolean; expr: Expr } {
  if (source.length > MAX_RULE_LENGTH) throw new RuleCompileError(`must be no more than ${MAX_RULE_LENGTH} characters`);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    if (error instanceof RangeError) throw new RuleCompileError(`expression nests more than ${MAX_EXPRESSION_DEPTH} levels deep`);
    throw new RuleCompileError(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
  }
  checkDepth(parsed.expr);
  checkIdentifiers(parsed.expr, new Set(variables));
  const transition = readsOldSelf(parsed.expr);
  countLoops(parsed.expr);
  return { program: plan(env, parsed) as Program, transition, expr: parsed.expr };
}

const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/** One x-kubernetes-validations entry, compiled; throws RuleCompileError if its rule or messageExpression does not compile. */
export function compileRule(raw: unknown): CompiledRule {
  const entry = (raw ?? {}) as Record<string, unknown>;
  const rule = typeof entry.rule === "string" ? entry.rule : "";
  const { program, transition } = compileExpression(rule, ["self", "oldSelf"]);
  const messageExpression = text(entry.messageExpression) ? compileExpression(entry.messageExpression as string, ["self", "oldSelf"]).program : undefined;
  return { rule, message: text(entry.message), messageExpression, fieldPath: text(entry.fieldPath), reason: text(entry.reason), transition, program };
}

/**
 * A rule's result: passed, failed (report its message as the rule asks), an evaluation error or a
 * rule over its own budget (kube reports both at the node, whatever the rule's fieldPath), or the
 * object's budget spent (kube then runs no further rule).
 */
export type RuleOutcome = { passed: true } | { passed: false; message: string; kind: "failed" | "error" | "objectBudget" };

function run(program: Program, bindings: Record<string, CelInput>, budget: CelBudget): CelResult {
  running = budget;
  budget.ruleSteps = 0;
  if (budget.exceeded === "rule") budget.exceeded = undefined;
  try {
    return program(bindings);
  } finally {
    running = undefined;
  }
}

function budgetError(result: CelResult): BudgetExceeded | undefined {
  if (!isCelError(result)) return undefined;
  for (let cause: unknown = result; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof BudgetExceeded) return cause;
    if (Array.isArray(cause)) return cause.find((item) => item instanceof BudgetExceeded);
  }
  return undefined;
}

/** How kube names a rule in its error messages: by its message if it has one. */
const ruleName = (rule: CompiledRule) => (rule.message ?? rule.rule).trim();

/** cel-go's wording for errors kube users see, where @bufbuild/cel words them differently. */
const celGoWording = (message: string) => message.replace(/^field not found: /, "no such key: ");

/** The longest messageExpression result used; a longer one falls back to the message, as kube's does. */
export const MAX_MESSAGE_LENGTH = 5_000;

/** kube's message for a failed rule: its message, its messageExpression's result, or "failed rule: <rule>". */
function failureMessage(rule: CompiledRule, bindings: Record<string, CelInput>, budget: CelBudget): string {
  if (rule.messageExpression && !budget.exhausted) {
    const message = run(rule.messageExpression, bindings, budget);
    if (typeof message === "string" && message.trim() && !/[\r\n]/.test(message) && message.length <= MAX_MESSAGE_LENGTH) return message;
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** Evaluates `rule` on `self` (and `oldSelf` when given). */
export function evaluateRule(rule: CompiledRule, self: CelInput, oldSelf: CelInput | undefined, budget: CelBudget): RuleOutcome {
  const bindings: Record<string, CelInput> = oldSelf === undefined ? { self } : { self, oldSelf };
  const result = run(rule.program, bindings, budget);
  const exceeded = budgetError(result);
  if (exceeded?.scope === "object") return { passed: false, kind: "objectBudget", message: "validation failed due to running out of cost budget, no further validation rules will be run" };
  if (exceeded) return { passed: false, kind: "error", message: `'operation cancelled: actual cost limit exceeded': call cost exceeds limit for rule: ${ruleName(rule)}` };
  if (result === true) return { passed: true };
  if (isCelError(result)) return { passed: false, kind: "error", message: `${celGoWording(result.message)} evaluating rule: ${ruleName(rule)}` };
  if (result !== false) return { passed: false, kind: "error", message: `rule did not evaluate to a bool: ${ruleName(rule)}` };
  return { passed: false, kind: "failed", message: failureMessage(rule, bindings, budget) };
}
