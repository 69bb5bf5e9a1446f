// Which Actions menu a user gets on an object, and what that menu needs beyond the object itself.
// The object page's header and the navigator's and lists' context menus both ask here, so a
// right-click offers exactly what the page offers, to exactly the same people.
import "server-only";
import { can, isAuthorized, namespaceDeleteRefusal } from "@/lib/auth/authorize";
import type { SessionUser } from "@/lib/auth/session";
import { isAgentHost } from "@/lib/inventory/agent-host-reads";
import { readClusterDatastores, readDatacenterHostLocations } from "@/lib/inventory/cluster-datastores";
import { readClusterFolders, readDatacenterFolders, type FolderChoice } from "@/lib/inventory/folder-reads";
import { folderTypeOf } from "@/lib/inventory/folder-rules";
import { readNamespaceFormChoices, type NamespaceFormChoices } from "@/lib/inventory/namespace-reads";
import type { ObjectView } from "@/lib/inventory/object-view";
import { CLUSTER_LABEL, TEMPLATE_LABEL } from "@/lib/vocabulary/engine-owned-metadata";

export type ObjectActions =
  /** folders: where Move To Folder may take the VM (its datacenter's), null when the user may not move it. */
  | { menu: "VirtualMachine"; canMigrate: boolean; folders: FolderChoice[] | null }
  | { menu: "Pod" }
  | { menu: "Deployment" }
  /** deleteRefusal: why Delete Namespace is refused (shown disabled with it), null when allowed, undefined to leave it out. */
  | { menu: "Namespace"; canDeploy: boolean; manage: NamespaceFormChoices | null; deleteRefusal?: string | null }
  /** failureInjection: Simulate Failure and Recover, for administrators on a simulated host. */
  | { menu: "Host"; failureInjection: boolean }
  | { menu: "Datacenter"; clusters: { cluster: string; datastores: string[] }[] }
  /** folders: the host folders of its datacenter, where Move To Folder may take it. */
  | { menu: "Cluster"; datacenter: string; datastores: string[]; folders: FolderChoice[] }
  /** destinations: the datacenter's folders of its type Move To may take it into (never itself or below it). */
  | { menu: "Folder"; datacenter: string; destinations: FolderChoice[] }
  | { menu: "Datastore" }
  | { menu: "Network" }
  | { menu: "Template" };

/** The menu the user may open on the object, or null when they may do nothing to it. */
export async function readObjectActions(object: ObjectView, user: SessionUser): Promise<ObjectActions | null> {
  const canOperate = can(user, "inventory.operate");
  switch (object.kind) {
    case "VirtualMachine":
      if (!(await isAuthorized(user, "operate", object))) return null;
      return { menu: "VirtualMachine", canMigrate: canOperate, folders: canOperate ? await readClusterFolders(object.labels[CLUSTER_LABEL]) : null };
    case "Pod":
    case "Deployment":
      return (await isAuthorized(user, "operate", object)) ? { menu: object.kind } : null;
    case "Namespace": {
      const canDeploy = await isAuthorized(user, "operate", { kind: "VirtualMachine", namespace: object.name, name: "" });
      const canManage = can(user, "namespaces.manage");
      const deleteRefusal = await namespaceDeleteRefusal(user, object.name);
      // Delete is offered to whoever may delete, and shown refused only to the namespace's owners.
      const offersDelete = deleteRefusal === null || (await isAuthorized(user, "managePermissions", object));
      if (!canDeploy && !canManage && !offersDelete) return null;
      return { menu: "Namespace", canDeploy, manage: canManage ? await readNamespaceFormChoices() : null, ...(offersDelete ? { deleteRefusal } : {}) };
    }
  }
  if (!canOperate) return null;
  switch (object.kind) {
    case "Host":
      return { menu: "Host", failureInjection: can(user, "simulator.injectFailures") && !(await isAgentHost(object.name)) };
    case "Datastore":
    case "Network":
      return { menu: object.kind };
    case "Datacenter":
      return { menu: "Datacenter", clusters: await readDatacenterHostLocations(object.name) };
    case "Cluster": {
      const datacenter = String(object.spec.datacenter);
      const [datastores, folders] = await Promise.all([readClusterDatastores(object.name), readDatacenterFolders(datacenter, "host")]);
      return { menu: "Cluster", datacenter, datastores, folders };
    }
    case "Folder": {
      const datacenter = String(object.spec.datacenter);
      const destinations = (await readDatacenterFolders(datacenter, folderTypeOf(object.spec))).filter((folder) => !folder.lineage.includes(object.uid));
      return { menu: "Folder", datacenter, destinations };
    }
    case "VirtualMachineImage":
      return object.labels[TEMPLATE_LABEL] === "true" ? { menu: "Template" } : null;
    default:
      return null;
  }
}
