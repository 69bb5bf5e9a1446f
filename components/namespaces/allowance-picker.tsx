"use client";
// One allowance of a namespace or template: everything of a kind, or only the ticked ones.
import { CheckboxList, type CheckboxOption } from "@/components/ui/checkbox-list";

interface AllowancePickerProps {
  id: string;
  label: string;
  options: CheckboxOption[];
  /** null: every option, now and added later. */
  value: string[] | null;
  onChange: (value: string[] | null) => void;
  allLabel: string;
  error?: string;
}

export function AllowancePicker({ id, label, options, value, onChange, allLabel, error }: AllowancePickerProps) {
  const only = value !== null;
  return (
    <fieldset className="grid gap-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="mb-1 text-sm font-medium">{label}</legend>
      <div className="flex gap-4 text-sm">
        <label className="inline-flex items-center gap-2">
          <input type="radio" name={id} checked={!only} onChange={() => onChange(null)} className="accent-primary" />
          {allLabel}
        </label>
        <label className="inline-flex items-center gap-2">
          <input type="radio" name={id} checked={only} onChange={() => onChange(value ?? [])} className="accent-primary" />
          Only these
        </label>
      </div>
      {only && <CheckboxList label={label} options={options} value={value} onChange={onChange} className="grid-cols-2" />}
      {error && (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      )}
    </fieldset>
  );
}
