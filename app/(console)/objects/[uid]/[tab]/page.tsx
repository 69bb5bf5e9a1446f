import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { ConfigureTab } from "@/components/objects/configure/configure-tab";
import { DatastoreFilesTab } from "@/components/objects/datastore-files-tab";
import { monitorParams } from "@/components/objects/monitor/monitor-params";
import { MonitorTab } from "@/components/objects/monitor/monitor-tab";
import { FolderPermissionsTab } from "@/components/folders/folder-permissions-tab";
import { folderTypeOf } from "@/lib/inventory/folder-rules";
import { NamespacePermissionsTab } from "@/components/namespaces/namespace-permissions-tab";
import { PermissionsTab } from "@/components/objects/permissions/permissions-tab";
import { YamlTab } from "@/components/objects/yaml-tab";
import { PodLogsTab } from "@/components/workloads/pod-logs-tab";
import { PrefetchedInventoryList } from "@/components/tables/prefetched-inventory-list";
import { can, isAuthorized } from "@/lib/auth/authorize";
import { getAccessScope, requireUser } from "@/lib/auth/session";
import { readEvents } from "@/lib/inventory/event-reads";
import { folderPermissionsOf, readFolderChainPermissions, readsFolderPermissions } from "@/lib/inventory/folder-permission-reads";
import { eventFilterFrom } from "@/lib/inventory/event-filter";
import { isCustomResourceKind, isInventoryKind } from "@/lib/inventory/kinds";
import { readObjectTasks } from "@/lib/inventory/object-activity";
import { isListTab, tabsFor, type ObjectTab } from "@/lib/inventory/object-tabs";
import { readObjectForReader } from "@/lib/inventory/object-access";
import { namespacePermissionsOf, readNamespaceAccess, readPermissionSubjects, readServiceAccountNames } from "@/lib/inventory/namespace-reads";
import { editVerbForKind, isEditableKind } from "@/lib/kube/api-resources";
import { refreshServedCustomKinds } from "@/lib/kube/served-custom-kinds";
import { readSerialConsole } from "@/lib/inventory/serial-console-reads";
import { readVmClassOptions } from "@/lib/inventory/vm-classes";
import { eventsQuery } from "@/lib/queries/health-queries";
import { objectTasksQuery, serialConsoleQuery } from "@/lib/queries/object-queries";
import { getQueryClient } from "@/lib/queries/query-client";
import { readInventoryAccess } from "@/lib/users/inventory-access";
import { FOLDER_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export default async function ObjectTabPage({ params, searchParams }: PageProps<"/objects/[uid]/[tab]">) {
  const user = await requireUser();
  const { uid, tab } = await params;
  const object = await readObjectForReader(user, uid);
  if (!object || tab === "summary" || !tabsFor(object.kind, can(user, "inventory.read")).includes(tab as ObjectTab)) notFound();
  if (isListTab(tab as ObjectTab)) {
    return (
      <div className="p-6">
        <PrefetchedInventoryList list={tab as Extract<ObjectTab, "vms">} scopeUid={uid} searchParams={await searchParams} user={user} />
      </div>
    );
  }
  switch (tab as Exclude<ObjectTab, "summary">) {
    case "monitor": {
      const search = await searchParams;
      const get = (name: string) => (typeof search[name] === "string" ? search[name] : null);
      const { view, page } = monitorParams({ get });
      const queryClient = getQueryClient();
      // DRS recommendations are part of the object view the layout already handed over; alarms and
      // charts load in the browser.
      if (view === "events") {
        const filter = eventFilterFrom({ get });
        await queryClient.prefetchQuery({ ...eventsQuery(uid, filter, page), queryFn: async () => readEvents({ ...filter, uid }, page, await getAccessScope()) });
      } else if (view === "tasks") await queryClient.prefetchQuery({ ...objectTasksQuery(uid, page), queryFn: async () => readObjectTasks(uid, page, await getAccessScope()) });
      // Whether the Monitor tab offers a serial console (a VM on a real host), and its lines.
      if (object.kind === "VirtualMachine") await queryClient.prefetchQuery({ ...serialConsoleQuery(uid), queryFn: async () => ({ console: await readSerialConsole(uid) }) });
      return (
        <HydrationBoundary state={dehydrate(queryClient)}>
          <MonitorTab uid={uid} canOperate={can(user, "inventory.operate")} />
        </HydrationBoundary>
      );
    }
    case "configure":
      return <ConfigureTab uid={uid} canEdit={await isAuthorized(user, "operate", object)} vmClasses={object.kind === "VirtualMachine" ? await readVmClassOptions() : undefined} />;
    case "permissions":
      // A host folder holds clusters, which only the whole inventory's readers see: it shows who they are, as a cluster does.
      if (object.kind === "Folder" && folderTypeOf(object.spec) === "vm") {
        const scope = await getAccessScope();
        return (
          <FolderPermissionsTab
            folder={object.name}
            resourceVersion={object.resourceVersion}
            permissions={readsFolderPermissions(scope, object.uid) ? folderPermissionsOf(object.spec) : null}
            inherited={await readFolderChainPermissions(typeof object.spec.parent === "string" ? object.spec.parent : null, scope)}
            canManage={await isAuthorized(user, "managePermissions", object)}
            subjects={await readPermissionSubjects()}
          />
        );
      }
      return object.kind === "Namespace" ? (
        <NamespacePermissionsTab
          namespace={object.name}
          resourceVersion={object.resourceVersion}
          permissions={namespacePermissionsOf(object.spec)}
          canManage={await isAuthorized(user, "managePermissions", object)}
          subjects={await readPermissionSubjects()}
          serviceAccounts={await readServiceAccountNames(object.name)}
        />
      ) : (
        <PermissionsTab
          rows={await readInventoryAccess(user)}
          namespace={object.namespace ? await readNamespaceAccess(object.namespace) : null}
          folders={object.kind === "VirtualMachine" ? await readFolderChainPermissions(object.labels[FOLDER_LABEL] ?? null, await getAccessScope()) : []}
        />
      );
    case "files":
      return <DatastoreFilesTab uid={uid} />;
    case "logs":
      return <PodLogsTab uid={uid} />;
    case "yaml":
      // Pods, Deployments and ReplicaSets are edited with kubectl; the console shows their YAML.
      await refreshServedCustomKinds();
      return (
        <YamlTab
          uid={uid}
          canEdit={(isInventoryKind(object.kind) || isCustomResourceKind(object.kind)) && isEditableKind(object.kind) && (await isAuthorized(user, editVerbForKind(object.kind), object))}
        />
      );
    default:
      notFound();
  }
}
