"use client";

import type { ReactNode } from "react";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";

export interface Choice {
  value: string;
  label: ReactNode;
  disabled?: boolean;
}

/** Choices whose label is the value itself, or a label looked up by value. */
export const choicesOf = (values: readonly string[], labels?: Readonly<Record<string, ReactNode>>): Choice[] =>
  values.map((value) => ({ value, label: labels?.[value] ?? value }));

interface ChoiceSelectProps {
  id: string;
  value: string | undefined;
  onValueChange: (value: string) => void;
  choices: Choice[];
  className?: string;
  size?: "sm" | "default";
  placeholder?: string;
  disabled?: boolean;
}

/** A select of a fixed list of choices, labelled by the form field whose `htmlFor` is `id`. */
export function ChoiceSelect({ id, value, onValueChange, choices, className, size, placeholder, disabled }: ChoiceSelectProps) {
  return (
    <Select value={value} onValueChange={onValueChange} disabled={disabled}>
      <SelectTrigger id={id} size={size} className={className}>
        <SelectValue placeholder={placeholder} />
      </SelectTrigger>
      <SelectContent>
        {choices.map((choice) => (
          <SelectItem key={choice.value} value={choice.value} disabled={choice.disabled}>
            {choice.label}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}
