"use client";
// The frame of Administration's tag category, tag and custom attribute forms: the dialog, a
// stale edit's "changed by someone else" with Reload, an error that names no field, Cancel and Save.
import { useRouter } from "next/navigation";
import type { FormEventHandler, ReactNode } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";

export interface CatalogFormDialogProps {
  title: string;
  description: string;
  trigger: ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  formId: string;
  /** The conflict message of a stale edit. */
  conflict: string | null;
  /** An error that belongs to no field. */
  error: string | undefined;
  isPending: boolean;
  onSubmit: FormEventHandler<HTMLFormElement>;
  children: ReactNode;
}

export function CatalogFormDialog({ title, description, trigger, open, onOpenChange, formId, conflict, error, isPending, onSubmit, children }: CatalogFormDialogProps) {
  const router = useRouter();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        <form noValidate id={formId} className="space-y-4" onSubmit={onSubmit}>
          {conflict && (
            <Alert variant="destructive">
              <AlertDescription className="flex items-center justify-between gap-3">
                {conflict}
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  onClick={() => {
                    onOpenChange(false);
                    router.refresh();
                  }}
                >
                  Reload
                </Button>
              </AlertDescription>
            </Alert>
          )}
          {error && (
            <Alert variant="destructive">
              <AlertDescription>{error}</AlertDescription>
            </Alert>
          )}
          {children}
        </form>
        <DialogFooter>
          <Button variant="outline" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button type="submit" form={formId} disabled={isPending}>
            {isPending ? "Saving…" : "Save"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** What a catalogue action answered, as the forms read it. */
export interface CatalogSaveOutcome {
  data?: { status?: string; message?: string };
  serverError?: { message: string; field?: string };
}

/**
 * Settles a save: a field's error beside the field (when `fieldError` knows the field), a
 * conflict in the dialog, and `saved` otherwise when the action answered without an error.
 */
export function settleCatalogSave(
  outcome: CatalogSaveOutcome | undefined,
  handlers: { fieldError: (field: string, message: string) => boolean; conflict: (message: string) => void; saved: () => void },
): void {
  const serverError = outcome?.serverError;
  if (serverError?.field && handlers.fieldError(serverError.field, serverError.message)) return;
  if (outcome?.data?.status === "conflict") return handlers.conflict(outcome.data.message ?? "");
  if (outcome?.data && !serverError) handlers.saved();
}
