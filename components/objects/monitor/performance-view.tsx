"use client";
// Monitor › Performance: the object's charts over a time range (Real-time, Last day, Last week,
// Last month or Custom, kept in the URL), from the rollup level that covers the range. Real-time
// and the last-n ranges move with each sample round; a custom range stays put. A chart with several
// counters has Chart Options to pick which it draws, also kept in the URL (`hide`).
import { useQuery } from "@tanstack/react-query";
import { ChartOptions } from "@/components/objects/monitor/chart-options";
import { PerformanceChart, type ChartSeries } from "@/components/objects/monitor/performance-chart";
import { PerformanceRangeBar, usePerformanceRange } from "@/components/objects/monitor/performance-range";
import { useSearchParamNavigation } from "@/components/objects/sub-navigation";
import { Skeleton } from "@/components/ui/skeleton";
import type { PerformancePoint } from "@/lib/inventory/performance-reads";
import { performanceQuery } from "@/lib/queries/health-queries";

const color = (n: number) => `var(--chart-${n})`;

interface ChartSpec {
  title: string;
  unit: string;
  percent?: boolean;
  series: ChartSeries<PerformancePoint>[];
}

const COMPUTE_CHARTS: ChartSpec[] = [
  {
    title: "CPU and memory usage",
    unit: "%",
    percent: true,
    series: [
      { key: "cpu", label: "CPU usage", value: (p) => p.cpuPct, color: color(1) },
      { key: "mem", label: "Memory usage", value: (p) => p.memPct, color: color(2) },
    ],
  },
  { title: "CPU", unit: "MHz", series: [{ key: "mhz", label: "CPU usage in MHz", value: (p) => p.cpuMhz, color: color(1) }] },
  {
    title: "Memory",
    unit: "MiB",
    series: [
      { key: "consumed", label: "Consumed", value: (p) => p.memConsumedMiB, color: color(2) },
      { key: "active", label: "Active", value: (p) => p.memActiveMiB, color: color(4) },
    ],
  },
  {
    title: "Disk and network",
    unit: "KBps",
    series: [
      { key: "disk", label: "Disk throughput", value: (p) => p.diskKBps, color: color(3) },
      { key: "net", label: "Network throughput", value: (p) => p.netKBps, color: color(1) },
    ],
  },
];

const DATASTORE_CHARTS: ChartSpec[] = [
  { title: "Space used", unit: "GiB", series: [{ key: "used", label: "Used", value: (p) => p.storageUsedGiB, color: color(1) }] },
  { title: "Space usage", unit: "%", percent: true, series: [{ key: "pct", label: "Used of capacity", value: (p) => p.storagePct, color: color(2) }] },
];

export function PerformanceView({ uid, kind }: { uid: string; kind: string }) {
  const { searchParams, navigate } = useSearchParamNavigation();
  const { range, from, to, customReady } = usePerformanceRange();
  const { data, error, isFetching } = useQuery({ ...performanceQuery(uid, range, from ?? undefined, to ?? undefined), enabled: customReady });
  const charts = kind === "Datastore" ? DATASTORE_CHARTS : COMPUTE_CHARTS;
  const hidden = new Set(searchParams.get("hide")?.split(",").filter(Boolean) ?? []);
  const setHidden = (next: Set<string>) => navigate({ hide: next.size > 0 ? [...next].sort().join(",") : null });

  return (
    <div className="space-y-4">
      <PerformanceRangeBar series={data} updating={isFetching} />
      {!customReady && <p className="text-sm text-muted-foreground">Choose a start and an end, then Apply.</p>}
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error.message}
        </p>
      )}
      {customReady && !data && !error && (
        <div className="grid gap-4 xl:grid-cols-2">
          {charts.map((chart) => (
            <Skeleton key={chart.title} className="h-72" />
          ))}
        </div>
      )}
      {data && data.points.length === 0 && (
        <p className="rounded-lg border border-dashed border-border p-6 text-sm text-muted-foreground">
          No samples in this range yet. Skylight samples every 20 seconds and keeps averages for longer ranges as time passes; a powered-off VM
          or a host that is not responding reports nothing.
        </p>
      )}
      {data && data.points.length > 0 && (
        <div className="grid gap-4 xl:grid-cols-2">
          {charts.map((chart) => (
            <PerformanceChart
              key={chart.title}
              {...chart}
              // A chart whose every counter is in `hide` (a hand-edited URL) still draws them all.
              series={chart.series.some((line) => !hidden.has(line.key)) ? chart.series.filter((line) => !hidden.has(line.key)) : chart.series}
              options={chart.series.length > 1 && <ChartOptions title={chart.title} counters={chart.series} hidden={hidden} onChange={setHidden} />}
              points={data.points}
              from={Date.parse(data.from)}
              to={Date.parse(data.to)}
              fromFirstSample={range !== "custom"}
            />
          ))}
        </div>
      )}
    </div>
  );
}
