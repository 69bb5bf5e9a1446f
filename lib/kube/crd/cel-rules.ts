// x-kubernetes-validations: CEL rules compiled once per schema node and evaluated with `self`
// bound to the node's value (and `oldSelf` to the previous one for transition rules), as
// kube-apiserver's apiextensions CEL validator does, through @bufbuild/cel.
//
// kube estimates each rule's cost from the schema's bounds and counts cost while it evaluates.
// @bufbuild/cel has neither, so every comprehension's loop condition is wrapped in a call that
// counts one step against the evaluation's budget and checks its deadline: a rule that loops over
// a huge list, or nests loops, stops with kube's cost-limit error instead of holding the server.
import { celEnv, celFunc, CelScalar, isCelError, parse, plan, type CelInput, type CelResult } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

type Expr = ReturnType<typeof parse>["expr"];
type Program = (bindings: Record<string, CelInput>) => CelResult;

/** Loop steps one rule may take on one value (kube's per-call limit is 1,000,000 cost units). */
export const MAX_RULE_STEPS = 1_000_000;
/**
 * Loop steps and wall time all rules together may take on one object. A step costs about 0.4 µs,
 * so the steps bound an object to about a second; the clock bounds steps that are slow themselves
 * (a loop comparing huge lists), and is looked at every 16 steps.
 */
export const MAX_OBJECT_STEPS = 2_000_000;
export const MAX_OBJECT_MILLISECONDS = 1_000;
/** kube's bounds on a rule's and a messageExpression's source. */
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
  readonly deadline: number;
  constructor(milliseconds = MAX_OBJECT_MILLISECONDS) {
    this.deadline = performance.now() + milliseconds;
  }
  get exhausted() {
    return this.objectSteps > MAX_OBJECT_STEPS || performance.now() > this.deadline;
  }
}

class BudgetExceeded extends Error {
  constructor(readonly scope: "rule" | "object") {
    super(scope === "rule" ? "per-call cost limit exceeded" : "cost budget exceeded");
  }
}

let running: CelBudget | undefined;

const STEP = "@skylight_step";

const countStep = celFunc(STEP, [CelScalar.BOOL], CelScalar.BOOL, (condition) => {
  if (running) {
    running.objectSteps++;
    if (++running.ruleSteps > MAX_RULE_STEPS) throw new BudgetExceeded("rule");
    if ((running.objectSteps & 15) === 0 && running.exhausted) throw new BudgetExceeded("object");
  }
  return condition;
});

const env = celEnv({ funcs: [...strings, countStep] });

export class RuleCompileError extends Error {}

/** Variables a rule may name: self, oldSelf, and the variables its own macros introduce. */
function checkIdentifiers(expr: Expr, scope: ReadonlySet<string>): void {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "identExpr":
      if (!scope.has(kind.value.name)) throw new RuleCompileError(`undeclared reference to '${kind.value.name}'`);
      return;
    case "selectExpr":
      if (kind.value.operand) checkIdentifiers(kind.value.operand, scope);
      return;
    case "callExpr": {
      const name = kind.value.function;
      if (/^[a-zA-Z]/.test(name) && !env.funcs.find(name)) throw new RuleCompileError(`undeclared reference to '${name}'`);
      if (kind.value.target) checkIdentifiers(kind.value.target, scope);
      for (const arg of kind.value.args) checkIdentifiers(arg, scope);
      return;
    }
    case "listExpr":
      for (const element of kind.value.elements) checkIdentifiers(element, scope);
      return;
    case "structExpr":
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === "mapKey") checkIdentifiers(entry.keyKind.value, scope);
        if (entry.value) checkIdentifiers(entry.value, scope);
      }
      return;
    case "comprehensionExpr": {
      const { iterRange, accuInit, loopCondition, loopStep, result, iterVar, accuVar } = kind.value;
      if (iterRange) checkIdentifiers(iterRange, scope);
      if (accuInit) checkIdentifiers(accuInit, scope);
      const inner = new Set([...scope, iterVar, accuVar]);
      for (const part of [loopCondition, loopStep, result]) if (part) checkIdentifiers(part, inner);
      return;
    }
    default:
      return;
  }
}

function readsOldSelf(expr: Expr): boolean {
  let found = false;
  JSON.stringify(expr, (key, value: unknown) => {
    if (key === "name" && value === "oldSelf") found = true;
    return typeof value === "bigint" ? 0 : value;
  });
  return found;
}

/** Wraps every loop condition so each iteration is counted (see the file's comment). */
function countLoops(expr: Expr): void {
  const kind = expr.exprKind;
  if (kind.case === "comprehensionExpr" && kind.value.loopCondition) {
    const condition = kind.value.loopCondition;
    countLoops(condition);
    kind.value.loopCondition = { ...condition, exprKind: { case: "callExpr", value: { ...emptyCall, function: STEP, args: [condition] } } } as Expr;
    for (const part of [kind.value.iterRange, kind.value.accuInit, kind.value.loopStep, kind.value.result]) if (part) countLoops(part);
    return;
  }
  if (kind.case === "callExpr") {
    if (kind.value.target) countLoops(kind.value.target);
    kind.value.args.forEach(countLoops);
  } else if (kind.case === "selectExpr" && kind.value.operand) countLoops(kind.value.operand);
  else if (kind.case === "listExpr") kind.value.elements.forEach(countLoops);
  else if (kind.case === "structExpr") for (const entry of kind.value.entries) if (entry.value) countLoops(entry.value);
}

const emptyCall = { $typeName: "cel.expr.Expr.Call", target: undefined };

/** Parses, checks and plans one expression; throws RuleCompileError with the reason. */
export function compileExpression(source: string, variables: string[]): { program: Program; transition: boolean } {
  if (source.length > MAX_RULE_LENGTH) throw new RuleCompileError(`must be no more than ${MAX_RULE_LENGTH} characters`);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    throw new RuleCompileError(`ERROR: ${error instanceof Error ? error.message : String(error)}`);
  }
  checkIdentifiers(parsed.expr, new Set(variables));
  const transition = readsOldSelf(parsed.expr);
  countLoops(parsed.expr);
  return { program: plan(env, parsed) as Program, transition };
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

/** kube's message for a failed rule: its message, its messageExpression's result, or "failed rule: <rule>". */
function failureMessage(rule: CompiledRule, bindings: Record<string, CelInput>, budget: CelBudget): string {
  if (rule.messageExpression && !budget.exhausted) {
    const message = run(rule.messageExpression, bindings, budget);
    if (typeof message === "string" && message.trim() && !message.includes("\n")) return message;
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
