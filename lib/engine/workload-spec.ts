// apps/v1 Deployment and ReplicaSet specs as Skylight admits them: validated with the field paths
// and words kube-apiserver uses (`spec.replicas: Invalid value: -1: must be greater than or equal
// to 0`), kube's defaults filled in (replicas 1, revisionHistoryLimit 10, progressDeadlineSeconds
// 600, RollingUpdate 25%/25%), the pod template admitted as a pod's spec (lib/engine/pod-spec.ts)
// with restartPolicy Always, and an immutable selector. Also label selectors (matching, kubectl's
// string form) and the rolling update's fenceposts, which the controllers share.
import { z } from "zod";
import { fieldPath } from "@/lib/engine/field-path";
import { admitPodSpec, type PodSpec } from "@/lib/engine/pod-spec";
import { sameJson } from "@/lib/engine/same-json";
import { InvalidInputError } from "@/lib/errors";

/** The kinds this module admits. */
export type WorkloadKind = "Deployment" | "ReplicaSet";

/** Skylight's bound on one workload's pods, so one request cannot ask the engine for unbounded work. */
export const MAX_REPLICAS = 500;

const requirementSchema = z.strictObject({
  key: z.string({ error: "Required value" }).min(1, "Required value").max(317),
  operator: z.enum(["In", "NotIn", "Exists", "DoesNotExist"], { error: 'Unsupported value: supported values: "In", "NotIn", "Exists", "DoesNotExist"' }),
  values: z.array(z.string().max(63)).max(64).optional(),
});

const selectorSchema = z.strictObject({
  matchLabels: z.record(z.string().max(317), z.string().max(63)).optional(),
  matchExpressions: z.array(requirementSchema).max(64).optional(),
});
export type LabelSelector = z.infer<typeof selectorSchema>;

const intOrPercent = z.union([z.number().int(), z.string()]);
type IntOrPercent = z.infer<typeof intOrPercent>;

const templateSchema = z.looseObject({
  metadata: z
    .looseObject({ labels: z.record(z.string().max(317), z.string().max(63)).optional(), annotations: z.record(z.string().max(317), z.string().max(65_536)).optional() })
    .optional(),
  spec: z.unknown(),
});

const commonShape = {
  replicas: z.number({ error: "Invalid value: must be an integer" }).int("Invalid value: must be an integer").default(1),
  minReadySeconds: z.number({ error: "Invalid value: must be an integer" }).int("Invalid value: must be an integer").default(0),
  selector: selectorSchema.optional(),
  template: templateSchema.optional(),
};

const deploymentSchema = z.looseObject({
  ...commonShape,
  strategy: z
    .looseObject({
      type: z.enum(["RollingUpdate", "Recreate"], { error: 'Unsupported value: supported values: "Recreate", "RollingUpdate"' }).default("RollingUpdate"),
      rollingUpdate: z.looseObject({ maxSurge: intOrPercent.optional(), maxUnavailable: intOrPercent.optional() }).optional(),
    })
    .default({ type: "RollingUpdate" }),
  revisionHistoryLimit: z.number().int().default(10),
  progressDeadlineSeconds: z.number().int().default(600),
  paused: z.boolean().optional(),
});

const replicaSetSchema = z.looseObject(commonShape);

export interface PodTemplate {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export interface ReplicaSetSpec {
  replicas: number;
  minReadySeconds: number;
  selector: LabelSelector;
  template: PodTemplate;
}

export type DeploymentStrategy = { type: "RollingUpdate"; rollingUpdate: { maxSurge: IntOrPercent; maxUnavailable: IntOrPercent } } | { type: "Recreate" };

export interface DeploymentSpec extends ReplicaSetSpec {
  strategy: DeploymentStrategy;
  revisionHistoryLimit: number;
  progressDeadlineSeconds: number;
  paused?: boolean;
}

/** kube's field path: spec.template.spec.containers[0].image. */
function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(fieldPath(issue.path, "spec"), issue.message);
  }
  return parsed.data;
}

function atLeastZero(field: string, value: number) {
  if (value < 0) throw new InvalidInputError(field, `Invalid value: ${value}: must be greater than or equal to 0`);
}

/** Whether `labels` satisfy the selector, as labels.Selector decides it. */
export function selectorMatches(selector: LabelSelector, labels: Record<string, string>): boolean {
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return (
    matchLabels &&
    (selector.matchExpressions ?? []).every((requirement) => {
      const present = Object.hasOwn(labels, requirement.key);
      switch (requirement.operator) {
        case "In":
          return present && (requirement.values ?? []).includes(labels[requirement.key]!);
        case "NotIn":
          return !present || !(requirement.values ?? []).includes(labels[requirement.key]!);
        case "Exists":
          return present;
        case "DoesNotExist":
          return !present;
      }
    })
  );
}

/** The selector as kubectl prints it and a labelSelector query takes it: app=web,tier in (a,b),!legacy. */
export function selectorString(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector.matchExpressions ?? []).map((requirement) => {
    const values = [...(requirement.values ?? [])].sort().join(",");
    if (requirement.operator === "In") return `${requirement.key} in (${values})`;
    if (requirement.operator === "NotIn") return `${requirement.key} notin (${values})`;
    return requirement.operator === "Exists" ? requirement.key : `!${requirement.key}`;
  });
  return [...labels, ...expressions].join(",");
}

function admitSelector(kind: WorkloadKind, selector: LabelSelector | undefined): LabelSelector {
  if (!selector) throw new InvalidInputError("spec.selector", "Required value");
  (selector.matchExpressions ?? []).forEach((requirement, index) => {
    const wantsValues = requirement.operator === "In" || requirement.operator === "NotIn";
    const count = requirement.values?.length ?? 0;
    if (wantsValues && count === 0) throw new InvalidInputError(`spec.selector.matchExpressions[${index}].values`, "Required value: must be specified when `operator` is 'In' or 'NotIn'");
    if (!wantsValues && count > 0) throw new InvalidInputError(`spec.selector.matchExpressions[${index}].values`, "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  });
  if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    throw new InvalidInputError("spec.selector", `Invalid value: {}: empty selector is invalid for ${kind.toLowerCase()}`);
  }
  return selector;
}

function admitTemplate(template: z.infer<typeof templateSchema> | undefined, selector: LabelSelector): PodTemplate {
  if (!template) throw new InvalidInputError("spec.template", "Required value");
  const labels = template.metadata?.labels ?? {};
  if (!selectorMatches(selector, labels)) {
    throw new InvalidInputError("spec.template.metadata.labels", `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``);
  }
  let spec: PodSpec;
  try {
    spec = admitPodSpec(template.spec);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new InvalidInputError(`spec.template.${error.field}`, error.message);
    throw error;
  }
  if (spec.restartPolicy !== "Always") throw new InvalidInputError("spec.template.spec.restartPolicy", `Unsupported value: "${spec.restartPolicy}": supported values: "Always"`);
  if (spec.nodeName) throw new InvalidInputError("spec.template.spec.nodeName", "Forbidden: a workload's pods are placed by the scheduler");
  return { metadata: { labels, ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}) }, spec };
}

function admitCommon(kind: WorkloadKind, spec: z.infer<typeof replicaSetSchema>): ReplicaSetSpec {
  atLeastZero("spec.replicas", spec.replicas);
  if (spec.replicas > MAX_REPLICAS) throw new InvalidInputError("spec.replicas", `Invalid value: ${spec.replicas}: must be less than or equal to ${MAX_REPLICAS} (Skylight's bound on one ${kind.toLowerCase()}'s pods)`);
  atLeastZero("spec.minReadySeconds", spec.minReadySeconds);
  const selector = admitSelector(kind, spec.selector);
  return { ...spec, selector, template: admitTemplate(spec.template, selector) };
}

const PERCENT = /^[0-9]+%$/;

/** An int-or-percent of the rolling update, refused by field as kube's validation does. */
function checkIntOrPercent(field: string, value: IntOrPercent) {
  if (typeof value === "number") return atLeastZero(field, value);
  if (!PERCENT.test(value)) {
    throw new InvalidInputError(field, `Invalid value: "${value}": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`);
  }
}

/** The value an int-or-percent stands for out of `total`, rounded up (maxSurge) or down (maxUnavailable). */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const scaled = (Number(value.slice(0, -1)) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** maxSurge and maxUnavailable as pod counts, as kube's ResolveFenceposts: never both 0. */
export function resolveFenceposts(strategy: DeploymentStrategy, replicas: number): { maxSurge: number; maxUnavailable: number } {
  if (strategy.type === "Recreate") return { maxSurge: 0, maxUnavailable: replicas };
  const maxSurge = scaledValue(strategy.rollingUpdate.maxSurge, replicas, true);
  const maxUnavailable = scaledValue(strategy.rollingUpdate.maxUnavailable, replicas, false);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

function admitStrategy(strategy: z.infer<typeof deploymentSchema>["strategy"]): DeploymentStrategy {
  if (strategy.type === "Recreate") {
    if (strategy.rollingUpdate) throw new InvalidInputError("spec.strategy.rollingUpdate", "Forbidden: may not be specified when strategy `type` is 'Recreate'");
    return { ...strategy, type: "Recreate" };
  }
  const rollingUpdate = { ...strategy.rollingUpdate, maxSurge: strategy.rollingUpdate?.maxSurge ?? "25%", maxUnavailable: strategy.rollingUpdate?.maxUnavailable ?? "25%" };
  checkIntOrPercent("spec.strategy.rollingUpdate.maxSurge", rollingUpdate.maxSurge);
  checkIntOrPercent("spec.strategy.rollingUpdate.maxUnavailable", rollingUpdate.maxUnavailable);
  if (typeof rollingUpdate.maxUnavailable === "string" && Number(rollingUpdate.maxUnavailable.slice(0, -1)) > 100) {
    throw new InvalidInputError("spec.strategy.rollingUpdate.maxUnavailable", `Invalid value: "${rollingUpdate.maxUnavailable}": must not be greater than 100%`);
  }
  if (scaledValue(rollingUpdate.maxSurge, 100, true) === 0 && scaledValue(rollingUpdate.maxUnavailable, 100, true) === 0) {
    throw new InvalidInputError("spec.strategy.rollingUpdate.maxUnavailable", `Invalid value: ${JSON.stringify(rollingUpdate.maxUnavailable)}: may not be 0 when \`maxSurge\` is 0`);
  }
  return { ...strategy, type: "RollingUpdate", rollingUpdate };
}

/** Parses a client's Deployment spec, refusing bad input by field, and fills in kube's defaults. */
export function admitDeploymentSpec(input: unknown): DeploymentSpec {
  const spec = parse(deploymentSchema, input);
  const common = admitCommon("Deployment", spec);
  atLeastZero("spec.revisionHistoryLimit", spec.revisionHistoryLimit);
  if (spec.progressDeadlineSeconds <= common.minReadySeconds) {
    throw new InvalidInputError("spec.progressDeadlineSeconds", `Invalid value: ${spec.progressDeadlineSeconds}: must be greater than minReadySeconds`);
  }
  return { ...spec, ...common, strategy: admitStrategy(spec.strategy) };
}

/** Parses a client's ReplicaSet spec, refusing bad input by field, and fills in kube's defaults. */
export function admitReplicaSetSpec(input: unknown): ReplicaSetSpec {
  return admitCommon("ReplicaSet", parse(replicaSetSchema, input));
}

export function admitWorkloadSpec(kind: WorkloadKind, input: unknown): ReplicaSetSpec {
  return kind === "Deployment" ? admitDeploymentSpec(input) : admitReplicaSetSpec(input);
}

/** apps/v1 makes the selector immutable once created. */
export function assertSelectorKept(current: ReplicaSetSpec, next: ReplicaSetSpec): void {
  if (!sameJson(current.selector, next.selector)) {
    throw new InvalidInputError("spec.selector", `Invalid value: ${JSON.stringify(next.selector)}: field is immutable`);
  }
}
