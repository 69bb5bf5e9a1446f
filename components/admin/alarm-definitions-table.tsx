"use client";
// Administration › Alarm Definitions: every definition with what it watches, its thresholds or
// severity, its duration, whether it is on, and how many objects it has triggered on now; Edit,
// Enable or Disable, and Delete for the ones administrators added (built-in ones can only be
// disabled, as in vCenter). Each names the version the list showed, so a stale one gets Reload.
import { Pencil, Power, PowerOff, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { AlarmDefinitionDialog } from "@/components/admin/alarm-definition-dialog";
import { KIND_LABELS } from "@/components/objects/kind-icon";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { Tooltip, TooltipContent, TooltipTrigger } from "@/components/ui/tooltip";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { deleteAlarmDefinition } from "@/lib/actions/alarms/delete-alarm-definition";
import { setAlarmDefinitionEnabled } from "@/lib/actions/alarms/set-alarm-definition-enabled";
import { formatDuration } from "@/lib/alarms/alarm-definition-changes";
import { alarmMetric } from "@/lib/alarms/alarm-metrics";
import type { AlarmDefinitionView } from "@/lib/inventory/alarm-reads";

function condition(definition: AlarmDefinitionView): string {
  const metric = alarmMetric(definition.metric);
  if (!metric) return definition.metric;
  if (metric.type !== "percent") return `${metric.label} → ${definition.severity === "critical" ? "Critical" : "Warning"}`;
  const word = definition.condition === "below" ? "below" : "above";
  const parts = [
    definition.warningThreshold !== null && `Warning ${word} ${definition.warningThreshold} %`,
    definition.criticalThreshold !== null && `Critical ${word} ${definition.criticalThreshold} %`,
  ].filter(Boolean);
  return `${metric.label.replace(" (%)", "")}: ${parts.join(", ")}`;
}

export function AlarmDefinitionsTable({ definitions }: { definitions: AlarmDefinitionView[] }) {
  const router = useRouter();
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  const toggle = useAction(setAlarmDefinitionEnabled);
  const remove = useAction(deleteAlarmDefinition);

  const settle = (outcome: { data?: { status: string; message?: string }; serverError?: { message: string } } | undefined, done: string) => {
    if (outcome?.serverError) toast.error(outcome.serverError.message);
    else if (outcome?.data?.status === "conflict") toast.error(outcome.data.message, { action: { label: "Reload", onClick: () => router.refresh() } });
    else toast.success(done);
    router.refresh();
  };

  const setEnabled = async (definition: AlarmDefinitionView, enabled: boolean) => {
    const outcome = await toggle.executeAsync({ id: definition.id, expectedVersion: definition.version, enabled });
    settle(outcome, `Alarm definition ${definition.name} ${enabled ? "enabled" : "disabled"}`);
  };

  const confirmDelete = (definition: AlarmDefinitionView) =>
    setConfirmation({
      title: `Delete alarm definition ${definition.name}?`,
      description:
        definition.triggered > 0
          ? `Its ${definition.triggered === 1 ? "triggered alarm goes" : `${definition.triggered.toLocaleString()} triggered alarms go`} with it, and nothing is watched for it any more. This cannot be undone.`
          : "Nothing is watched for it any more. This cannot be undone.",
      confirm: "Delete",
      run: async () => settle(await remove.executeAsync({ id: definition.id, expectedVersion: definition.version }), `Alarm definition ${definition.name} deleted`),
    });

  return (
    <>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Alarm definitions">
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">Name</TableHead>
              <TableHead className="px-3">Object type</TableHead>
              <TableHead className="w-full px-3">Condition</TableHead>
              <TableHead className="px-3">Duration</TableHead>
              <TableHead className="px-3">Triggered now</TableHead>
              <TableHead className="px-3">Status</TableHead>
              <TableHead className="px-3"><span className="sr-only">Actions</span></TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {definitions.map((definition) => (
              <TableRow key={definition.id} className="h-11">
                <TableCell className="px-3">
                  <div className="font-medium">{definition.name}</div>
                  <div className="text-xs text-muted-foreground">{definition.builtIn ? "Built in" : `Added by ${definition.updatedBy ?? "an administrator"}`}</div>
                </TableCell>
                <TableCell className="px-3">{KIND_LABELS[definition.objectKind] ?? definition.objectKind}</TableCell>
                <TableCell className="max-w-0 px-3">
                  <span className="block truncate" title={condition(definition)}>
                    {condition(definition)}
                  </span>
                </TableCell>
                <TableCell className="px-3 tabular-nums">{formatDuration(definition.durationSeconds)}</TableCell>
                <TableCell className="px-3 tabular-nums">{definition.triggered.toLocaleString()}</TableCell>
                <TableCell className="px-3">{definition.enabled ? <Badge variant="success">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>}</TableCell>
                <TableCell className="px-3">
                  <div className="flex justify-end gap-1">
                    <AlarmDefinitionDialog
                      definition={definition}
                      trigger={
                        <Button variant="ghost" size="icon" aria-label={`Edit ${definition.name}`} title="Edit">
                          <Pencil aria-hidden />
                        </Button>
                      }
                    />
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`${definition.enabled ? "Disable" : "Enable"} ${definition.name}`}
                      title={definition.enabled ? "Disable" : "Enable"}
                      disabled={toggle.isPending}
                      onClick={() => void setEnabled(definition, !definition.enabled)}
                    >
                      {definition.enabled ? <PowerOff aria-hidden /> : <Power aria-hidden />}
                    </Button>
                    {definition.builtIn ? (
                      <Tooltip>
                        <TooltipTrigger asChild>
                          {/* A disabled button takes no pointer events, so the tooltip hangs on a wrapper. */}
                          <span>
                            <Button variant="ghost" size="icon" disabled aria-label={`Delete ${definition.name}: built in, disable it instead`}>
                              <Trash2 aria-hidden />
                            </Button>
                          </span>
                        </TooltipTrigger>
                        <TooltipContent side="left">Built in: disable it instead of deleting it.</TooltipContent>
                      </Tooltip>
                    ) : (
                      <Button variant="ghost" size="icon" aria-label={`Delete ${definition.name}`} title="Delete" onClick={() => confirmDelete(definition)}>
                        <Trash2 aria-hidden />
                      </Button>
                    )}
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </>
  );
}
