import { Boxes } from "lucide-react";
import type { Metadata } from "next";
import { NamespacesTable } from "@/components/admin/namespaces-table";
import { NewNamespaceButton } from "@/components/namespaces/new-namespace-button";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { readNamespacesForAdmin } from "@/lib/inventory/namespace-admin-reads";
import { readNamespaceFormChoices } from "@/lib/inventory/namespace-reads";

export const metadata: Metadata = { title: "Namespaces · Administration" };

export default async function NamespacesAdminPage() {
  const user = await requirePermission("namespaces.manage");
  const [namespaces, choices] = await Promise.all([readNamespacesForAdmin(user), readNamespaceFormChoices()]);
  return (
    <>
      <PageHeader
        icon={<Boxes className="size-5" />}
        title="Namespaces"
        description={`Administration · ${namespaces.length} ${namespaces.length === 1 ? "namespace" : "namespaces"}; edit or delete one from its page's Actions`}
        actions={<NewNamespaceButton choices={choices} />}
      />
      <div className="p-6">
        <NamespacesTable namespaces={namespaces} />
      </div>
    </>
  );
}
