// What Skylight and a host's agent (the spherelet) say to each other about the Pods bound to that
// host, beside the machines of lib/spherelet/machine-protocol.ts. Skylight writes each pod's spec as
// the engine wants it (its containers, their images resolved in Skylight's registry, limits and
// volumes); the agent runs it through runc (or, for the `crx` RuntimeClass, in its own microVM),
// restarts its containers per restartPolicy and reports what it observes.
//
//   GET  /spherelet/v1/hosts/<host>/pods[?after=<version>&waitSeconds=<n>]
//        → PodList, answered at once when some pod of the host changed after `after`, else when one
//          does or waitSeconds (≤ 30) pass.
//   PUT  /spherelet/v1/hosts/<host>/pods/<uid>/status   body: PodReport → 204
//
// Every request carries the host's bootstrap token, as for machines, and is refused unless the token
// was minted for <host> and the pod is bound to it. Images are pulled from Skylight's registry
// (`/v2/`, OCI Distribution) with the same host token: a host may pull any repository.
import { z } from "zod";

export const PODS_PATH_SEGMENT = "pods";

export const restartPolicySchema = z.enum(["Always", "OnFailure", "Never"]);
export const runtimeClassSchema = z.enum(["runc", "crx"]);

/** One container as the agent runs it: what the pod's spec says, with the image resolved by Skylight. */
export interface HostPodContainer {
  name: string;
  /** The image as the pod names it, reported back in the container's status. */
  image: string;
  /** Where the agent pulls it from Skylight's registry: `<namespace>/<repository>`, and a tag or digest. */
  pull: { repository: string; reference: string };
  /** The image's entrypoint is replaced by `command` when given, its cmd by `args`, as Docker and kube do. */
  command: string[] | null;
  args: string[] | null;
  env: { name: string; value: string }[];
  workingDir: string | null;
  ports: { containerPort: number; protocol: "TCP" | "UDP"; name?: string }[];
  /** The cgroup limits: CPU in millicores, memory in bytes; null when the container has no limit. */
  cpuMillis: number | null;
  memoryBytes: number | null;
  volumeMounts: { name: string; mountPath: string; readOnly: boolean }[];
  /** kubectl run -i / -t: the container's stdin stays open for attach; tty gives it a terminal. */
  stdin: boolean;
  tty: boolean;
}

export interface HostPodVolume {
  name: string;
  /** An empty directory that lives as long as the pod; `sizeLimitBytes` is informational for now. */
  emptyDir?: { medium: "" | "Memory"; sizeLimitBytes: number | null };
}

export interface HostPod {
  uid: string;
  namespace: string;
  name: string;
  runtimeClass: z.infer<typeof runtimeClassSchema>;
  restartPolicy: z.infer<typeof restartPolicySchema>;
  containers: HostPodContainer[];
  volumes: HostPodVolume[];
  /** Seconds between SIGTERM and SIGKILL when the pod is stopped. */
  terminationGracePeriodSeconds: number;
  /** The pod is being deleted: stop its containers, release its address and files, then report `stopped`. */
  deleted: boolean;
}

export interface PodList {
  version: string;
  pods: HostPod[];
}

const timeSchema = z.string().max(40);

export const containerStateSchema = z.union([
  z.strictObject({ waiting: z.strictObject({ reason: z.string().max(64), message: z.string().max(1024).optional() }) }),
  z.strictObject({ running: z.strictObject({ startedAt: timeSchema }) }),
  z.strictObject({
    terminated: z.strictObject({
      exitCode: z.number().int(),
      signal: z.number().int().optional(),
      reason: z.string().max(64),
      message: z.string().max(1024).optional(),
      startedAt: timeSchema.optional(),
      finishedAt: timeSchema,
      containerID: z.string().max(128).optional(),
    }),
  }),
]);

/** A container's status in kube's ContainerStatus shape, which Skylight copies into the pod's status. */
export const containerReportSchema = z.strictObject({
  name: z.string().max(63),
  state: containerStateSchema,
  lastState: z.union([containerStateSchema, z.strictObject({})]),
  ready: z.boolean(),
  started: z.boolean(),
  restartCount: z.number().int().min(0),
  image: z.string().max(512),
  imageID: z.string().max(256),
  containerID: z.string().max(128).optional(),
});
export type ContainerReport = z.infer<typeof containerReportSchema>;

export const podReportSchema = z.strictObject({
  phase: z.enum(["Pending", "Running", "Succeeded", "Failed"]),
  podIP: z.string().max(45).nullable(),
  startTime: timeSchema.nullable(),
  containers: z.array(containerReportSchema).max(64),
  reason: z.string().max(64).optional(),
  message: z.string().max(1024).optional(),
  /** Only for a deleted pod: every container stopped and its files removed, so Skylight may forget it. */
  stopped: z.boolean(),
  /** What the pod uses now, for metrics.k8s.io and the console's Monitor tab. */
  usage: z.strictObject({ cpuNanoCores: z.number().min(0), memoryBytes: z.number().min(0) }).nullable(),
});
export type PodReport = z.infer<typeof podReportSchema>;
