"use client";
// Administration › Alarm Definitions: every definition with what it watches, its thresholds or
// severity, its duration, whether it is on, and how many objects it has triggered on now.
import { Pencil } from "lucide-react";
import { AlarmDefinitionDialog } from "@/components/admin/alarm-definition-dialog";
import { KIND_LABELS } from "@/components/objects/kind-icon";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
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

function duration(seconds: number): string {
  if (seconds === 0) return "At once";
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function AlarmDefinitionsTable({ definitions }: { definitions: AlarmDefinitionView[] }) {
  return (
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
            <TableHead className="px-3"><span className="sr-only">Edit</span></TableHead>
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
              <TableCell className="px-3 tabular-nums">{duration(definition.durationSeconds)}</TableCell>
              <TableCell className="px-3 tabular-nums">{definition.triggered.toLocaleString()}</TableCell>
              <TableCell className="px-3">{definition.enabled ? <Badge variant="success">Enabled</Badge> : <Badge variant="secondary">Disabled</Badge>}</TableCell>
              <TableCell className="px-3">
                <AlarmDefinitionDialog
                  definition={definition}
                  trigger={
                    <Button variant="ghost" size="sm" aria-label={`Edit ${definition.name}`}>
                      <Pencil aria-hidden /> Edit
                    </Button>
                  }
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
