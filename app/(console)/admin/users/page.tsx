import { Users } from "lucide-react";
import type { Metadata } from "next";
import { CreateUserDialog } from "@/components/admin/create-user-dialog";
import { UsersTable } from "@/components/admin/users-table";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { listUsers } from "@/lib/users/user-admin";

export const metadata: Metadata = { title: "Users · Administration" };

export default async function UsersPage() {
  const user = await requirePermission("users.manage");
  const users = await listUsers(user);
  return (
    <>
      <PageHeader
        icon={<Users className="size-5" />}
        title="Users"
        description={`Administration · ${users.length} users`}
        actions={<CreateUserDialog />}
      />
      <div className="p-6">
        <UsersTable users={users.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }))} currentUserId={user.id} />
      </div>
    </>
  );
}
