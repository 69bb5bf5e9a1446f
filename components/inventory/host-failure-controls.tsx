"use client";
// Administrators' failure injection on a simulated host: stop its heartbeats, or bring it back.
import { HeartCrack, HeartPulse } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { simulateHostFailure } from "@/lib/actions/hosts/simulate-host-failure";

export function HostFailureControls({ name }: { name: string }) {
  const { executeAsync, isPending } = useAction(simulateHostFailure);
  const run = async (failed: boolean) => {
    const outcome = await executeAsync({ name, failed });
    if (outcome?.serverError) toast.error(outcome.serverError.message);
    else toast.success(failed ? `Simulated failure of ${name}: it stops heartbeating` : `${name} recovered`);
  };
  return (
    <>
      <Button variant="outline" size="sm" disabled={isPending} onClick={() => run(true)}>
        <HeartCrack className="size-4" aria-hidden /> Simulate Failure
      </Button>
      <Button variant="outline" size="sm" disabled={isPending} onClick={() => run(false)}>
        <HeartPulse className="size-4" aria-hidden /> Recover
      </Button>
    </>
  );
}
