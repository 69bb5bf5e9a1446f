"use client";
// A bordered, scrollable list of checkboxes choosing several of a few dozen options.
import type { ReactNode } from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

export interface CheckboxOption {
  value: string;
  label?: ReactNode;
}

export function CheckboxList({ options, value, onChange, label, className }: { options: CheckboxOption[]; value: string[]; onChange: (value: string[]) => void; label: string; className?: string }) {
  return (
    <div role="group" aria-label={label} className={cn("grid max-h-40 gap-x-4 gap-y-1.5 overflow-y-auto rounded-md border border-border p-2", className)}>
      {options.map((option) => {
        const checked = value.includes(option.value);
        return (
          <Label key={option.value} className="font-normal">
            <input type="checkbox" className="accent-primary" checked={checked} onChange={() => onChange(checked ? value.filter((entry) => entry !== option.value) : [...value, option.value])} />
            <span className="truncate">{option.label ?? option.value}</span>
          </Label>
        );
      })}
    </div>
  );
}
