"use client";
// Home's inventory counts by state. The first paint comes from the server's prefetch.
import { useSuspenseQuery } from "@tanstack/react-query";
import { Building2, Cpu, FolderKanban, Server } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { inventorySummaryQuery } from "@/lib/queries/inventory-queries";

export function InventorySummaryCards() {
  const { data } = useSuspenseQuery(inventorySummaryQuery());
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <SummaryCard title="Datacenters and clusters" icon={<Building2 className="size-4" />} value={data.datacenters} unit="datacenters">
        <Breakdown items={[["Clusters", data.clusters, "text-foreground"]]} />
      </SummaryCard>
      <SummaryCard title="Hosts" icon={<Server className="size-4" />} value={data.hosts.total} unit="hosts">
        <Breakdown
          items={[
            ["Connected", data.hosts.connected, "text-success"],
            ["Disconnected", data.hosts.disconnected, "text-destructive"],
            ["In maintenance", data.hosts.inMaintenance, "text-warning"],
          ]}
        />
      </SummaryCard>
      <SummaryCard title="Virtual machines" icon={<Cpu className="size-4" />} value={data.virtualMachines.total} unit="VMs" href="/vms">
        <Breakdown
          items={[
            ["Powered on", data.virtualMachines.poweredOn, "text-success", "/vms?power=PoweredOn"],
            ["Powered off", data.virtualMachines.poweredOff, "text-muted-foreground", "/vms?power=PoweredOff"],
            ["Suspended", data.virtualMachines.suspended, "text-warning", "/vms?power=Suspended"],
          ]}
        />
      </SummaryCard>
      <SummaryCard title="Namespaces" icon={<FolderKanban className="size-4" />} value={data.namespaces} unit="namespaces">
        <Breakdown items={[["Clusters hosting them", data.clusters, "text-foreground"]]} />
      </SummaryCard>
    </div>
  );
}

function SummaryCard({ title, icon, value, unit, href, children }: { title: string; icon: ReactNode; value: number; unit: string; href?: string; children: ReactNode }) {
  const figure = (
    <>
      {value.toLocaleString()} <span className="text-sm font-normal text-muted-foreground">{unit}</span>
    </>
  );
  return (
    <Card>
      <CardHeader className="pb-2">
        <CardTitle className="flex items-center gap-2 text-sm font-medium text-muted-foreground">
          <span aria-hidden>{icon}</span>
          {title}
        </CardTitle>
      </CardHeader>
      <CardContent>
        <p className="text-2xl font-semibold tabular-nums">
          {href ? (
            <Link href={href} className="underline-offset-4 hover:underline">
              {figure}
            </Link>
          ) : (
            figure
          )}
        </p>
        {children}
      </CardContent>
    </Card>
  );
}

function Breakdown({ items }: { items: [label: string, count: number, tone: string, href?: string][] }) {
  return (
    <dl className="mt-3 space-y-1 text-sm">
      {items.map(([label, count, tone, href]) => (
        <div key={label} className="flex items-center justify-between">
          <dt className="text-muted-foreground">
            {href ? (
              <Link href={href} className="underline decoration-muted-foreground/40 underline-offset-2 hover:text-foreground">
                {label}
              </Link>
            ) : (
              label
            )}
          </dt>
          <dd className={`font-medium tabular-nums ${tone}`}>{count.toLocaleString()}</dd>
        </div>
      ))}
    </dl>
  );
}

export function InventorySummarySkeleton() {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-hidden>
      {Array.from({ length: 4 }, (_, index) => (
        <Skeleton key={index} className="h-40" />
      ))}
    </div>
  );
}

