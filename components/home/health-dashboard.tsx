"use client";
// Home's health dashboard below the counts: capacity and usage per cluster, the top consumers of
// the latest sample, triggered alarms, and the latest failed tasks. Live: the metrics notice of
// each sample round, task changes and alarm events refetch it.
import { useQuery } from "@tanstack/react-query";
import { CircleX } from "lucide-react";
import Link from "next/link";
import { useId, type ReactNode } from "react";
import { TriggeredAlarmsTable } from "@/components/alarms/triggered-alarms-table";
import { ClusterTrendCharts } from "@/components/home/cluster-trends";
import { KindIcon } from "@/components/objects/kind-icon";
import { formatGiB, formatMhz, formatMiB } from "@/components/objects/summary/summary-parts";
import { Card, CardContent } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { ClusterCapacity, Dashboard, TopConsumer } from "@/lib/inventory/dashboard-reads";
import { alarmCountsQuery, dashboardQuery } from "@/lib/queries/health-queries";
import { cn } from "@/lib/utils";

export function HealthDashboard({ canOperate }: { canOperate: boolean }) {
  const { data, error } = useQuery(dashboardQuery());
  const { data: alarmCounts } = useQuery(alarmCountsQuery());
  return (
    <>
      <Section title="Capacity and usage by cluster" note={data?.sampledAt ? <>Latest sample <DateTime value={data.sampledAt} /></> : null}>
        {error ? <LoadError message={error.message} /> : data ? <ClusterCapacityTable clusters={data.clusters} sampled={Boolean(data.sampledAt)} /> : <Skeleton className="h-40" />}
      </Section>
      <Section title="Trends by cluster">
        <ClusterTrendCharts />
      </Section>
      <div className="grid gap-4 xl:grid-cols-2">
        <Section title="Top virtual machines by CPU">{data ? <TopConsumers rows={data.topVms} noun="VM" /> : <Skeleton className="h-48" />}</Section>
        <Section title="Top hosts by CPU">{data ? <TopConsumers rows={data.topHosts} noun="host" /> : <Skeleton className="h-48" />}</Section>
      </div>
      <Section
        title="Triggered alarms"
        note={
          <>
            {alarmCounts && (
              <span className="mr-3">
                <span className="font-medium text-destructive">{alarmCounts.critical} critical</span> · <span className="font-medium text-warning">{alarmCounts.warning} warning</span>
              </span>
            )}
            <Link href="/alarms" className="text-primary underline-offset-4 hover:underline">
              All triggered alarms
            </Link>
          </>
        }
      >
        <TriggeredAlarmsTable uid={null} canOperate={canOperate} limit={8} empty="No alarms are triggered. Everything is green." />
      </Section>
      <Section title="Recent failed tasks">{data ? <FailedTasks tasks={data.failedTasks} /> : <Skeleton className="h-32" />}</Section>
    </>
  );
}

function Section({ title, note, children }: { title: string; note?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section aria-labelledby={id} className="space-y-2">
      <div className="flex items-baseline justify-between gap-4">
        <h2 id={id} className="text-sm font-semibold text-muted-foreground">
          {title}
        </h2>
        {note && <p className="text-xs text-muted-foreground">{note}</p>}
      </div>
      {children}
    </section>
  );
}

function LoadError({ message }: { message: string }) {
  return (
    <p role="alert" className="text-sm text-destructive">
      The dashboard could not be loaded: {message}
    </p>
  );
}

function UsageMeter({ label, used, capacity, format }: { label: string; used: number; capacity: number; format: (value: number) => string }) {
  const percent = capacity > 0 ? Math.round((used / capacity) * 100) : 0;
  return (
    <div className="min-w-44">
      <div className="flex justify-between gap-2 text-xs">
        <span className="tabular-nums font-medium">{percent} %</span>
        <span className="text-muted-foreground tabular-nums">
          {format(Math.round(used))} of {format(Math.round(capacity))}
        </span>
      </div>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-valuetext={`${percent} %`}
        className="mt-1 h-1.5 overflow-hidden rounded-full bg-muted"
      >
        <div className={cn("h-full rounded-full", percent >= 90 ? "bg-destructive" : percent >= 75 ? "bg-warning" : "bg-primary")} style={{ width: `${Math.min(percent, 100)}%` }} />
      </div>
    </div>
  );
}

function ClusterCapacityTable({ clusters, sampled }: { clusters: ClusterCapacity[]; sampled: boolean }) {
  if (clusters.length === 0) return <p className="text-sm text-muted-foreground">No clusters yet.</p>;
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-surface">
      <Table aria-label="Capacity and usage by cluster">
        <TableHeader>
          <TableRow>
            <TableHead className="px-3">Cluster</TableHead>
            <TableHead className="px-3">CPU consumed</TableHead>
            <TableHead className="px-3">Memory consumed</TableHead>
            <TableHead className="px-3">Storage used</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {clusters.map((cluster) => (
            <TableRow key={cluster.uid}>
              <TableCell className="px-3">
                <Link href={`/objects/${cluster.uid}/monitor?view=performance`} className="inline-flex items-center gap-1.5 font-medium text-primary underline-offset-4 hover:underline">
                  <KindIcon kind="Cluster" className="size-4 text-muted-foreground" />
                  {cluster.name}
                </Link>
              </TableCell>
              <TableCell className="px-3 py-2">
                <UsageMeter label={`${cluster.name} CPU consumed`} used={cluster.cpu.usedMhz} capacity={cluster.cpu.capacityMhz} format={formatMhz} />
              </TableCell>
              <TableCell className="px-3 py-2">
                <UsageMeter label={`${cluster.name} memory consumed`} used={cluster.memory.usedMiB} capacity={cluster.memory.capacityMiB} format={formatMiB} />
              </TableCell>
              <TableCell className="px-3 py-2">
                <UsageMeter label={`${cluster.name} storage used`} used={cluster.storage.usedGiB} capacity={cluster.storage.capacityGiB} format={formatGiB} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {!sampled && <p className="border-t border-border px-3 py-2 text-sm text-muted-foreground">CPU and memory appear with the first performance sample, within 20 seconds.</p>}
    </div>
  );
}

function TopConsumers({ rows, noun }: { rows: TopConsumer[]; noun: string }) {
  return (
    <Card className="gap-0 py-0">
      <CardContent className="p-0">
        {rows.length === 0 ? (
          <p className="p-4 text-sm text-muted-foreground">No {noun} has reported a sample yet.</p>
        ) : (
          <ol className="divide-y divide-border">
            {rows.map((row) => (
              <li key={row.uid} className="flex items-center gap-3 px-4 py-2 text-sm">
                <KindIcon kind={row.kind} className="size-4 shrink-0 text-muted-foreground" />
                <Link href={`/objects/${row.uid}/monitor?view=performance`} className="min-w-0 flex-1 truncate text-primary underline-offset-4 hover:underline">
                  {row.namespace ? `${row.namespace}/${row.name}` : row.name}
                </Link>
                <span className="w-20 text-right tabular-nums">{formatMhz(Math.round(row.cpuMhz))}</span>
                <span className="w-24 text-right text-muted-foreground tabular-nums">CPU {Math.round(row.cpuPct)} %</span>
                <span className="w-24 text-right text-muted-foreground tabular-nums">Mem {Math.round(row.memPct)} %</span>
              </li>
            ))}
          </ol>
        )}
      </CardContent>
    </Card>
  );
}

function FailedTasks({ tasks }: { tasks: Dashboard["failedTasks"] }) {
  if (tasks.length === 0) return <p className="rounded-lg border border-border bg-surface p-4 text-sm text-muted-foreground">No task has failed.</p>;
  return (
    <div className="overflow-hidden rounded-lg border border-border bg-surface">
      <Table aria-label="Recent failed tasks">
        <TableHeader>
          <TableRow>
            <TableHead className="px-3">Task</TableHead>
            <TableHead className="w-full px-3">Error</TableHead>
            <TableHead className="px-3">Initiator</TableHead>
            <TableHead className="px-3">Failed</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {tasks.map((task) => (
            <TableRow key={task.id} className="h-10">
              <TableCell className="px-3">
                <Link href={`/tasks/${task.id}`} className="inline-flex items-center gap-1.5 text-primary underline-offset-4 hover:underline">
                  <CircleX className="size-4 text-destructive" aria-hidden />
                  {task.description}
                </Link>
              </TableCell>
              <TableCell className="max-w-0 px-3">
                <span className="block truncate text-muted-foreground" title={task.error ?? undefined}>
                  {task.error}
                </span>
              </TableCell>
              <TableCell className="px-3">{task.initiator}</TableCell>
              <TableCell className="px-3 text-muted-foreground tabular-nums">
                <DateTime value={task.completedAt} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

