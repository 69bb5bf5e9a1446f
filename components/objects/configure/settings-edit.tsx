"use client";
// How every Configure form edits desired state: the form remembers the resourceVersion it
// opened with and sends it along; a save that finds the object changed by someone else shows
// that, and Reload loads the current settings into the form. Nothing is ever silently overwritten.
import { useQueryClient } from "@tanstack/react-query";
import { RotateCw } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { toast } from "sonner";
import { FactList, type Fact } from "@/components/objects/summary/summary-parts";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import type { SpecChangeOutcome } from "@/lib/actions/spec-change-outcome";
import type { ActionError } from "@/lib/actions/safe-action";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";

interface ActionResult {
  data?: SpecChangeOutcome;
  serverError?: ActionError;
  validationErrors?: { formErrors: string[]; fieldErrors: Record<string, string[] | undefined> };
}

/** `openedWith`: the object a dialog opened on, for an edit that starts open. */
export function useSettingsEdit<Values extends FieldValues>(uid: string, form: UseFormReturn<Values>, valuesOf: (object: ObjectView) => Values, openedWith?: ObjectView) {
  const queryClient = useQueryClient();
  const [openedAt, setOpenedAt] = useState<string | null>(openedWith?.resourceVersion ?? null);
  const [openedGeneration, setOpenedGeneration] = useState<number | null>(openedWith?.generation ?? null);
  const [conflict, setConflict] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [reloading, setReloading] = useState(false);

  const open = (object: ObjectView) => {
    form.reset(valuesOf(object));
    setOpenedAt(object.resourceVersion);
    setOpenedGeneration(object.generation);
    setConflict(null);
    setFormError(null);
  };
  const close = () => setOpenedAt(null);
  const reload = async () => {
    setReloading(true);
    try {
      open(await queryClient.fetchQuery({ ...objectViewQuery(uid), staleTime: 0 }));
    } catch {
      setFormError("The current settings could not be loaded. Try Reload again.");
    } finally {
      setReloading(false);
    }
  };
  const settle = async (result: ActionResult | undefined, saved: string) => {
    if (result?.data?.status === "saved") {
      toast.success(saved);
      close();
      await queryClient.invalidateQueries({ queryKey: objectKeys.view(uid) });
    } else if (result?.data?.status === "conflict") {
      setConflict(result.data.message);
    } else if (result?.serverError) {
      const { message, field } = result.serverError;
      const name = field?.split(".").pop();
      if (name && name in form.getValues()) form.setError(name as Path<Values>, { type: "server", message });
      else setFormError(field ? `${field}: ${message}` : message);
    } else if (result?.validationErrors) {
      const { formErrors, fieldErrors } = result.validationErrors;
      const fields = Object.entries(fieldErrors).map(([field, messages]) => `${field} ${messages?.join(", ")}`);
      setFormError([...formErrors, ...fields].join("; ") || "The settings were refused.");
    } else {
      setFormError("The settings could not be saved. Try again.");
    }
  };
  return { editing: openedAt !== null, openedAt, openedGeneration, open, close, reload, reloading, settle, conflict, formError };
}

export type SettingsEdit = ReturnType<typeof useSettingsEdit>;

/** The alerts above a form's fields: a stale edit (with Reload) or an error the server named. */
export function SettingsAlerts({ edit }: { edit: SettingsEdit }) {
  return (
    <>
      {edit.conflict && (
        <Alert variant="destructive">
          <AlertTitle>Changed by someone else</AlertTitle>
          <AlertDescription>
            <p>{edit.conflict}</p>
            <Button type="button" variant="outline" size="sm" className="mt-1" onClick={() => void edit.reload()} disabled={edit.reloading}>
              <RotateCw aria-hidden /> {edit.reloading ? "Reloading…" : "Reload"}
            </Button>
          </AlertDescription>
        </Alert>
      )}
      {edit.formError && (
        <Alert variant="destructive">
          <AlertDescription>{edit.formError}</AlertDescription>
        </Alert>
      )}
    </>
  );
}

/**
 * A Configure section as the vSphere Client lays it out: its name with Edit on the right, the
 * current settings as facts, and in their place while editing, the form with its alerts.
 */
export function SettingsSection({
  title,
  summary,
  facts,
  canEdit,
  edit,
  onEdit,
  formLabel,
  onSubmit,
  pending,
  children,
}: {
  title: string;
  summary: string;
  facts: Fact[];
  canEdit: boolean;
  edit: SettingsEdit;
  onEdit: () => void;
  formLabel: string;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  pending: boolean;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby="configure-heading" className="max-w-3xl space-y-3">
      <div className="flex min-h-8 items-center justify-between gap-4">
        <h2 id="configure-heading" className="text-base font-semibold">
          {title}
        </h2>
        {canEdit && !edit.editing && (
          <Button variant="outline" size="sm" onClick={onEdit}>
            Edit
          </Button>
        )}
      </div>
      {edit.editing ? (
        <Card>
          <CardContent>
            <form noValidate aria-label={formLabel} className="space-y-5" onSubmit={onSubmit}>
              <SettingsAlerts edit={edit} />
              {children}
              <div className="flex justify-end gap-2 border-t border-border pt-4">
                <Button type="button" variant="outline" onClick={edit.close}>
                  Cancel
                </Button>
                <Button type="submit" disabled={pending}>
                  {pending ? "Saving…" : "Save"}
                </Button>
              </div>
            </form>
          </CardContent>
        </Card>
      ) : (
        <FactList title={summary} facts={facts} />
      )}
    </section>
  );
}
