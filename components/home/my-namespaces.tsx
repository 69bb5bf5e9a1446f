"use client";
// Home for a developer: the namespaces they belong to, each with their role and its usage against
// its limits (live), and where to create one when a self-service template lets them. The first
// paint comes from the server's prefetch.
import { useSuspenseQuery } from "@tanstack/react-query";
import { Boxes } from "lucide-react";
import Link from "next/link";
import { formatCount, formatGiB, formatMiB } from "@/components/objects/summary/summary-parts";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { myNamespacesQuery } from "@/lib/queries/namespace-queries";

const ROLE_LABELS = { view: "Can view", edit: "Can edit", owner: "Owner" } as const;

function usageLine(used: string, limit: string | null) {
  return limit === null ? `${used} (no limit)` : `${used} of ${limit}`;
}

export function MyNamespaces({ canSelfServe }: { canSelfServe: boolean }) {
  const { data: namespaces } = useSuspenseQuery(myNamespacesQuery());
  if (namespaces.length === 0) {
    return (
      <div className="max-w-xl rounded-lg border border-dashed border-border bg-surface p-6">
        <h2 className="font-semibold">No namespaces yet</h2>
        <p className="mt-1 text-sm text-muted-foreground">
          {canSelfServe
            ? "Create one with New Namespace, or ask an owner of a namespace to add you to it."
            : "You are not a member of any namespace yet; ask an administrator to add you to one, or to a group that may create namespaces."}
        </p>
      </div>
    );
  }
  return (
    <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-label="Your namespaces">
      {namespaces.map((namespace) => (
        <li key={namespace.uid}>
          <Card className="h-full">
            <CardHeader className="flex flex-row items-center justify-between gap-2">
              <CardTitle className="text-sm">
                <Link href={`/objects/${namespace.uid}`} className="inline-flex items-center gap-2 text-primary underline-offset-4 hover:underline">
                  <Boxes className="size-4" aria-hidden />
                  {namespace.name}
                </Link>
              </CardTitle>
              <Badge variant={namespace.deleting ? "destructive" : "secondary"}>{namespace.deleting ? "Being deleted" : ROLE_LABELS[namespace.role]}</Badge>
            </CardHeader>
            <CardContent>
              <dl className="grid grid-cols-[6rem_1fr] gap-x-4 gap-y-1.5 text-sm">
                <dt className="text-muted-foreground">Cluster</dt>
                <dd>{namespace.cluster}</dd>
                <dt className="text-muted-foreground">VMs</dt>
                <dd>{formatCount(namespace.usage.vms)}</dd>
                <dt className="text-muted-foreground">CPU</dt>
                <dd>{usageLine(`${namespace.usage.cpu} vCPU`, namespace.limits.cpu === undefined ? null : `${namespace.limits.cpu} vCPU`)}</dd>
                <dt className="text-muted-foreground">Memory</dt>
                <dd>{usageLine(formatMiB(namespace.usage.memoryMiB), namespace.limits.memoryMiB === undefined ? null : formatMiB(namespace.limits.memoryMiB))}</dd>
                <dt className="text-muted-foreground">Storage</dt>
                <dd>{usageLine(formatGiB(namespace.usage.storageGiB), namespace.limits.storageGiB === undefined ? null : formatGiB(namespace.limits.storageGiB))}</dd>
              </dl>
            </CardContent>
          </Card>
        </li>
      ))}
    </ul>
  );
}
