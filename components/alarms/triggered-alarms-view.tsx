"use client";
// Triggered Alarms (vSphere's Monitor › Issues and Alarms › Triggered Alarms on the root): every
// alarm the reader may see, filtered by severity and whether someone acknowledged it, both in the
// URL so a filtered view has a link. Live, like every alarm list.
import { useQuery } from "@tanstack/react-query";
import { FilterX } from "lucide-react";
import { TriggeredAlarmsTable } from "@/components/alarms/triggered-alarms-table";
import { useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { ALARM_FILTER_KEYS, alarmFilterFrom } from "@/lib/inventory/alarm-filter";
import { alarmCountsQuery } from "@/lib/queries/health-queries";

const ANY = "any";

export function TriggeredAlarmsView({ canOperate }: { canOperate: boolean }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const filter = alarmFilterFrom(searchParams);
  const filtered = ALARM_FILTER_KEYS.some((key) => filter[key]);
  const { data: counts } = useQuery(alarmCountsQuery());
  return (
    <div className="space-y-3">
      <div role="group" aria-label="Filter triggered alarms" className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-surface p-3">
        <FilterSelect
          id="alarm-severity"
          label="Severity"
          value={filter.severity}
          options={[["critical", "Critical"], ["warning", "Warning"]]}
          anyLabel="All severities"
          onChange={(value) => navigate({ severity: value })}
        />
        <FilterSelect
          id="alarm-acknowledged"
          label="Acknowledged"
          value={filter.acknowledged}
          options={[["no", "Not acknowledged"], ["yes", "Acknowledged"]]}
          anyLabel="Acknowledged or not"
          onChange={(value) => navigate({ acknowledged: value })}
        />
        {filtered && (
          <Button type="button" variant="ghost" size="sm" onClick={() => navigate({ severity: null, acknowledged: null })}>
            <FilterX aria-hidden /> Clear filters
          </Button>
        )}
        {counts && (
          <p className="ml-auto self-center text-sm text-muted-foreground" aria-live="polite">
            {counts.critical.toLocaleString()} critical, {counts.warning.toLocaleString()} warning; {counts.unacknowledged.toLocaleString()} not acknowledged
          </p>
        )}
      </div>
      <TriggeredAlarmsTable
        uid={null}
        canOperate={canOperate}
        filter={filter}
        empty={filtered ? "No triggered alarm matches these filters." : "No alarms are triggered. Everything is green."}
      />
    </div>
  );
}

function FilterSelect({
  id,
  label,
  value,
  options,
  anyLabel,
  onChange,
}: {
  id: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
  anyLabel: string;
  onChange: (value: string | null) => void;
}) {
  return (
    <div className="grid gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">{label}</Label>
      <Select value={value ?? ANY} onValueChange={(next) => onChange(next === ANY ? null : next)}>
        <SelectTrigger id={id} size="sm" className="w-44">
          <SelectValue />
        </SelectTrigger>
        <SelectContent>
          <SelectItem value={ANY}>{anyLabel}</SelectItem>
          {options.map(([option, optionLabel]) => (
            <SelectItem key={option} value={option}>
              {optionLabel}
            </SelectItem>
          ))}
        </SelectContent>
      </Select>
    </div>
  );
}
