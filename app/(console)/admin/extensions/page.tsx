import { Puzzle } from "lucide-react";
import type { Metadata } from "next";
import { ExtensionsTable } from "@/components/admin/extensions-table";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { readExtensions } from "@/lib/inventory/extension-reads";

export const metadata: Metadata = { title: "Extensions · Administration" };

export default async function ExtensionsAdminPage() {
  const user = await requirePermission("customResourceDefinitions.manage");
  const extensions = await readExtensions(user);
  return (
    <>
      <PageHeader
        icon={<Puzzle className="size-5" />}
        title="Extensions"
        description={`Administration · ${extensions.length} ${extensions.length === 1 ? "CustomResourceDefinition" : "CustomResourceDefinitions"}: kinds the control plane serves beside its own, each with the controller that looks after its objects`}
      />
      <div className="p-6">
        <ExtensionsTable extensions={extensions} />
      </div>
    </>
  );
}
