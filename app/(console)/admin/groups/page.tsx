import { UsersRound } from "lucide-react";
import type { Metadata } from "next";
import { CreateGroupDialog, GroupsTable } from "@/components/admin/groups-table";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { readPermissionSubjects } from "@/lib/inventory/namespace-reads";
import { listGroups } from "@/lib/users/group-admin";

export const metadata: Metadata = { title: "Groups · Administration" };

export default async function GroupsPage() {
  const user = await requirePermission("users.manage");
  const [groups, subjects] = await Promise.all([listGroups(user), readPermissionSubjects()]);
  return (
    <>
      <PageHeader
        icon={<UsersRound className="size-5" />}
        title="Groups"
        description={`Administration · ${groups.length} ${groups.length === 1 ? "group" : "groups"}; namespace permissions and self-service templates name groups`}
        actions={<CreateGroupDialog />}
      />
      <div className="p-6">
        <GroupsTable groups={groups} users={subjects.users} />
      </div>
    </>
  );
}
