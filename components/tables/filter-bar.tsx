// A view's filter bar: fields that apply with Apply (or Enter), Clear while any filter is set,
// and the view's actions (Export) at its right end.
import { FilterX } from "lucide-react";
import type { FormEvent, ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";

interface FilterBarProps {
  label: string;
  onApply: (event: FormEvent) => void;
  /** Some filter is set: Clear is offered. */
  active: boolean;
  onClear: () => void;
  actions?: ReactNode;
  error?: string | null;
  children: ReactNode;
}

export function FilterBar({ label, onApply, active, onClear, actions, error, children }: FilterBarProps) {
  return (
    <form onSubmit={onApply} aria-label={label} className="flex flex-wrap items-end gap-3 rounded-lg border border-border bg-surface p-3">
      {children}
      <Button type="submit" size="sm">Apply</Button>
      {active && (
        <Button type="button" size="sm" variant="ghost" onClick={onClear}>
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

/** One labelled field of a filter bar. */
export function FilterField({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="grid gap-1">
      <Label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </Label>
      {children}
    </div>
  );
}
