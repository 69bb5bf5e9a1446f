"use client";
// The Events views' filter bar: severity and event type apply at once; object, user and the time
// range apply with Apply (or Enter). Everything lives in the URL, so a filtered view has a link.
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { FilterBar, FilterField } from "@/components/tables/filter-bar";
import { ChoiceSelect } from "@/components/ui/choice-select";
import { Input } from "@/components/ui/input";
import { EVENT_FILTER_KEYS, type EventFilter } from "@/lib/inventory/event-filter";
import { eventTypesQuery } from "@/lib/queries/health-queries";

const ANY = "any";
const SEVERITY_CHOICES = [
  { value: ANY, label: "All severities" },
  { value: "error", label: "Error" },
  { value: "warning", label: "Warning" },
  { value: "info", label: "Information" },
];

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

  const clear = () => {
    setText({ object: "", user: "", from: "", to: "" });
    setError(null);
    onChange(Object.fromEntries(EVENT_FILTER_KEYS.map((key) => [key, null])));
  };
  const typeChoices = [...new Set([...types, ...(filter.type ? [filter.type] : [])])].map((type) => ({ value: type, label: <span className="font-mono text-xs">{type}</span> }));

  return (
    <FilterBar label="Filter events" onApply={apply} active={active} onClear={clear} actions={actions} error={error}>
      <FilterField id="event-severity" label="Severity">
        <ChoiceSelect id="event-severity" size="sm" className="w-32" value={filter.severity ?? ANY} onValueChange={(value) => onChange({ severity: value === ANY ? null : value })} choices={SEVERITY_CHOICES} />
      </FilterField>
      <FilterField id="event-type" label="Event type">
        <ChoiceSelect id="event-type" size="sm" className="w-52" value={filter.type ?? ANY} onValueChange={(value) => onChange({ type: value === ANY ? null : value })} choices={[{ value: ANY, label: "All event types" }, ...typeChoices]} />
      </FilterField>
      {showObject && (
        <FilterField id="event-object" label="Object name contains">
          <Input id="event-object" className="h-8 w-40" value={text.object} onChange={(event) => setText({ ...text, object: event.target.value })} />
        </FilterField>
      )}
      <FilterField id="event-user" label="User">
        <Input id="event-user" className="h-8 w-28" placeholder="System" value={text.user} onChange={(event) => setText({ ...text, user: event.target.value })} />
      </FilterField>
      <FilterField id="event-from" label="From">
        <Input id="event-from" type="datetime-local" className="h-8 w-44" value={text.from} onChange={(event) => setText({ ...text, from: event.target.value })} />
      </FilterField>
      <FilterField id="event-to" label="To">
        <Input id="event-to" type="datetime-local" className="h-8 w-44" value={text.to} onChange={(event) => setText({ ...text, to: event.target.value })} />
      </FilterField>
    </FilterBar>
  );
}
