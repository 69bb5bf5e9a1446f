"use client";
// CPU, memory and storage limits side by side; an empty field means no limit.
import type { FieldErrors, UseFormRegister } from "react-hook-form";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { LimitsFormValues } from "@/lib/actions/namespaces/namespace-form-schema";

const FIELDS = [
  ["cpu", "CPU limit", "vCPUs"],
  ["memoryGiB", "Memory limit", "GiB"],
  ["storageGiB", "Storage limit", "GiB"],
] as const;

export function LimitFields({
  idPrefix,
  prefix,
  register,
  errors,
  placeholder = "No limit",
}: {
  idPrefix: string;
  /** The form's path to the limits ("" at the top, "max." inside a template). */
  prefix: "" | "defaults." | "max.";
  // Each form nests the limits differently; the paths built here are checked by its schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  register: UseFormRegister<any>;
  errors?: FieldErrors<LimitsFormValues>;
  placeholder?: string;
}) {
  return (
    <div className="grid grid-cols-3 gap-3">
      {FIELDS.map(([field, label, unit]) => (
        <FormField key={field} label={`${label} (${unit})`} htmlFor={`${idPrefix}-${field}`} error={errors?.[field]?.message}>
          <Input id={`${idPrefix}-${field}`} inputMode="numeric" placeholder={placeholder} autoComplete="off" {...register(`${prefix}${field}`)} />
        </FormField>
      ))}
    </div>
  );
}
