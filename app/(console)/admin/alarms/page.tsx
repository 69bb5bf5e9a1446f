import { BellRing, Plus } from "lucide-react";
import type { Metadata } from "next";
import { AlarmDefinitionDialog } from "@/components/admin/alarm-definition-dialog";
import { AlarmDefinitionsTable } from "@/components/admin/alarm-definitions-table";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { requirePermission } from "@/lib/auth/session";
import { readAlarmDefinitions } from "@/lib/inventory/alarm-reads";

export const metadata: Metadata = { title: "Alarm Definitions · Administration" };

export default async function AlarmDefinitionsPage() {
  await requirePermission("alarms.manage");
  const definitions = await readAlarmDefinitions();
  return (
    <>
      <PageHeader
        icon={<BellRing className="size-5" />}
        title="Alarm Definitions"
        description={`Administration · ${definitions.length} definitions`}
        actions={
          <AlarmDefinitionDialog
            trigger={
              <Button>
                <Plus aria-hidden /> New Alarm Definition
              </Button>
            }
          />
        }
      />
      <div className="p-6">
        <AlarmDefinitionsTable definitions={definitions} />
      </div>
    </>
  );
}
