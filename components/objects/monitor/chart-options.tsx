"use client";
// A chart's Chart Options (as in the vSphere Client): which of its counters it draws. The choice is
// the URL's `hide` list, so a chart set up for a look has a link; at least one counter stays drawn.
import { SlidersHorizontal } from "lucide-react";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuCheckboxItem, DropdownMenuContent, DropdownMenuLabel, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";

export interface ChartCounter {
  key: string;
  label: string;
}

export function ChartOptions({ title, counters, hidden, onChange }: { title: string; counters: ChartCounter[]; hidden: ReadonlySet<string>; onChange: (hidden: Set<string>) => void }) {
  const shown = counters.filter((counter) => !hidden.has(counter.key));
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="h-7 px-2 text-xs font-normal" aria-label={`Chart options for ${title}`}>
          <SlidersHorizontal aria-hidden /> Chart Options
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-56">
        <DropdownMenuLabel>Counters</DropdownMenuLabel>
        {counters.map((counter) => {
          const checked = !hidden.has(counter.key);
          return (
            <DropdownMenuCheckboxItem
              key={counter.key}
              checked={checked}
              disabled={checked && shown.length === 1}
              onCheckedChange={(next) => {
                const result = new Set(hidden);
                if (next) result.delete(counter.key);
                else result.add(counter.key);
                onChange(result);
              }}
              onSelect={(event) => event.preventDefault()}
            >
              {counter.label}
            </DropdownMenuCheckboxItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
