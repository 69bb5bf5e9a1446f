"use client";
// The header of an object's page: icon, name, kind and place, state badges, what is changing
// right now, and room for actions. Live: it re-reads the object whenever it or its tasks change.
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { ObjectAlarmBadge } from "@/components/alarms/object-alarm-badge";
import { KindIcon, objectKindLabel } from "@/components/objects/kind-icon";
import { ObjectStateBadges } from "@/components/objects/object-state-badges";
import { PendingChangeBanner } from "@/components/objects/pending-change-banner";
import { describePendingChange } from "@/lib/inventory/pending-change";
import { FetchError } from "@/lib/queries/inventory-queries";
import { objectViewQuery } from "@/lib/queries/object-queries";

export function ObjectHeader({ uid, kind, actions }: { uid: string; kind: string; actions?: ReactNode }) {
  const { data: object, error } = useQuery(objectViewQuery(uid, kind));
  // A deleted object's last copy stays in the cache; the 404 of the next read is what counts.
  const gone = error instanceof FetchError && error.status === 404;
  if (!object || gone) {
    return (
      <header className="border-b border-border bg-surface px-6 py-4">
        <p className="text-sm text-muted-foreground">{error ? "This object no longer exists. It may have been deleted." : "Loading…"}</p>
        <Link href="/" className="text-sm text-primary hover:underline">Back to Home</Link>
      </header>
    );
  }
  const pending = describePendingChange(object);
  const place = object.related.cluster ?? object.related.datacenter;
  return (
    <>
      <header className="flex flex-wrap items-start justify-between gap-4 bg-surface px-6 pt-4 pb-3">
        <div className="flex min-w-0 items-center gap-3">
          <span className="flex size-9 shrink-0 items-center justify-center rounded-md bg-accent text-accent-foreground">
            <KindIcon kind={object.kind} className="size-5" />
          </span>
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="truncate text-lg font-semibold tracking-tight">{object.name}</h1>
              <ObjectStateBadges object={object} />
              <ObjectAlarmBadge uid={object.uid} />
            </div>
            <p className="truncate text-sm text-muted-foreground">
              {objectKindLabel(object)}
              {object.namespace && (
                <>
                  {" "}in namespace{" "}
                  {/* A VM seen through its folder's permissions names a namespace the reader may not open. */}
                  {!object.related.namespace || object.related.namespace.closed ? (
                    <span className="text-foreground">{object.namespace}</span>
                  ) : (
                    <Link className="text-foreground underline decoration-muted-foreground/50 underline-offset-2 hover:decoration-foreground" href={`/objects/${object.related.namespace.uid}`}>
                      {object.namespace}
                    </Link>
                  )}
                </>
              )}
              {place && <> · {place.kind === "Cluster" ? "cluster" : "datacenter"} {place.closed ? <span className="text-foreground">{place.name}</span> : <Link className="text-foreground underline decoration-muted-foreground/50 underline-offset-2 hover:decoration-foreground" href={`/objects/${place.uid}`}>{place.name}</Link>}</>}
            </p>
          </div>
        </div>
        {actions && <div className="flex items-center gap-2">{actions}</div>}
      </header>
      {pending && <PendingChangeBanner pending={pending} />}
    </>
  );
}
