"use client";
// The time range of Monitor › Performance (Overview and Advanced): Real-time, Last day, Last week,
// Last month or Custom, kept in the URL (`range`, and `from`/`to` for Custom), with how many samples
// the range holds.
import { useState } from "react";
import { useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { PerformanceRange, PerformanceSeries } from "@/lib/inventory/performance-reads";
import { cn } from "@/lib/utils";

const RANGES: { id: PerformanceRange; label: string }[] = [
  { id: "realtime", label: "Real-time" },
  { id: "day", label: "Last day" },
  { id: "week", label: "Last week" },
  { id: "month", label: "Last month" },
  { id: "custom", label: "Custom" },
];

const toLocalInput = (iso: string | null) => {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

/** The range the URL names; a custom one is ready once it has both ends. */
export function usePerformanceRange() {
  const { searchParams } = useSearchParamNavigation();
  const range = (RANGES.find((candidate) => candidate.id === searchParams.get("range"))?.id ?? "realtime") as PerformanceRange;
  const from = searchParams.get("from");
  const to = searchParams.get("to");
  return { range, from, to, customReady: range !== "custom" || Boolean(from && to) };
}

function PerformanceRangePicker() {
  const { navigate } = useSearchParamNavigation();
  const { range, from, to } = usePerformanceRange();
  return (
    <>
      <div role="radiogroup" aria-label="Time range" className="inline-flex rounded-md border border-border bg-surface p-0.5">
        {RANGES.map((option) => (
          <button
            key={option.id}
            type="button"
            role="radio"
            aria-checked={range === option.id}
            onClick={() => navigate({ range: option.id === "realtime" ? null : option.id, ...(option.id === "custom" ? {} : { from: null, to: null }) })}
            className={cn(
              "rounded px-3 py-1 text-sm transition-colors",
              range === option.id ? "bg-primary text-primary-foreground" : "text-muted-foreground hover:bg-muted hover:text-foreground",
            )}
          >
            {option.label}
          </button>
        ))}
      </div>
      {range === "custom" && <CustomRange from={from} to={to} onApply={(next) => navigate(next)} />}
    </>
  );
}

/** The range picker, and how many samples the range holds at which interval. */
export function PerformanceRangeBar({ series, updating, note }: { series: PerformanceSeries | undefined; updating: boolean; note?: string }) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <PerformanceRangePicker />
      {series && (
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {series.points.length.toLocaleString()} samples, one every {series.levelLabel}
          {note}
          {updating && " · updating"}
        </p>
      )}
    </div>
  );
}

function CustomRange({ from, to, onApply }: { from: string | null; to: string | null; onApply: (next: { from: string; to: string }) => void }) {
  const [start, setStart] = useState(toLocalInput(from));
  const [end, setEnd] = useState(toLocalInput(to));
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        if (!start || !end) return setError("Choose both a start and an end.");
        if (new Date(start) >= new Date(end)) return setError("The start must be before the end.");
        setError(null);
        onApply({ from: new Date(start).toISOString(), to: new Date(end).toISOString() });
      }}
    >
      <div className="grid gap-1">
        <Label htmlFor="perf-from" className="text-xs text-muted-foreground">From</Label>
        <Input id="perf-from" type="datetime-local" className="h-8 w-48" value={start} onChange={(event) => setStart(event.target.value)} />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="perf-to" className="text-xs text-muted-foreground">To</Label>
        <Input id="perf-to" type="datetime-local" className="h-8 w-48" value={end} onChange={(event) => setEnd(event.target.value)} />
      </div>
      <Button type="submit" size="sm">Apply</Button>
      {error && (
        <p role="alert" className="basis-full text-sm text-destructive">
          {error}
        </p>
      )}
    </form>
  );
}

