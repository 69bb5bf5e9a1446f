"use client";
// Monitor › Performance › Advanced, as in the vSphere Client: one chart of the counters you pick,
// for this object or a related one (a cluster's hosts, a host's VMs), at the statistics level
// (rollup interval) and over the range you choose, all kept in the URL (`object`, `counters`,
// `level`, `range`). At most two units share the chart, on a left and a right axis. The chart's
// data exports as CSV and the chart itself as PNG. While an object has only a few samples the view
// says since when it has been collecting rather than drawing a dot.
import { useQuery } from "@tanstack/react-query";
import { Download, ImageDown } from "lucide-react";
import { useRef, useState } from "react";
import { chartPng, saveBlob } from "@/components/objects/monitor/chart-image";
import { PerformanceChart } from "@/components/objects/monitor/performance-chart";
import { PerformanceRangeBar, usePerformanceRange } from "@/components/objects/monitor/performance-range";
import { useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/skeleton";
import { csvFilename, csvLine } from "@/lib/export/csv";
import { parseListParams, type ListName } from "@/lib/inventory/list-definitions";
import type { PerformancePoint, PerformanceSeries } from "@/lib/inventory/performance-reads";
import { METRIC_LEVELS } from "@/lib/metrics/metric-levels";
import { performanceQuery } from "@/lib/queries/health-queries";
import { listPageQuery } from "@/lib/queries/object-queries";

type CounterKey = Exclude<keyof PerformancePoint, "time">;

interface Counter {
  key: CounterKey;
  label: string;
  unit: string;
}

const COMPUTE_COUNTERS: Counter[] = [
  { key: "cpuPct", label: "CPU usage", unit: "%" },
  { key: "cpuMhz", label: "CPU usage in MHz", unit: "MHz" },
  { key: "memPct", label: "Memory usage", unit: "%" },
  { key: "memConsumedMiB", label: "Memory consumed", unit: "MiB" },
  { key: "memActiveMiB", label: "Memory active", unit: "MiB" },
  { key: "diskKBps", label: "Disk throughput", unit: "KBps" },
  { key: "netKBps", label: "Network throughput", unit: "KBps" },
];
const DATASTORE_COUNTERS: Counter[] = [
  { key: "storageUsedGiB", label: "Space used", unit: "GiB" },
  { key: "storagePct", label: "Space usage", unit: "%" },
];
const DEFAULT_COUNTERS: Record<string, CounterKey[]> = { compute: ["cpuPct", "memPct"], datastore: ["storagePct"] };
const MAX_UNITS = 2;
/** Fewer samples than this are described, not drawn. */
const DRAWABLE_SAMPLES = 3;
const AUTOMATIC = "auto";

/** The objects whose charts this one's Advanced view offers besides its own. */
const RELATED: Record<string, { list: ListName; label: string } | undefined> = {
  Cluster: { list: "hosts", label: "Hosts in this cluster" },
  Host: { list: "vms", label: "VMs on this host" },
};

const color = (index: number) => `var(--chart-${(index % 5) + 1})`;
/** "14:02" today, "Dec 4, 14:02" before. */
function sinceText(iso: string): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return at.toDateString() === new Date().toDateString() ? time : `${at.toLocaleDateString(undefined, { month: "short", day: "numeric" })}, ${time}`;
}

function chosenCounters(catalog: Counter[], raw: string | null, kind: "compute" | "datastore"): Counter[] {
  const keys = raw?.split(",") ?? DEFAULT_COUNTERS[kind]!;
  const chosen = catalog.filter((counter) => keys.includes(counter.key));
  const units = [...new Set(chosen.map((counter) => counter.unit))].slice(0, MAX_UNITS);
  const kept = chosen.filter((counter) => units.includes(counter.unit));
  return kept.length > 0 ? kept : catalog.filter((counter) => DEFAULT_COUNTERS[kind]!.includes(counter.key));
}

/** What to say instead of a chart of fewer samples than a line needs. */
function fewSamples(data: PerformanceSeries, name: string): string {
  const count = `${data.points.length} ${data.points.length === 1 ? "sample" : "samples"}`;
  if (!data.since)
    return `No ${data.levelLabel} samples of ${name} yet. Skylight samples every 20 seconds and keeps averages for longer intervals as time passes; a powered-off VM or a host that is not responding reports nothing.`;
  if (data.since >= data.from) return `Collecting since ${sinceText(data.since)}, ${count} of ${data.levelLabel} so far: the chart is drawn from ${DRAWABLE_SAMPLES} samples on.`;
  return `Only ${count} of ${data.levelLabel} in this range: choose a longer range or a shorter interval.`;
}

function performanceCsv(series: PerformanceSeries, counters: Counter[]): Blob {
  const lines = [csvLine(["Time (UTC)", ...counters.map((counter) => `${counter.label} (${counter.unit})`)])];
  for (const point of series.points) lines.push(csvLine([point.time, ...counters.map((counter) => point[counter.key])]));
  return new Blob(["\uFEFF", ...lines], { type: "text/csv;charset=utf-8" });
}

export function PerformanceAdvanced({ uid, kind, name }: { uid: string; kind: string; name: string }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const { range, from, to, customReady } = usePerformanceRange();
  const related = RELATED[kind];
  const relatedObjects = useQuery({ ...listPageQuery(related?.list ?? "hosts", uid, parseListParams(related?.list ?? "hosts", { size: "200" })), enabled: Boolean(related) });
  const objects = [{ uid, name: `${name} (this ${kind === "VirtualMachine" ? "VM" : kind.toLowerCase()})` }, ...(related ? (relatedObjects.data?.rows ?? []) : [])];
  const target = objects.find((object) => object.uid === searchParams.get("object")) ?? objects[0]!;
  const family = kind === "Datastore" ? "datastore" : "compute";
  const catalog = family === "datastore" ? DATASTORE_COUNTERS : COMPUTE_COUNTERS;
  const counters = chosenCounters(catalog, searchParams.get("counters"), family);
  const units = [...new Set(counters.map((counter) => counter.unit))];
  const levelParam = searchParams.get("level");
  const level = levelParam !== null && METRIC_LEVELS.some((candidate) => String(candidate.level) === levelParam) ? Number(levelParam) : undefined;
  const { data, error, isFetching } = useQuery({ ...performanceQuery(target.uid, range, from ?? undefined, to ?? undefined, level), enabled: customReady });
  const figure = useRef<HTMLElement>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const setCounters = (next: Counter[]) => navigate({ counters: next.map((counter) => counter.key).join(",") });
  const targetName = target.uid === uid ? name : target.name;

  const exportPng = async () => {
    setExportError(null);
    try {
      const title = `${targetName}, one sample every ${data!.levelLabel}`;
      saveBlob(await chartPng(figure.current!, title, counters.map((counter, index) => ({ label: counter.label, color: color(index) }))), `${csvFilename(`${targetName}-performance`, new Date()).slice(0, -4)}.png`);
    } catch (failure) {
      setExportError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <div className="space-y-4">
      <PerformanceRangeBar series={data} updating={isFetching} note={data?.since && data.since > data.from ? ` · collecting since ${sinceText(data.since)}` : undefined} />

      <div className="flex flex-col gap-4 lg:flex-row lg:items-start">
        <section aria-label="Chart options" className="w-full shrink-0 space-y-3 rounded-lg border border-border bg-surface p-3 lg:w-60">
          {related && (
            <div className="grid gap-1">
              <Label htmlFor="perf-object" className="text-xs text-muted-foreground">Object</Label>
              <Select value={target.uid} onValueChange={(value) => navigate({ object: value === uid ? null : value })}>
                <SelectTrigger id="perf-object" size="sm" className="w-full">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value={uid}>{objects[0]!.name}</SelectItem>
                  {objects.length > 1 && <div className="px-2 pt-2 pb-1 text-xs font-medium text-muted-foreground">{related.label}</div>}
                  {objects.slice(1).map((object) => (
                    <SelectItem key={object.uid} value={object.uid}>
                      {object.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </div>
          )}
          <div className="grid gap-1">
            <Label htmlFor="perf-level" className="text-xs text-muted-foreground">Interval</Label>
            <Select value={level === undefined ? AUTOMATIC : String(level)} onValueChange={(value) => navigate({ level: value === AUTOMATIC ? null : value })}>
              <SelectTrigger id="perf-level" size="sm" className="w-full">
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value={AUTOMATIC}>Automatic</SelectItem>
                {METRIC_LEVELS.map((candidate) => (
                  <SelectItem key={candidate.level} value={String(candidate.level)}>
                    {candidate.level === 0 ? "Real-time, 20 seconds" : candidate.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
          </div>
          <fieldset className="space-y-1.5">
            <legend className="mb-1.5 text-xs text-muted-foreground">Counters</legend>
            {catalog.map((counter) => {
              const checked = counters.some((chosen) => chosen.key === counter.key);
              const tooManyUnits = !checked && !units.includes(counter.unit) && units.length >= MAX_UNITS;
              return (
                <label key={counter.key} className="flex items-center gap-2 text-sm" title={tooManyUnits ? "A chart shows at most two units: clear a counter of another unit first." : undefined}>
                  <input
                    type="checkbox"
                    className="size-4 accent-primary"
                    checked={checked}
                    disabled={tooManyUnits || (checked && counters.length === 1)}
                    onChange={() => setCounters(checked ? counters.filter((chosen) => chosen.key !== counter.key) : catalog.filter((candidate) => candidate.key === counter.key || counters.includes(candidate)))}
                  />
                  <span className={tooManyUnits ? "text-muted-foreground" : undefined}>{counter.label}</span>
                  <span className="ml-auto text-xs text-muted-foreground">{counter.unit}</span>
                </label>
              );
            })}
            <p className="pt-1 text-xs text-muted-foreground">Up to two units share the chart.</p>
          </fieldset>
        </section>

        <div className="min-w-0 flex-1 space-y-2">
          {!customReady && <p className="text-sm text-muted-foreground">Choose a start and an end, then Apply.</p>}
          {(error || exportError) && (
            <p role="alert" className="text-sm text-destructive">
              {error?.message ?? exportError}
            </p>
          )}
          {customReady && !data && !error && <Skeleton className="h-72" />}
          {data && data.points.length < DRAWABLE_SAMPLES && (
            <p className="rounded-lg border border-dashed border-border p-6 text-sm text-muted-foreground">{fewSamples(data, targetName)}</p>
          )}
          {data && data.points.length >= DRAWABLE_SAMPLES && (
            <PerformanceChart
              figureRef={figure}
              title={targetName}
              unit={units[0]!}
              rightUnit={units[1]}
              percent={units[0] === "%"}
              series={counters.map((counter, index) => ({ key: counter.key, label: counter.label, value: (point: PerformancePoint) => point[counter.key], color: color(index), right: counter.unit === units[1] }))}
              points={data.points}
              from={Date.parse(data.from)}
              to={Date.parse(data.to)}
              fromFirstSample={range !== "custom"}
              options={
                <>
                  <Button variant="ghost" size="sm" className="h-7 px-2 text-xs font-normal" onClick={() => saveBlob(performanceCsv(data, counters), csvFilename(`${targetName}-performance`, new Date()))}>
                    <Download aria-hidden /> Export CSV
                  </Button>
                  <Button variant="ghost" size="sm" className="h-7 px-2 text-xs font-normal" onClick={() => void exportPng()}>
                    <ImageDown aria-hidden /> Export PNG
                  </Button>
                </>
              }
            />
          )}
        </div>
      </div>
    </div>
  );
}
