"use client";
// What a folder dialog shows when its write was not made: someone else changed the folder since
// the dialog opened (with Reload, which closes the dialog on fresh data), or the engine's refusal.
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export type FolderWriteProblem = { conflict: string } | { refusal: string };

export function FolderWriteAlert({ problem, onReload }: { problem: FolderWriteProblem | null; onReload: () => void }) {
  if (!problem) return null;
  return (
    <Alert variant="destructive">
      <AlertDescription className="flex items-center justify-between gap-3">
        {"conflict" in problem ? problem.conflict : problem.refusal}
        {"conflict" in problem && (
          <Button type="button" size="sm" variant="outline" onClick={onReload}>
            Reload
          </Button>
        )}
      </AlertDescription>
    </Alert>
  );
}

/** The problem a saveOrReportConflict action's answer carries, or null when it saved. */
export function problemOf(result: { data?: { status: string; message?: string }; serverError?: { message: string } } | undefined): FolderWriteProblem | null {
  if (result?.data?.status === "saved") return null;
  if (result?.data?.status === "conflict") return { conflict: result.data.message ?? "Someone else changed this folder." };
  return { refusal: result?.serverError?.message ?? "The request was refused. Try again." };
}
