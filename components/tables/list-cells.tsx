// How each column of an inventory list renders its value: links to related objects, state
// badges in words, and numbers with their units.
import Link from "next/link";
import type { ReactNode } from "react";
import { HealthBadge, HostStateBadge, PodStatusBadge, PowerStateBadge, ReadyBadge } from "@/components/objects/state-badges";
import { formatCount, formatGiB, formatMiB } from "@/components/objects/summary/summary-parts";
import { DateTime } from "@/components/ui/date-time";
import type { ListName, ListRow } from "@/lib/inventory/list-definitions";
import { humanDuration } from "@/lib/kube/table-output";

const DATASTORE_TYPES: Record<string, string> = { vsan: "vSAN", vmfs: "VMFS", nfs: "NFS", vvol: "vVols" };
const DRS_LABELS: Record<string, string> = { off: "Off", manual: "Manual", partiallyAutomated: "Partially automated", fullyAutomated: "Fully automated" };

function dash(value: ReactNode): ReactNode {
  return value === null || value === undefined || value === "" ? <span className="text-muted-foreground">—</span> : value;
}

export function ListCell({ list, column, row }: { list: ListName; column: string; row: ListRow }) {
  const value = row.cells[column] ?? null;
  const link = row.links[column];
  if (column === "name") {
    return (
      <Link href={`/objects/${row.uid}`} className="font-medium text-primary underline-offset-4 hover:underline">
        {row.name}
      </Link>
    );
  }
  if (link && value !== null) {
    return (
      <Link href={`/objects/${link}`} className="underline-offset-4 hover:text-primary hover:underline">
        {value}
      </Link>
    );
  }
  switch (column) {
    case "powerState":
      return <PowerStateBadge state={value as string | null} />;
    case "status":
      return <ReadyBadge ready={value as string | null} />;
    case "state":
      return <HostStateBadge state={value as string | null} />;
    case "health":
      return <HealthBadge health={value as string | null} />;
    case "drs":
      return DRS_LABELS[String(value)] ?? dash(value);
    case "type":
      return DATASTORE_TYPES[String(value)] ?? dash(value);
    case "ha":
      return value === "on" ? "On" : "Off";
    case "memoryMiB":
      return value === null ? dash(value) : formatMiB(Number(value));
    case "diskGiB":
    case "capacityGiB":
    case "freeGiB":
      return value === null ? dash(value) : formatGiB(Number(value));
    case "created":
      return <DateTime value={value as string | null} />;
    case "age":
      return value === null ? dash(value) : humanDuration(Number(value) * 1000);
    case "podStatus":
      return <PodStatusBadge status={value as string | null} />;
    case "images":
      return <span className="font-mono text-xs break-all">{dash(value)}</span>;
    case "ip":
    case "podIP":
    case "managementIP":
      return <span className="font-mono text-xs">{dash(value)}</span>;
    case "node":
      return value === null ? <span className="text-muted-foreground">Not scheduled</span> : value;
    case "cluster":
    case "host":
      return list === "vms" && column === "host" && value === null ? <span className="text-muted-foreground">Not placed</span> : dash(value);
    default:
      return typeof value === "number" ? formatCount(value) : dash(value);
  }
}
