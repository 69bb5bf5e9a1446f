// Server-side printing (meta.k8s.io Table): the columns `kubectl get` shows for each resource,
// computed here as kube-apiserver computes them, so every kubectl version prints the same; a
// custom kind's are its definition's additionalPrinterColumns (lib/kube/crd/printer-columns.ts).
import type { ApiResource, CustomResourceServing, TableColumn } from "@/lib/kube/api-resources";
import { printerCells } from "@/lib/kube/crd/printer-columns";
import type { KubeObject } from "@/lib/kube/kube-objects";
import { selectorString, type LabelSelector } from "@/lib/engine/workload-spec";
import { badRequest } from "@/lib/kube/api-status";

export const TABLE_API_VERSION = "meta.k8s.io/v1";

/** Whether the Accept header asks for a Table (kubectl get does; kubectl get -o yaml does not). */
function wantsTable(accept: string | undefined): boolean {
  return accept?.split(",")[0]?.includes("as=Table") ?? false;
}

/** What each Table row carries besides its cells (metav1.TableOptions.includeObject). */
export type IncludeObject = "None" | "Metadata" | "Object";

/**
 * Whether a request wants a Table and, if so, what its rows carry: kubectl asks for the whole
 * object (`includeObject=Object`) when it sorts (`--sort-by`), since it sorts by the rows' objects.
 * Read only for a Table, and refused in kube-apiserver's words when it names none of the three.
 */
export function tableRequest(accept: string | undefined, query: URLSearchParams): IncludeObject | null {
  if (!wantsTable(accept)) return null;
  const include = query.get("includeObject") || "Metadata";
  if (include === "None" || include === "Metadata" || include === "Object") return include;
  throw badRequest(`includeObject: Invalid value: ${JSON.stringify(include)}: must be 'Metadata', 'Object', 'None', or empty`);
}

/** kube-apiserver's duration.HumanDuration: 45s, 5m12s, 3h4m, 2d5h, 45d, 3y. */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 365 * 2) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

function readPath(object: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((current, key) => (current as Record<string, unknown> | undefined)?.[key], object);
}

interface ContainerStatusShape {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: { reason?: string; exitCode?: number; signal?: number } };
  lastState?: { terminated?: { finishedAt?: string } };
}

interface PodShape {
  metadata: { deletionTimestamp?: string | null };
  spec: { containers?: unknown[] };
  status: { phase?: string; reason?: string; containerStatuses?: ContainerStatusShape[]; conditions?: { type: string; status: string }[] };
}

/** The STATUS column as kubectl's pod printer computes it: a container's waiting or terminated reason, Completed, Terminating… */
function podStatusCell(pod: PodShape): string {
  let reason = pod.status.reason || pod.status.phase || "Pending";
  let hasRunning = false;
  for (const container of [...(pod.status.containerStatuses ?? [])].reverse()) {
    const state = container.state ?? {};
    if (state.waiting?.reason) reason = state.waiting.reason;
    else if (state.terminated?.reason) reason = state.terminated.reason;
    else if (state.terminated) reason = state.terminated.signal ? `Signal:${state.terminated.signal}` : `ExitCode:${state.terminated.exitCode ?? 0}`;
    else if (container.ready && state.running) hasRunning = true;
  }
  if (reason === "Completed" && hasRunning) reason = pod.status.conditions?.some((condition) => condition.type === "Ready" && condition.status === "True") ? "Running" : "NotReady";
  if (pod.metadata.deletionTimestamp) reason = "Terminating";
  return reason;
}

/** RESTARTS as kubectl prints it: the sum, and how long ago the last one was ("3 (2m ago)"). */
function podRestartsCell(pod: PodShape, now: number): string {
  const statuses = pod.status.containerStatuses ?? [];
  const restarts = statuses.reduce((sum, container) => sum + (container.restartCount ?? 0), 0);
  const last = Math.max(0, ...statuses.map((container) => Date.parse(container.lastState?.terminated?.finishedAt ?? "") || 0));
  return restarts > 0 && last > 0 ? `${restarts} (${humanDuration(now - last)} ago)` : String(restarts);
}

function cell(object: KubeObject, column: TableColumn, now: number): string | number {
  const status = object.status as { conditions?: { type: string; status: string }[]; phase?: string };
  switch (column.path) {
    case "age":
      return humanDuration(now - Date.parse(object.metadata.creationTimestamp));
    case "ready":
      return status.conditions?.find((condition) => condition.type === "Ready")?.status ?? "Unknown";
    case "phase":
      return status.phase ?? "";
    case "involvedObject":
    case "regarding": {
      const involved = readPath(object, column.path) as { kind: string; name: string };
      return `${involved.kind.toLowerCase()}/${involved.name}`;
    }
    case "nodeStatus": {
      const ready = status.conditions?.find((condition) => condition.type === "Ready")?.status === "True" ? "Ready" : "NotReady";
      return (object.spec as { unschedulable?: boolean }).unschedulable ? `${ready},SchedulingDisabled` : ready;
    }
    case "nodeRoles": {
      const roles = Object.keys(object.metadata.labels ?? {}).filter((label) => label.startsWith("node-role.kubernetes.io/")).map((label) => label.slice(24));
      return roles.length > 0 ? roles.sort().join(",") : "<none>";
    }
    case "internalIP": {
      const addresses = (object.status as { addresses?: { type: string; address: string }[] }).addresses;
      return addresses?.find((address) => address.type === "InternalIP")?.address ?? "<none>";
    }
    case "podReady": {
      const pod = object as unknown as PodShape;
      return `${(pod.status.containerStatuses ?? []).filter((container) => container.ready).length}/${pod.spec.containers?.length ?? 0}`;
    }
    case "podStatus":
      return podStatusCell(object as unknown as PodShape);
    case "podRestarts":
      return podRestartsCell(object as unknown as PodShape, now);
    case "podIP":
      return (object.status as { podIP?: string }).podIP || "<none>";
    case "podNode":
      return (object.spec as { nodeName?: string }).nodeName || "<none>";
    case "nominatedNode":
    case "readinessGates":
      return "<none>";
    case "workloadReady":
      return `${(object.status as { readyReplicas?: number }).readyReplicas ?? 0}/${(object.spec as { replicas?: number }).replicas ?? 0}`;
    case "templateContainers":
    case "templateImages": {
      const containers = (object.spec as { template?: { spec?: { containers?: { name: string; image: string }[] } } }).template?.spec?.containers ?? [];
      return containers.map((container) => (column.path === "templateContainers" ? container.name : container.image)).join(",");
    }
    case "selector":
      return selectorString((object.spec as { selector?: LabelSelector }).selector ?? {}) || "<none>";
    case "serviceExternalIP":
      return "<none>";
    case "servicePorts": {
      const ports = (object.spec as { ports?: { port: number; protocol?: string }[] }).ports ?? [];
      return ports.map((port) => `${port.port}/${port.protocol ?? "TCP"}`).join(",") || "<none>";
    }
    case "serviceSelector": {
      const selector = (object.spec as { selector?: Record<string, string> }).selector ?? {};
      return Object.entries(selector).map(([key, value]) => `${key}=${value}`).join(",") || "<none>";
    }
    case "dataCount": {
      const state = object as unknown as { data?: object; binaryData?: object };
      return Object.keys(state.data ?? {}).length + Object.keys(state.binaryData ?? {}).length;
    }
    case "drs": {
      const drs = (object.spec as { drs?: { enabled?: boolean; automationLevel?: string } }).drs;
      return drs?.enabled ? (drs.automationLevel ?? "") : "off";
    }
    default: {
      const value = readPath(object, column.path);
      if (value === undefined || value === null) return column.type === "integer" ? 0 : "";
      return typeof value === "object" ? JSON.stringify(value) : String(value);
    }
  }
}

/** A custom kind's columns: its definition's additionalPrinterColumns, or Age when it names none (as kube-apiserver prints them). */
const printerColumnsOf = (custom: CustomResourceServing) => (custom.printerColumns.length > 0 ? custom.printerColumns : [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }]);

export function columnDefinitions(resource: ApiResource) {
  const columns = resource.custom
    ? printerColumnsOf(resource.custom).map((column) => ({ name: column.name, type: column.type === "date" ? "string" : column.type, format: column.format ?? "", description: column.description ?? "", priority: column.priority ?? 0 }))
    : resource.columns.map((column) => ({ name: column.name, type: column.type === "date" ? "string" : column.type, format: "", description: column.description, priority: column.priority ?? 0 }));
  return [{ name: "Name", type: "string", format: "name", description: "Name must be unique within a namespace.", priority: resource.nameIsWide ? 1 : 0 }, ...columns];
}

/** A row: its cells, and the object as `include` asks (give "Object" rows the objects as a get returns them, managedFields and all). */
export function tableRow(resource: ApiResource, object: KubeObject, include: IncludeObject, now = Date.now()) {
  const cells = [object.metadata.name, ...(resource.custom ? printerCells(printerColumnsOf(resource.custom), object, now) : resource.columns.map((column) => cell(object, column, now)))];
  if (include === "None") return { cells };
  return { cells, object: include === "Object" ? object : { kind: "PartialObjectMetadata", apiVersion: TABLE_API_VERSION, metadata: object.metadata } };
}

export function table(resource: ApiResource, objects: KubeObject[], metadata: { resourceVersion?: string; continue?: string }, include: IncludeObject, withColumns = true) {
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: TABLE_API_VERSION,
    metadata,
    columnDefinitions: withColumns ? columnDefinitions(resource) : [],
    rows: objects.map((object) => tableRow(resource, object, include, now)),
  };
}
