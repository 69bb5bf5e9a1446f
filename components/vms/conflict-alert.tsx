"use client";
// What a VM dialog shows when its save was refused because someone changed the VM after the dialog
// opened: the engine's message and Reload, which takes the VM's current state into the dialog.
import { RotateCw } from "lucide-react";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function ConflictAlert({ message, onReload }: { message: string | null; onReload: () => void }) {
  if (!message) return null;
  return (
    <Alert variant="destructive">
      <AlertTitle>Changed by someone else</AlertTitle>
      <AlertDescription>
        {message}
        <Button type="button" variant="outline" size="sm" onClick={onReload}>
          <RotateCw aria-hidden /> Reload
        </Button>
      </AlertDescription>
    </Alert>
  );
}
