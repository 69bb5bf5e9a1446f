"use client";
// Create token for one service account: pick how long it lasts, then see the token once, with a
// kubeconfig holding it for an operator to run with. Nothing shown here can be read again later.
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CommandBlock } from "@/components/ui/command-block";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { createServiceAccountToken } from "@/lib/actions/namespaces/create-service-account-token";

const HOUR = 3600;
const DURATIONS = [
  { seconds: HOUR, label: "1 hour" },
  { seconds: 24 * HOUR, label: "1 day" },
  { seconds: 30 * 24 * HOUR, label: "30 days" },
  { seconds: 365 * 24 * HOUR, label: "1 year" },
];

export function ServiceAccountTokenDialog({ namespace, name, onClose }: { namespace: string; name: string; onClose: () => void }) {
  const [seconds, setSeconds] = useState(String(24 * HOUR));
  const create = useAction(createServiceAccountToken);
  const issued = create.result.data;
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <DialogHeader>
          <DialogTitle>Create Token for {name}</DialogTitle>
          <DialogDescription>
            The token acts as system:serviceaccount:{namespace}:{name}, with the role this namespace&apos;s permissions give it. It is shown once.
          </DialogDescription>
        </DialogHeader>
        {create.result.serverError && (
          <Alert variant="destructive">
            <AlertDescription>{create.result.serverError.message}</AlertDescription>
          </Alert>
        )}
        {issued ? (
          <div className="space-y-3">
            <p className="text-sm">Expires {new Date(issued.expiresAt).toLocaleString()}. Copy it now: Skylight keeps only its hash.</p>
            <CommandBlock command={issued.token} label={`Token of ${name}`} />
            <CommandBlock command={issued.kubeconfig} label={`Kubeconfig of ${name}`} />
          </div>
        ) : (
          <Select value={seconds} onValueChange={setSeconds}>
            <SelectTrigger className="w-44" aria-label="Token lifetime">
              <SelectValue />
            </SelectTrigger>
            <SelectContent>
              {DURATIONS.map((duration) => (
                <SelectItem key={duration.seconds} value={String(duration.seconds)}>
                  {duration.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
        )}
        <DialogFooter>
          {issued ? (
            <Button onClick={onClose}>Done</Button>
          ) : (
            <Button disabled={create.isPending} onClick={() => create.execute({ namespace, name, seconds: Number(seconds) })}>
              {create.isPending ? "Creating…" : "Create Token"}
            </Button>
          )}
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
