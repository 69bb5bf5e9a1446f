"use client";
// Chooses a cluster's VMs or hosts for a VM/Host rule or a VM override: what is chosen as
// removable chips, and a search over the cluster's own list (one page of matches, so a cluster of
// thousands of VMs stays quick). VMs are named "namespace/name", as rules store them.
import { useQuery } from "@tanstack/react-query";
import { Search, X } from "lucide-react";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { parseListParams } from "@/lib/inventory/list-definitions";
import { listPageQuery } from "@/lib/queries/object-queries";

const MATCHES_SHOWN = 25;

export function ClusterMemberPicker({
  id,
  kind,
  clusterUid,
  value,
  onChange,
  single = false,
  invalid = false,
}: {
  id: string;
  kind: "vms" | "hosts";
  clusterUid: string;
  value: string[];
  onChange: (value: string[]) => void;
  single?: boolean;
  invalid?: boolean;
}) {
  const [query, setQuery] = useState("");
  const { data, isFetching } = useQuery(listPageQuery(kind, clusterUid, parseListParams(kind, { q: query, size: String(MATCHES_SHOWN) })));
  const noun = kind === "vms" ? "VM" : "host";
  const matches = (data?.rows ?? []).map((row) => (kind === "vms" ? `${row.cells.namespace}/${row.name}` : row.name));
  const toggle = (member: string) => onChange(value.includes(member) ? value.filter((entry) => entry !== member) : single ? [member] : [...value, member]);

  return (
    <div className="grid gap-2">
      {value.length > 0 && (
        <ul aria-label={`Chosen ${noun}s`} className="flex flex-wrap gap-1">
          {value.map((member) => (
            <li key={member}>
              <Badge variant="secondary" className="gap-1 pr-1">
                <MemberName member={member} />
                <button type="button" className="rounded-sm p-0.5 hover:bg-muted" aria-label={`Remove ${member}`} onClick={() => toggle(member)}>
                  <X className="size-3" aria-hidden />
                </button>
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <div className="relative">
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
        <Input id={id} className="pl-8" placeholder={`Search the cluster's ${noun}s`} value={query} onChange={(event) => setQuery(event.target.value)} aria-invalid={invalid || undefined} />
      </div>
      <div role="group" aria-label={`${noun === "VM" ? "VMs" : "Hosts"} in the cluster`} className="grid max-h-36 gap-1 overflow-y-auto rounded-md border border-border p-2">
        {matches.length === 0 && <p className="px-1 text-sm text-muted-foreground">{isFetching ? "Searching…" : `No ${noun}s match.`}</p>}
        {matches.map((member) => (
          <label key={member} className="flex items-center gap-2 rounded-sm px-1 py-0.5 text-sm hover:bg-muted/60">
            <input type={single ? "radio" : "checkbox"} name={id} className="accent-primary" checked={value.includes(member)} onChange={() => toggle(member)} />
            <MemberName member={member} />
          </label>
        ))}
        {(data?.total ?? 0) > MATCHES_SHOWN && (
          <p className="px-1 text-xs text-muted-foreground">
            {MATCHES_SHOWN} of {data!.total} shown; search to narrow.
          </p>
        )}
      </div>
    </div>
  );
}

/** A VM as its name with its namespace after it, muted; a host as its name. */
export function MemberName({ member }: { member: string }) {
  const [namespace, name] = member.includes("/") ? member.split("/", 2) : [null, member];
  return (
    <span className="truncate">
      {name}
      {namespace && <span className="text-muted-foreground"> ({namespace})</span>}
    </span>
  );
}
