"use client";
// A wizard's frame as the vSphere Client draws it: the numbered steps on the left (the current
// one marked for assistive technology), the step's title and fields, and its buttons at the bottom.
import type { FormEventHandler, ReactNode } from "react";
import { cn } from "@/lib/utils";

export function WizardForm({
  label,
  steps,
  current,
  onSubmit,
  footer,
  children,
}: {
  label: string;
  steps: string[];
  current: number;
  onSubmit: FormEventHandler<HTMLFormElement>;
  footer: ReactNode;
  children: ReactNode;
}) {
  return (
    <form noValidate aria-label={label} onSubmit={onSubmit} className="grid min-h-80 grid-cols-[13rem_1fr]">
      <ol className="space-y-1 border-r border-border bg-muted/40 p-3 text-sm" aria-label="Steps">
        {steps.map((title, index) => (
          <li
            key={title}
            aria-current={index === current ? "step" : undefined}
            className={cn("rounded-sm px-2 py-1.5", index === current ? "bg-accent font-medium text-accent-foreground" : index < current ? "text-foreground" : "text-muted-foreground")}
          >
            {index + 1} {title}
          </li>
        ))}
      </ol>
      <div className="flex min-w-0 flex-col">
        <div className="flex-1 space-y-4 p-5">
          <h3 className="text-base font-semibold">{steps[current]}</h3>
          {children}
        </div>
        <div className="flex justify-end gap-2 border-t border-border px-5 py-3">{footer}</div>
      </div>
    </form>
  );
}
