import { Box } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ConditionsCard, FactsCard, LabelList, type ObjectCondition } from "@/components/inventory/object-summary";
import { HostFailureControls } from "@/components/inventory/host-failure-controls";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/auth/authorize";
import { requirePermission } from "@/lib/auth/session";
import { readObject } from "@/lib/inventory/inventory-reads";

export const metadata: Metadata = { title: "Object" };

export default async function ObjectPage({ params }: PageProps<"/objects/[uid]">) {
  const user = await requirePermission("inventory.read");
  const { uid } = await params;
  const object = await readObject(uid);
  if (!object) notFound();

  const { conditions = [], ...status } = (object.status ?? {}) as { conditions?: ObjectCondition[] } & Record<string, never>;
  return (
    <>
      <PageHeader
        icon={<Box className="size-5" />}
        title={object.name}
        description={`${object.kind}${object.namespace ? ` in namespace ${object.namespace}` : ""} · created ${object.creationTimestamp.toLocaleString("en-US")}`}
        actions={object.kind === "Host" && can(user, "simulator.injectFailures") ? <HostFailureControls name={object.name} /> : undefined}
      />
      <div className="space-y-4 p-6">
        <LabelList labels={object.labels as Record<string, string>} />
        <div className="grid gap-4 lg:grid-cols-2">
          <FactsCard title="Desired state (spec)" facts={object.spec as never} />
          <FactsCard title="Observed state (status)" facts={status} />
        </div>
        <ConditionsCard conditions={conditions} />
      </div>
    </>
  );
}
