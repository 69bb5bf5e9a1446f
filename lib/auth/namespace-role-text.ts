// How the console names a namespace's or a folder's roles, in its own Permissions tab and where the
// role is inherited (a VM's Permissions tab).
import type { NamespaceRole } from "@/lib/engine/schemas";

export const NAMESPACE_ROLE_TEXT: Record<NamespaceRole, { label: string; description: string }> = {
  view: { label: "Can view", description: "Sees the namespace and its VMs" },
  edit: { label: "Can edit", description: "Deploys VMs and runs their lifecycle" },
  owner: { label: "Owner", description: "Can edit, and decides who may use the namespace" },
};

/** The same roles on a VM folder, where they hold on every folder and VM below it. */
export const FOLDER_ROLE_TEXT: Record<NamespaceRole, { label: string; description: string }> = {
  view: { label: "Can view", description: "Sees the folder, the folders below it and their VMs" },
  edit: { label: "Can edit", description: "Runs the lifecycle of the VMs in it and below it" },
  owner: { label: "Owner", description: "Can edit, and decides who may use the folder" },
};
