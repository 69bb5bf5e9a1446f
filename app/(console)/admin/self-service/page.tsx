import { Boxes } from "lucide-react";
import type { Metadata } from "next";
import { TemplateEditor } from "@/components/admin/template-editor";
import { PageHeader } from "@/components/page-header";
import { requirePermission } from "@/lib/auth/session";
import { readNamespaceFormChoices, readPermissionSubjects, readTemplatesForAdmin } from "@/lib/inventory/namespace-reads";

export const metadata: Metadata = { title: "Self-Service · Administration" };

export default async function SelfServicePage() {
  const user = await requirePermission("namespaces.manage");
  const [templates, choices, subjects] = await Promise.all([readTemplatesForAdmin(user), readNamespaceFormChoices(), readPermissionSubjects()]);
  return (
    <>
      <PageHeader
        icon={<Boxes className="size-5" />}
        title="Self-Service"
        description="Administration · per cluster, what developers' New Namespace starts with, may not exceed and may use, and who may use it"
      />
      <div className="grid max-w-6xl gap-6 p-6">
        {choices.clusters.map((cluster) => (
          <TemplateEditor key={cluster} cluster={cluster} template={templates.find((template) => template.cluster === cluster) ?? null} choices={choices} groups={subjects.groups} />
        ))}
      </div>
    </>
  );
}
