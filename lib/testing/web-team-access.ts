// The people and namespace the Kubernetes API's authorization tests share (the role × verb ×
// object matrix, and kubectl auth's questions): an administrator, an operator, and web-team's
// owner (dev), editor (dana, through the group web-editors) and viewer (vera), and eve, who holds
// no role anywhere. dev, dana and vera are in "developers", the group test-cluster's self-service
// template is open to. No developer holds apps.
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import type { NamespacePermission } from "@/lib/engine/schemas";
import { CLUSTER } from "@/lib/testing/engine-harness";
import type { KubeHarness } from "@/lib/testing/kube-harness";

export const ROLES = ["administrator", "operator", "owner", "editor", "viewer", "outsider"] as const;
export type Role = (typeof ROLES)[number];

export const USERNAMES: Record<Role, string> = { administrator: "admin", operator: "olivia", owner: "dev", editor: "dana", viewer: "vera", outsider: "eve" };
export const WEB_TEAM = "web-team";
export const WEB_TEAM_PERMISSIONS: NamespacePermission[] = [
  { kind: "User", name: "dev", role: "owner" },
  { kind: "Group", name: "web-editors", role: "edit" },
  { kind: "User", name: "vera", role: "view" },
];
export const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;

/** A group of these users, by role. */
export async function addGroup(kube: KubeHarness, name: string, members: readonly Role[]): Promise<void> {
  const { rows } = await kube.pool.query<{ id: string }>(`INSERT INTO user_groups (name) VALUES ($1) RETURNING id`, [name]);
  for (const member of members) await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, $2)`, [rows[0]!.id, `user-${USERNAMES[member]}`]);
}

/** Every role's token and kubeconfig, the groups, the self-service template and web-team itself. */
export async function seedWebTeamAccess(kube: KubeHarness): Promise<{ tokens: Record<Role, string>; kubeconfigs: Record<Role, string> }> {
  const tokens = { administrator: kube.tokens.administrator, operator: kube.tokens.operator, owner: kube.tokens.developer } as Record<Role, string>;
  const kubeconfigs = { administrator: kube.kubeconfig.administrator, operator: kube.kubeconfig.operator, owner: kube.kubeconfig.developer } as Record<Role, string>;
  for (const role of ["editor", "viewer", "outsider"] as const) ({ token: tokens[role], kubeconfig: kubeconfigs[role] } = await kube.addUser(USERNAMES[role], "developer"));
  await addGroup(kube, "developers", ["owner", "editor", "viewer"]);
  await addGroup(kube, "web-editors", ["editor"]);
  await kube.pool.query(`INSERT INTO namespace_templates (cluster, default_cpu, max_cpu, groups) VALUES ($1, 4, 32, '{developers}')`, [CLUSTER]);
  await createNamespace(ADMIN, { name: WEB_TEAM, cluster: CLUSTER, permissions: WEB_TEAM_PERMISSIONS }, kube.pool);
  return { tokens, kubeconfigs };
}
