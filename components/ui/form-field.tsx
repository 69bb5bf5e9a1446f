import * as React from "react";

import { cn } from "@/lib/utils";
import { Label } from "@/components/ui/label";

type FormFieldProps = {
  label: string;
  htmlFor: string;
  error?: string;
  description?: string;
  className?: string;
  children: React.ReactNode;
};

type DescribableProps = {
  "aria-describedby"?: string;
  "aria-invalid"?: React.AriaAttributes["aria-invalid"];
};

function FormField({ label, htmlFor, error, description, className, children }: FormFieldProps) {
  const descriptionId = description ? `${htmlFor}-description` : undefined;
  const errorId = error ? `${htmlFor}-error` : undefined;
  const describedBy = [descriptionId, errorId].filter(Boolean).join(" ") || undefined;

  // Wires the hint and error to a single child control so screen readers announce them with it.
  const control =
    React.isValidElement<DescribableProps>(children) && describedBy
      ? React.cloneElement(children, {
          "aria-describedby":
            [children.props["aria-describedby"], describedBy].filter(Boolean).join(" ") ||
            undefined,
          "aria-invalid": children.props["aria-invalid"] ?? (error ? true : undefined),
        })
      : children;

  return (
    <div
      data-slot="form-field"
      data-invalid={error ? true : undefined}
      className={cn("grid gap-1.5", className)}
    >
      <Label htmlFor={htmlFor} className={cn(error && "text-destructive")}>
        {label}
      </Label>
      {control}
      {description && (
        <p id={descriptionId} className="text-xs text-muted-foreground">
          {description}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A field's error as shown beside it: a rule reads after the field's label ("Name is required");
 * a refusal from the server (set with type "server") is already a whole sentence.
 */
function fieldError(label: string, error: { type?: string; message?: string } | undefined): string | undefined {
  if (!error?.message) return undefined;
  return error.type === "server" ? error.message : `${label} ${error.message}`;
}

export { FormField, fieldError };
export type { FormFieldProps };
