import { Boxes } from "lucide-react";
import type { Metadata } from "next";
import { SelfServiceForm } from "@/components/namespaces/self-service-form";
import { PageHeader } from "@/components/page-header";
import { requireUser } from "@/lib/auth/session";
import { readMySelfServiceUsage, readUsableTemplates } from "@/lib/inventory/namespace-reads";

export const metadata: Metadata = { title: "New Namespace" };

// Self-service: a namespace of one's own, within a cluster's template, without filing a ticket.
export default async function NewNamespacePage() {
  const user = await requireUser();
  const templates = await readUsableTemplates(user);
  const usage = await readMySelfServiceUsage(user, templates.map((template) => template.cluster));
  return (
    <>
      <PageHeader icon={<Boxes className="size-5" />} title="New Namespace" description="A namespace of your own, within the limits an administrator set for the cluster" />
      <div className="p-6">
        {templates.length === 0 ? (
          <div className="max-w-xl rounded-lg border border-dashed border-border bg-surface p-6">
            <h2 className="font-semibold">No cluster offers you self-service namespaces</h2>
            <p className="mt-1 text-sm text-muted-foreground">An administrator decides which groups may create namespaces on which clusters. Ask one to add you to such a group.</p>
          </div>
        ) : (
          <SelfServiceForm templates={templates} usage={usage} />
        )}
      </div>
    </>
  );
}
