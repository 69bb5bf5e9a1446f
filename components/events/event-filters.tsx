"use client";
// The Events views' filter bar: severity and event type apply at once; object, user and the time
// range apply with Apply (or Enter). Everything lives in the URL, so a filtered view has a link.
import { useQuery } from "@tanstack/react-query";
import { FilterX } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { EVENT_FILTER_KEYS, type EventFilter } from "@/lib/inventory/event-filter";
import { eventTypesQuery } from "@/lib/queries/health-queries";

const ANY = "any";

/** `datetime-local` speaks the browser's local time without a zone; the URL keeps UTC. */
const toLocalInput = (iso: string | undefined) => {
  if (!iso) return "";
  const date = new Date(iso);
  return new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

interface EventFiltersProps {
  filter: EventFilter;
  onChange: (changes: Record<string, string | null>) => void;
  showObject: boolean;
  /** Set at the bar's right end (Export). */
  actions?: ReactNode;
}

export function EventFilters({ filter, onChange, showObject, actions }: EventFiltersProps) {
  const { data: types = [] } = useQuery(eventTypesQuery());
  const [text, setText] = useState({ object: filter.object ?? "", user: filter.user ?? "", from: toLocalInput(filter.from), to: toLocalInput(filter.to) });
  const [error, setError] = useState<string | null>(null);
  const active = EVENT_FILTER_KEYS.some((key) => filter[key]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (text.from && text.to && new Date(text.from) >= new Date(text.to)) {
      setError("From must be before To.");
      return;
    }
    setError(null);
    onChange({ object: text.object.trim() || null, user: text.user.trim() || null, from: fromLocalInput(text.from), to: fromLocalInput(text.to) });
  };

  return (
    <form onSubmit={apply} aria-label="Filter events" className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-surface p-3">
      <div className="grid gap-1">
        <Label htmlFor="event-severity" className="text-xs text-muted-foreground">Severity</Label>
        <Select value={filter.severity ?? ANY} onValueChange={(value) => onChange({ severity: value === ANY ? null : value })}>
          <SelectTrigger id="event-severity" size="sm" className="w-32">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>All severities</SelectItem>
            <SelectItem value="error">Error</SelectItem>
            <SelectItem value="warning">Warning</SelectItem>
            <SelectItem value="info">Information</SelectItem>
          </SelectContent>
        </Select>
      </div>
      <div className="grid gap-1">
        <Label htmlFor="event-type" className="text-xs text-muted-foreground">Event type</Label>
        <Select value={filter.type ?? ANY} onValueChange={(value) => onChange({ type: value === ANY ? null : value })}>
          <SelectTrigger id="event-type" size="sm" className="w-52">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            <SelectItem value={ANY}>All event types</SelectItem>
            {[...new Set([...types, ...(filter.type ? [filter.type] : [])])].map((type) => (
              <SelectItem key={type} value={type}>
                <span className="font-mono text-xs">{type}</span>
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
      </div>
      {showObject && (
        <div className="grid gap-1">
          <Label htmlFor="event-object" className="text-xs text-muted-foreground">Object name contains</Label>
          <Input id="event-object" className="h-8 w-40" value={text.object} onChange={(event) => setText({ ...text, object: event.target.value })} />
        </div>
      )}
      <div className="grid gap-1">
        <Label htmlFor="event-user" className="text-xs text-muted-foreground">User</Label>
        <Input id="event-user" className="h-8 w-28" placeholder="System" value={text.user} onChange={(event) => setText({ ...text, user: event.target.value })} />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="event-from" className="text-xs text-muted-foreground">From</Label>
        <Input id="event-from" type="datetime-local" className="h-8 w-44" value={text.from} onChange={(event) => setText({ ...text, from: event.target.value })} />
      </div>
      <div className="grid gap-1">
        <Label htmlFor="event-to" className="text-xs text-muted-foreground">To</Label>
        <Input id="event-to" type="datetime-local" className="h-8 w-44" value={text.to} onChange={(event) => setText({ ...text, to: event.target.value })} />
      </div>
      <Button type="submit" size="sm">Apply</Button>
      {active && (
        <Button
          type="button"
          size="sm"
          variant="ghost"
          onClick={() => {
            setText({ object: "", user: "", from: "", to: "" });
            setError(null);
            onChange(Object.fromEntries(EVENT_FILTER_KEYS.map((key) => [key, null])));
          }}
        >
          <FilterX aria-hidden /> Clear
        </Button>
      )}
      {actions && <div className="ml-auto">{actions}</div>}
      {error && (
        <p role="alert" className="basis-full text-sm text-destructive">
          {error}
        </p>
      )}
    </form>
  );
}
