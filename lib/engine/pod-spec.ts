// A Pod's desired state as Skylight admits it: the PodSpec fields people use, validated with the
// field paths kube-apiserver names (`spec.containers[0].image: Required value`), every other field
// kubectl sends kept as given, and kube's defaults filled in so `kubectl get pod -o yaml` reads as
// it would from Kubernetes. Also kube's rule for updates (only images, activeDeadlineSeconds and
// metadata may change) and what a pod requests of its namespace and host.
import { z } from "zod";
import { restartPolicySchema } from "@/lib/spherelet/pod-protocol";
import { fieldPath } from "@/lib/engine/field-path";
import { InvalidInputError } from "@/lib/errors";

/** A Kubernetes quantity: "500m", "2", "0.5", "128Mi", "1Gi", "1G", "1e3". */
const QUANTITY = /^([+]?[0-9]+(?:\.[0-9]*)?|[+]?\.[0-9]+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+)?$/;
const SUFFIXES: Record<string, number> = {
  "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

const MAX_MILLI_VALUE = 2 ** 63 - 1;

/** The quantity's value in base units (cores, bytes), or null when it is not a quantity. */
export function parseQuantity(quantity: string): number | null {
  const match = QUANTITY.exec(quantity);
  if (!match) return null;
  const suffix = match[2] ?? "";
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIXES[suffix]!;
  const value = Number(match[1]) * factor;
  // kube keeps quantities as int64 milli-units; anything larger is no quantity.
  return value * 1000 <= MAX_MILLI_VALUE ? value : null;
}

const quantitySchema = z.union([z.string(), z.number()]).transform((value, context) => {
  const text = String(value);
  if (parseQuantity(text) === null) {
    context.addIssue({ code: "custom", message: `Invalid value: "${text}": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'` });
    return z.NEVER;
  }
  return text;
});

const resourceListSchema = z.record(z.string(), quantitySchema).refine((list) => Object.keys(list).every((key) => key === "cpu" || key === "memory" || key === "ephemeral-storage"), {
  message: "Unsupported value: only cpu, memory and ephemeral-storage can be requested or limited",
});

const dns1123Label = z
  .string({ error: "Required value" })
  .min(1, "Required value")
  .max(63, "Invalid value: must be no more than 63 characters")
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "Invalid value: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");

const portSchema = z.looseObject({
  containerPort: z.number({ error: "Required value" }).int().min(1, "Invalid value: must be between 1 and 65535, inclusive").max(65535, "Invalid value: must be between 1 and 65535, inclusive"),
  protocol: z.enum(["TCP", "UDP", "SCTP"], { error: 'Unsupported value: supported values: "SCTP", "TCP", "UDP"' }).default("TCP"),
  name: z.string().max(15).optional(),
});

const containerSchema = z.looseObject({
  name: dns1123Label,
  image: z.string({ error: "Required value" }).trim().min(1, "Required value").max(512),
  command: z.array(z.string().max(4096)).max(256).optional(),
  args: z.array(z.string().max(4096)).max(256).optional(),
  env: z
    .array(z.looseObject({ name: z.string({ error: "Required value" }).min(1, "Required value").max(253), value: z.string().max(32_768).optional() }))
    .max(256)
    .optional(),
  workingDir: z.string().max(4096).optional(),
  ports: z.array(portSchema).max(64).optional(),
  resources: z.looseObject({ requests: resourceListSchema.optional(), limits: resourceListSchema.optional() }).default({}),
  volumeMounts: z
    .array(z.looseObject({ name: z.string({ error: "Required value" }).min(1, "Required value"), mountPath: z.string({ error: "Required value" }).min(1, "Required value").max(4096), readOnly: z.boolean().optional() }))
    .max(64)
    .optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
  imagePullPolicy: z.enum(["Always", "IfNotPresent", "Never"], { error: 'Unsupported value: supported values: "Always", "IfNotPresent", "Never"' }).optional(),
  terminationMessagePath: z.string().default("/dev/termination-log"),
  terminationMessagePolicy: z.enum(["File", "FallbackToLogsOnError"]).default("File"),
});

const volumeSchema = z
  .looseObject({
    name: dns1123Label,
    emptyDir: z.looseObject({ medium: z.enum(["", "Memory"]).optional(), sizeLimit: quantitySchema.optional() }).optional(),
  })
  .refine((volume) => volume.emptyDir !== undefined, { message: "Required value: must specify a volume type (Skylight supports emptyDir)", path: ["emptyDir"] });

export const podSpecSchema = z.looseObject({
  containers: z.array(containerSchema, { error: "Required value" }).min(1, "Required value").max(16, "Too many: must have at most 16 containers"),
  restartPolicy: restartPolicySchema.default("Always"),
  nodeName: z.string().max(253).optional(),
  nodeSelector: z
    .record(z.string().max(317), z.string().max(63))
    .refine((selector) => Object.keys(selector).length <= 64, { message: "Too many: must have at most 64 labels" })
    .optional(),
  runtimeClassName: z.enum(["crx"], { error: 'Unsupported value: Skylight has the RuntimeClass "crx" (or none)' }).optional(),
  terminationGracePeriodSeconds: z.number().int().min(0).max(3600).default(30),
  activeDeadlineSeconds: z.number().int().positive().optional(),
  volumes: z.array(volumeSchema).max(64).optional(),
  dnsPolicy: z.string().default("ClusterFirst"),
  schedulerName: z.string().default("default-scheduler"),
  securityContext: z.looseObject({}).default({}),
  enableServiceLinks: z.boolean().default(true),
  priority: z.number().int().default(0),
  preemptionPolicy: z.string().default("PreemptLowerPriority"),
});

export type PodSpec = z.infer<typeof podSpecSchema>;
export type PodContainer = PodSpec["containers"][number];

/** kube's imagePullPolicy default: Always for :latest or no tag, IfNotPresent otherwise. */
function pullPolicyFor(image: string): "Always" | "IfNotPresent" {
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const tag = lastSegment.includes(":") ? lastSegment.slice(lastSegment.indexOf(":") + 1) : "latest";
  return tag === "latest" ? "Always" : "IfNotPresent";
}

function uniqueNames(items: { name: string }[] | undefined, field: string) {
  const seen = new Set<string>();
  (items ?? []).forEach((item, index) => {
    if (seen.has(item.name)) throw new InvalidInputError(`spec.${field}[${index}].name`, `Duplicate value: "${item.name}"`);
    seen.add(item.name);
  });
}

/** Parses a client's PodSpec, refusing bad input by field, and fills in kube's defaults. */
export function admitPodSpec(input: unknown): PodSpec {
  const parsed = podSpecSchema.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(fieldPath(issue.path, "spec"), issue.message);
  }
  const spec = parsed.data;
  uniqueNames(spec.containers, "containers");
  uniqueNames(spec.volumes, "volumes");
  const volumes = new Set((spec.volumes ?? []).map((volume) => volume.name));
  spec.containers.forEach((container, index) => {
    (container.volumeMounts ?? []).forEach((mount, mountIndex) => {
      if (!volumes.has(mount.name)) throw new InvalidInputError(`spec.containers[${index}].volumeMounts[${mountIndex}].name`, `Not found: "${mount.name}"`);
    });
    for (const resource of ["cpu", "memory"] as const) {
      const request = container.resources.requests?.[resource];
      const limit = container.resources.limits?.[resource];
      if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
        throw new InvalidInputError(`spec.containers[${index}].resources.requests`, `Invalid value: "${request}": must be less than or equal to ${resource} limit of ${limit}`);
      }
    }
  });
  return {
    ...spec,
    containers: spec.containers.map((container) => ({ ...container, imagePullPolicy: container.imagePullPolicy ?? pullPolicyFor(container.image) })),
  };
}

/** The spec fields kube lets an update change; anything else is refused with kube's message. */
const MUTABLE_CONTAINER_FIELDS = ["image"] as const;

/** Refuses, as kube-apiserver does, an update of anything but container images and activeDeadlineSeconds. */
export function assertPodUpdateAllowed(current: PodSpec, next: PodSpec): void {
  const normalize = (spec: PodSpec) => ({
    ...spec,
    activeDeadlineSeconds: undefined,
    containers: spec.containers.map((container) => ({ ...container, ...Object.fromEntries(MUTABLE_CONTAINER_FIELDS.map((field) => [field, undefined])) })),
  });
  const containersKept = current.containers.length === next.containers.length && current.containers.every((container, index) => container.name === next.containers[index]!.name);
  if (!containersKept || JSON.stringify(sortKeys(normalize(current))) !== JSON.stringify(sortKeys(normalize(next)))) {
    throw new InvalidInputError(
      "spec",
      "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    );
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, item]) => [key, sortKeys(item)]),
  );
}

export interface PodRequests {
  /** CPU in millicores. */
  cpuMillis: number;
  memoryBytes: number;
}

/** What the pod asks of its namespace and host: each container's requests, else its limits, summed. */
export function podRequests(spec: Pick<PodSpec, "containers">): PodRequests {
  let cpuMillis = 0;
  let memoryBytes = 0;
  for (const container of spec.containers) {
    const cpu = container.resources?.requests?.cpu ?? container.resources?.limits?.cpu;
    const memory = container.resources?.requests?.memory ?? container.resources?.limits?.memory;
    if (cpu !== undefined) cpuMillis += Math.ceil((parseQuantity(cpu) ?? 0) * 1000);
    if (memory !== undefined) memoryBytes += Math.ceil(parseQuantity(memory) ?? 0);
  }
  return { cpuMillis, memoryBytes };
}

/** The first container that states neither a request nor a limit for `resource`, or null. */
export function containerWithout(spec: Pick<PodSpec, "containers">, resource: "cpu" | "memory"): { index: number; name: string } | null {
  const index = spec.containers.findIndex((container) => container.resources?.requests?.[resource] === undefined && container.resources?.limits?.[resource] === undefined);
  return index < 0 ? null : { index, name: spec.containers[index]!.name };
}
