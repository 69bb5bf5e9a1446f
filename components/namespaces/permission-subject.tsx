// A user or group named by a namespace permission, with the icon that tells which.
import { User, Users } from "lucide-react";
import type { NamespacePermission } from "@/lib/engine/schemas";

export function PermissionSubject({ kind, name }: Pick<NamespacePermission, "kind" | "name">) {
  return (
    <span className="inline-flex items-center gap-2">
      {kind === "Group" ? <Users className="size-4 text-muted-foreground" aria-label="Group" /> : <User className="size-4 text-muted-foreground" aria-label="User" />}
      <span className="font-medium">{name}</span>
    </span>
  );
}
