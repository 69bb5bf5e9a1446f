// Building blocks of a Summary tab: a card of labelled facts, capacity bars, and links to
// related objects, laid out as in the vSphere Client.
import Link from "next/link";
import type { ReactNode } from "react";
import { KindIcon } from "@/components/objects/kind-icon";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import type { ObjectLink } from "@/lib/inventory/object-view";
import { cn } from "@/lib/utils";

export type Fact = [label: string, value: ReactNode];

export function FactList({ title, facts }: { title: string; facts: Fact[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">{title}</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid grid-cols-[minmax(9rem,auto)_1fr] gap-x-6 gap-y-2 text-sm">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt className="text-muted-foreground">{label}</dt>
              <dd className="min-w-0 break-words">{value ?? "—"}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

export function ObjectLinkText({ link, fallback }: { link: ObjectLink | undefined; fallback?: string }) {
  if (!link) return <span className="text-muted-foreground">{fallback ?? "—"}</span>;
  if (link.closed) {
    return (
      <span className="inline-flex items-center gap-1.5" title="You do not have access to this object">
        <KindIcon kind={link.kind} className="size-3.5" />
        {link.name}
      </span>
    );
  }
  return (
    <Link href={`/objects/${link.uid}`} className="inline-flex items-center gap-1.5 text-primary underline-offset-4 hover:underline">
      <KindIcon kind={link.kind} className="size-3.5" />
      {link.name}
    </Link>
  );
}

export interface CapacityFigure {
  label: string;
  used: number;
  capacity: number;
  format: (value: number) => string;
  /** What "used" means here, e.g. "allocated". */
  usedWord?: string;
}

export function CapacityCard({ title = "Capacity and Usage", figures, note }: { title?: string; figures: CapacityFigure[]; note?: string }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">{title}</CardTitle>
      </CardHeader>
      <CardContent className="space-y-4">
        {figures.map((figure) => (
          <CapacityBar key={figure.label} figure={figure} />
        ))}
        {note && <p className="text-xs text-muted-foreground">{note}</p>}
      </CardContent>
    </Card>
  );
}

function CapacityBar({ figure }: { figure: CapacityFigure }) {
  const percent = figure.capacity > 0 ? Math.round((figure.used / figure.capacity) * 100) : 0;
  const free = Math.max(0, figure.capacity - figure.used);
  return (
    <div>
      <div className="flex items-baseline justify-between text-sm">
        <span className="font-medium">{figure.label}</span>
        <span className="text-muted-foreground">
          {figure.format(figure.used)} {figure.usedWord ?? "used"} of {figure.format(figure.capacity)}
        </span>
      </div>
      <div
        role="meter"
        aria-label={`${figure.label} ${figure.usedWord ?? "used"}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-valuetext={`${percent} %`}
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-muted"
      >
        <div
          className={cn("h-full rounded-full", percent >= 90 ? "bg-destructive" : percent >= 75 ? "bg-warning" : "bg-primary")}
          style={{ width: `${Math.min(percent, 100)}%` }}
        />
      </div>
      <div className="mt-1 flex justify-between text-xs text-muted-foreground">
        <span>{percent} %</span>
        <span>{figure.format(free)} free</span>
      </div>
    </div>
  );
}

export function RelatedObjects({ links }: { links: ObjectLink[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-sm">Related Objects</CardTitle>
      </CardHeader>
      <CardContent>
        {links.length === 0 ? (
          <p className="text-sm text-muted-foreground">None.</p>
        ) : (
          <ul className="space-y-2 text-sm">
            {links.map((link) => (
              <li key={link.uid} className="flex items-center justify-between gap-4">
                <span className="text-muted-foreground">{link.kind === "VirtualMachineClass" ? "VM Class" : link.kind === "VirtualMachineImage" ? "Image" : link.kind}</span>
                <ObjectLinkText link={link} />
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}

// Binary units throughout, as vm-operator's quantities (Mi, Gi) and Kubernetes use them.
export const formatMiB = (mib: number) => (mib >= 1024 * 1024 ? `${(mib / 1024 / 1024).toFixed(1)} TiB` : mib >= 1024 ? `${(mib / 1024).toFixed(mib % 1024 === 0 ? 0 : 1)} GiB` : `${mib} MiB`);
export const formatGiB = (gib: number) => (gib >= 1024 ? `${(gib / 1024).toFixed(gib % 1024 === 0 ? 0 : 1)} TiB` : `${gib} GiB`);
const BYTE_UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB"];
/** A file's size in the largest binary unit it reaches, as a datastore browser shows it. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}
export const formatMhz = (mhz: number) => (mhz >= 1000 ? `${(mhz / 1000).toFixed(1)} GHz` : `${mhz} MHz`);
export const formatCount = (value: number) => value.toLocaleString("en-US");
