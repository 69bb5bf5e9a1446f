"use client";
// Home's trends: the inventory's VMs by power state, and per cluster CPU and memory consumed and storage used as a share of capacity over
// the last hour or day, one chart each, live with every sample round. The same figures as the
// capacity table above them and the cluster's Monitor › Performance, over time.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { PerformanceChart, type ChartSeries } from "@/components/objects/monitor/performance-chart";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import type { TrendPoint, TrendRange } from "@/lib/inventory/cluster-trends";
import type { VmStatePoint } from "@/lib/metrics/vm-state-samples";
import { clusterTrendsQuery } from "@/lib/queries/health-queries";

const SERIES: ChartSeries<TrendPoint>[] = [
  { key: "cpu", label: "CPU consumed", value: (point) => point.cpuPct, color: "var(--chart-1)" },
  { key: "memory", label: "Memory consumed", value: (point) => point.memPct, color: "var(--chart-2)" },
  { key: "storage", label: "Storage used", value: (point) => point.storagePct, color: "var(--chart-3)" },
];
const VM_STATE_SERIES: ChartSeries<VmStatePoint>[] = [
  { key: "on", label: "Powered on", value: (point) => point.poweredOn, color: "var(--chart-3)" },
  { key: "off", label: "Powered off", value: (point) => point.poweredOff, color: "var(--chart-2)" },
  { key: "suspended", label: "Suspended", value: (point) => point.suspended, color: "var(--chart-4)" },
];
const RANGE_LABELS: Record<TrendRange, string> = { hour: "Last hour", day: "Last day" };

export function ClusterTrendCharts() {
  const [range, setRange] = useState<TrendRange>("hour");
  const { data, error } = useQuery(clusterTrendsQuery(range));
  return (
    <div className="space-y-3">
      <div role="group" aria-label="Trend range" className="inline-flex rounded-md border border-border bg-surface p-0.5">
        {(Object.keys(RANGE_LABELS) as TrendRange[]).map((option) => (
          <Button key={option} type="button" size="sm" variant={option === range ? "secondary" : "ghost"} aria-pressed={option === range} onClick={() => setRange(option)}>
            {RANGE_LABELS[option]}
          </Button>
        ))}
      </div>
      {error ? (
        <p role="alert" className="text-sm text-destructive">
          The trends could not be loaded: {error.message}
        </p>
      ) : !data ? (
        <Skeleton className="h-64" />
      ) : data.clusters.length === 0 ? (
        <p className="text-sm text-muted-foreground">No clusters yet.</p>
      ) : (
        <div className="grid gap-4 lg:grid-cols-2 2xl:grid-cols-3">
          <PerformanceChart title="Virtual machines by state" unit="VMs" fromFirstSample points={data.vmStates} series={VM_STATE_SERIES} from={Date.parse(data.from)} to={Date.parse(data.to)} />
          {data.clusters.map((cluster) => (
            <div key={cluster.uid} className="space-y-1">
              <PerformanceChart
                title={cluster.name}
                unit="%"
                percent
                fromFirstSample
                points={cluster.points}
                series={SERIES}
                from={Date.parse(data.from)}
                to={Date.parse(data.to)}
                options={
                  <Link href={`/objects/${cluster.uid}/monitor?view=performance`} className="text-primary underline-offset-4 hover:underline">
                    Performance
                  </Link>
                }
              />
              {cluster.points.length < 3 && (
                <p className="text-xs text-muted-foreground">
                  {cluster.points.length === 0 ? "No samples yet: the first arrives within 20 seconds." : `Only ${cluster.points.length} ${cluster.points.length === 1 ? "sample" : "samples"} so far (one every ${data.intervalSeconds} s).`}
                </p>
              )}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
