"use client";
// CPU, memory and storage limits side by side (or totals, for a template's total per user); an
// empty field means no limit.
import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { LimitsFormValues } from "@/lib/actions/namespaces/namespace-form-schema";

const FIELDS = [
  ["cpu", "CPU", "vCPUs"],
  ["memoryGiB", "Memory", "GiB"],
  ["storageGiB", "Storage", "GiB"],
] as const;

export function LimitFields({
  idPrefix,
  prefix,
  register,
  errors,
  placeholder = "No limit",
  what = "limit",
}: {
  idPrefix: string;
  /** The form's path to the limits ("" at the top, "max." inside a template). */
  prefix: "" | "defaults." | "max." | "perUser.";
  // Each form nests the limits differently; the paths built here are checked by its schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  register: UseFormRegister<any>;
  errors?: FieldErrors<LimitsFormValues>;
  placeholder?: string;
  /** Whether the fields are limits ("CPU limit") or totals ("CPU total"). */
  what?: "limit" | "total";
}) {
  return (
    <div className="grid grid-cols-3 gap-3">
      {FIELDS.map(([field, noun, unit]) => (
        <FormField key={field} label={`${noun} ${what} (${unit})`} htmlFor={`${idPrefix}-${field}`} error={errors?.[field]?.message}>
          <Input id={`${idPrefix}-${field}`} inputMode="numeric" placeholder={placeholder} autoComplete="off" {...register(`${prefix}${field}`)} />
        </FormField>
      ))}
    </div>
  );
}
