// How the console names a namespace role, in the namespace's own Permissions tab and where the
// role is inherited (a VM's Permissions tab).
import type { NamespaceRole } from "@/lib/engine/schemas";

export const NAMESPACE_ROLE_TEXT: Record<NamespaceRole, { label: string; description: string }> = {
  view: { label: "Can view", description: "Sees the namespace and its VMs" },
  edit: { label: "Can edit", description: "Deploys VMs and runs their lifecycle" },
  owner: { label: "Owner", description: "Can edit, and decides who may use the namespace" },
};
