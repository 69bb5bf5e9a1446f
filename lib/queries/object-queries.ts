// Query keys and browser-side fetchers for object pages and inventory lists. Each declares the
// changes it depends on (meta.live) so live updates refetch exactly what changed.
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { live } from "@/lib/live/live-dependencies";
import type { PageKind } from "@/lib/inventory/kinds";
import { listSearchString, type ListName, type ListPage, type ListParams } from "@/lib/inventory/list-definitions";
import type { AgentHostView } from "@/lib/inventory/agent-host-reads";
import type { DatastoreFilesView } from "@/lib/inventory/datastore-files";
import type { HostHeartbeat } from "@/lib/inventory/host-heartbeat";
import type { ActivityPage, ObjectTaskRow } from "@/lib/inventory/object-activity";
import type { ObjectActions } from "@/lib/inventory/object-actions";
import type { ObjectView } from "@/lib/inventory/object-view";
import type { SerialConsoleView } from "@/lib/inventory/serial-console-reads";
import type { WebConsoleView } from "@/lib/inventory/web-console-reads";
import { FetchError, fetchJson } from "@/lib/queries/inventory-queries";

export const LIST_KINDS: Record<ListName, PageKind> = {
  vms: "VirtualMachine",
  hosts: "Host",
  clusters: "Cluster",
  datastores: "Datastore",
  networks: "Network",
  pods: "Pod",
  deployments: "Deployment",
  replicasets: "ReplicaSet",
};

export const objectKeys = {
  all: ["objects"] as const,
  view: (uid: string) => [...objectKeys.all, uid, "view"] as const,
  actions: (uid: string) => [...objectKeys.all, uid, "actions"] as const,
  tasks: (uid: string, page: number) => [...objectKeys.all, uid, "tasks", page] as const,
  agentHost: (uid: string) => [...objectKeys.all, uid, "agent-host"] as const,
  serialConsole: (uid: string) => [...objectKeys.all, uid, "serial-console"] as const,
  webConsole: (uid: string) => [...objectKeys.all, uid, "web-console"] as const,
  files: (uid: string) => [...objectKeys.all, uid, "files"] as const,
  heartbeat: (uid: string) => [...objectKeys.all, uid, "heartbeat"] as const,
  podLog: (uid: string, container: string, previous: boolean) => [...objectKeys.all, uid, "log", container, previous] as const,
  list: (list: ListName, scopeUid: string | undefined, params: ListParams) => ["lists", list, scopeUid ?? "all", params] as const,
};

// Pages of these kinds show counts of the VMs they hold, which change without the object changing;
// a namespace's Summary counts its pods and Deployments too.
const COUNTS_VMS: readonly string[] = ["Datacenter", "Host", "Datastore", "Namespace"];

export const objectViewQuery = (uid: string, kind?: string) =>
  queryOptions({
    queryKey: objectKeys.view(uid),
    queryFn: () => fetchJson<ObjectView>(`/api/objects/${uid}`),
    meta: {
      live: [
        live.object(uid),
        live.tasksOf(uid),
        ...(kind && COUNTS_VMS.includes(kind) ? [live.objects("VirtualMachine")] : []),
        ...(kind === "Namespace" ? [live.objects("Pod"), live.objects("Deployment")] : []),
      ],
    },
  });

/** For a context menu: always read fresh when opened, since what applies follows the object's state. */
export const objectActionsQuery = (uid: string) =>
  queryOptions({
    queryKey: objectKeys.actions(uid),
    queryFn: () => fetchJson<{ object: ObjectView; actions: ObjectActions | null }>(`/api/objects/${uid}/actions`),
    staleTime: 0,
  });

export const objectTasksQuery = (uid: string, page: number) =>
  queryOptions({
    queryKey: objectKeys.tasks(uid, page),
    queryFn: () => fetchJson<ActivityPage<ObjectTaskRow>>(`/api/objects/${uid}/tasks?page=${page}`),
    placeholderData: keepPreviousData,
    meta: { live: [live.tasksOf(uid)] },
  });

/** A host's agent facts: its Node changes on registration and status reports, its Lease on every heartbeat. */
export const agentHostQuery = (uid: string) =>
  queryOptions({
    queryKey: objectKeys.agentHost(uid),
    queryFn: () => fetchJson<{ agent: AgentHostView | null }>(`/api/objects/${uid}/agent-host`),
    meta: { live: [live.object(uid), live.objects("Node"), live.objects("Lease")] },
  });

/** A datastore's folders and files: its VMs' disks and snapshots change them, as does the datastore's own status. */
export const datastoreFilesQuery = (uid: string) =>
  queryOptions({
    queryKey: objectKeys.files(uid),
    queryFn: () => fetchJson<DatastoreFilesView>(`/api/objects/${uid}/files`),
    meta: { live: [live.object(uid), live.objects("VirtualMachine")] },
  });

/** A host's last heartbeat: heartbeats change no object, so it is read again every few seconds while shown. */
export const hostHeartbeatQuery = (uid: string) =>
  queryOptions({
    queryKey: objectKeys.heartbeat(uid),
    queryFn: () => fetchJson<HostHeartbeat>(`/api/objects/${uid}/heartbeat`),
    refetchInterval: 5_000,
    meta: { live: [live.object(uid)] },
  });

export const serialConsoleQuery = (uid: string) =>
  queryOptions({
    queryKey: objectKeys.serialConsole(uid),
    queryFn: () => fetchJson<{ console: SerialConsoleView | null }>(`/api/objects/${uid}/serial-console`),
    meta: { live: [live.object(uid), live.machineOf(uid)] },
  });

/** Whether the VM's web console can be launched, and with keyboard and mouse or the screen only. */
export const webConsoleQuery = (uid: string) =>
  queryOptions({
    queryKey: objectKeys.webConsole(uid),
    queryFn: () => fetchJson<{ console: WebConsoleView | null }>(`/api/objects/${uid}/web-console`),
    meta: { live: [live.object(uid)] },
  });

/** A pod container's log, read again whenever the pod changes (a restart, a new state). */
export const podLogQuery = (uid: string, container: string, previous: boolean) =>
  queryOptions({
    queryKey: objectKeys.podLog(uid, container, previous),
    queryFn: async () => {
      const response = await fetch(`/api/objects/${uid}/log?${new URLSearchParams({ container, previous: String(previous) })}`);
      if (!response.ok) {
        const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
        throw new FetchError(body?.error?.message ?? `The server answered ${response.status}.`, response.status);
      }
      return response.text();
    },
    retry: false,
    // A running container's output does not announce itself: read its end again every few seconds.
    refetchInterval: previous ? false : 3_000,
    meta: { live: [live.object(uid)] },
  });

export const listPageQuery = (list: ListName, scopeUid: string | undefined, params: ListParams) => {
  const search = new URLSearchParams(listSearchString(params).slice(1));
  if (scopeUid) search.set("scope", scopeUid);
  return queryOptions({
    queryKey: objectKeys.list(list, scopeUid, params),
    queryFn: () => fetchJson<ListPage>(`/api/lists/${list}?${search}`),
    placeholderData: keepPreviousData,
    // A host's VM count changes as VMs move; a Deployment's pods are found through its ReplicaSets.
    // Tag assignments are events on the objects they tag (the objects' own rows do not change).
    meta: {
      live: [
        live.objects(LIST_KINDS[list]),
        ...(list === "hosts" ? [live.objects("VirtualMachine")] : []),
        ...(list === "pods" && scopeUid ? [live.objects("ReplicaSet")] : []),
        ...(params.tag ? [live.events(LIST_KINDS[list]), live.events("Tag")] : []),
      ],
    },
  });
};

