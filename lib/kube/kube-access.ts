// Who may do what through the Kubernetes API. The one module to change when namespace
// permissions arrive: today the global roles decide (administrators and operators read and
// operate everything, developers nothing), exactly as lib/auth/authorize.ts decides for the console.
import { can } from "@/lib/auth/authorize";
import type { OperationActor } from "@/lib/engine/operations/change-spec";
import { forbidden, type ResourceRef } from "@/lib/kube/api-status";
import type { Verb } from "@/lib/kube/api-resources";
import type { TokenUser } from "@/lib/kube/api-tokens";

export type KubeActor = OperationActor;

export function actorForTokenUser(user: TokenUser): KubeActor {
  return { id: user.id, username: user.username, role: user.role };
}

const READS: readonly string[] = ["get", "list", "watch"];

/** Throws a Forbidden Status unless the actor may `verb` the resource (in `namespace`, if namespaced). */
export function authorizeKube(actor: KubeActor, verb: Verb, ref: ResourceRef, namespace: string | undefined): void {
  const permission = READS.includes(verb) ? "inventory.read" : "inventory.operate";
  if (can(actor, permission)) return;
  throw forbidden(actor.username, verb, ref, namespace, permission === "inventory.read" ? "only administrators and operators can see the inventory" : "only administrators and operators can change the inventory");
}

/**
 * The namespaces whose objects a list or watch may return to the actor, or null for all. Today
 * whoever may list at all sees everything; with namespace permissions this narrows a developer's
 * `kubectl get vm -A` to their namespaces.
 */
export function visibleNamespacesFor(actor: KubeActor): string[] | null {
  return can(actor, "inventory.read") ? null : [];
}
