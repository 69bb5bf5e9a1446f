// A user, group or service account named by a namespace permission, with the icon that tells which.
import { Bot, User, Users } from "lucide-react";
import type { NamespacePermission } from "@/lib/engine/schemas";

const ICONS = { User, Group: Users, ServiceAccount: Bot };
const LABELS = { User: "User", Group: "Group", ServiceAccount: "Service account" };

export function PermissionSubject({ kind, name, namespace }: Pick<NamespacePermission, "kind" | "name" | "namespace">) {
  const Icon = ICONS[kind];
  return (
    <span className="inline-flex items-center gap-2">
      <Icon className="size-4 text-muted-foreground" aria-label={LABELS[kind]} />
      <span className="font-medium">{namespace ? `${namespace}/${name}` : name}</span>
    </span>
  );
}
