// Core v1 Services, read-only: the one every cluster has, `kubernetes` in `default`, describing this
// API server (ClusterIP, 443/TCP "https" to the port the client reached), so `kubectl cluster-info`
// and `kubectl get svc` answer as on any cluster. Skylight runs no service proxy, so it holds no
// other Service and refuses writes (405). The object is computed from the `default` namespace's
// row (its identity and age), never stored: get, list and watch (the list's ADDED events, then
// bookmarks only, since it never changes while the namespace stands).
import { createHash } from "node:crypto";
import type pg from "pg";
import type { ApiResource, Verb } from "@/lib/kube/api-resources";
import { listBody, resourceRef } from "@/lib/kube/kube-reads";
import { methodNotAllowed, notFound } from "@/lib/kube/api-status";
import type { KubeObject } from "@/lib/kube/kube-objects";
import type { WatchSource } from "@/lib/kube/kube-watch";
import { awaitResourceVersion, type ListParams } from "@/lib/kube/request-params";
import { matchesSelectors } from "@/lib/kube/selectors";
import { table, type IncludeObject } from "@/lib/kube/table-output";
import type { WatchFrontier } from "@/lib/kube/watch-frontier";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

/** kube-apiserver's default for the `kubernetes` Service: the first address of the service range 10.96.0.0/12. */
export const KUBERNETES_SERVICE_IP = "10.96.0.1";

export interface ServiceRequest {
  pool: pg.Pool;
  frontier: WatchFrontier;
  resource: ApiResource;
  verb: Verb;
  namespace?: string;
  name?: string;
  /** A list's or watch's parameters, already validated. */
  params: ListParams | null;
  /** Table output with this includeObject, or null for the objects themselves. */
  asTable: IncludeObject | null;
  /** The port this request reached the API on: the Service's targetPort. */
  apiPort: number;
}

/** A stable uid for the Service, derived from its namespace's, so a re-created `default` gives a new one. */
function serviceUid(namespaceUid: string): string {
  const hex = createHash("sha256").update(`${namespaceUid}/services/kubernetes`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The `kubernetes` Service, or none while `default` does not exist. */
async function kubernetesService(pool: pg.Pool, apiPort: number): Promise<KubeObject | null> {
  const { rows } = await pool.query<{ uid: string; created: Date; resource_version: string }>(
    `SELECT uid::text, creation_timestamp AS created, resource_version::text FROM resources WHERE kind = 'Namespace' AND namespace = '' AND name = $1 AND deletion_timestamp IS NULL`,
    [SYSTEM_NAMESPACE],
  );
  const namespace = rows[0];
  if (!namespace) return null;
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kubernetes",
      namespace: SYSTEM_NAMESPACE,
      uid: serviceUid(namespace.uid),
      resourceVersion: namespace.resource_version,
      creationTimestamp: namespace.created.toISOString(),
      labels: { component: "apiserver", provider: "kubernetes" },
    },
    spec: {
      type: "ClusterIP",
      clusterIP: KUBERNETES_SERVICE_IP,
      clusterIPs: [KUBERNETES_SERVICE_IP],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: apiPort }],
    },
    status: { loadBalancer: {} },
  } as unknown as KubeObject;
}

/** The Services a list or watch selects: the one, when its namespace and the selectors admit it. */
async function selectedServices(request: ServiceRequest): Promise<KubeObject[]> {
  const service = await kubernetesService(request.pool, request.apiPort);
  if (!service || (request.namespace !== undefined && request.namespace !== SYSTEM_NAMESPACE)) return [];
  const params = request.params!;
  return matchesSelectors(service, params.labelSelector, params.fieldSelector, request.resource.fields) ? [service] : [];
}

/** A watch source whose objects never change: the selected ones at first, then nothing but bookmarks. */
export function servicesWatchSource(request: ServiceRequest): WatchSource {
  return {
    list: async () => ({ objects: await selectedServices(request), resourceVersion: String(await request.frontier.current()) }),
    changes: async () => [],
  };
}

/** get and list; a watch goes to serveWatch with servicesWatchSource; every write is refused. */
export async function serveServices(request: ServiceRequest): Promise<{ status: number; body: unknown }> {
  const { resource, verb, name, asTable } = request;
  if (verb === "get") {
    const service = request.namespace === SYSTEM_NAMESPACE && name === "kubernetes" ? await kubernetesService(request.pool, request.apiPort) : null;
    if (!service) throw notFound(resourceRef(resource, name));
    return { status: 200, body: asTable ? table(resource, [service], { resourceVersion: service.metadata.resourceVersion }, asTable) : service };
  }
  if (verb === "list") {
    if (request.params!.resourceVersion !== null) await awaitResourceVersion(request.frontier, request.params!.resourceVersion);
    const resourceVersion = String(await request.frontier.current());
    const objects = await selectedServices(request);
    return { status: 200, body: asTable ? table(resource, objects, { resourceVersion }, asTable) : listBody(resource, { objects, resourceVersion }) };
  }
  throw methodNotAllowed(`services are not served for writes yet: Skylight holds only the kubernetes Service in ${SYSTEM_NAMESPACE}, which describes this API server (get, list and watch them)`);
}
