"use client";
// Power On / Power Off for the VMs selected in a list. Each VM gets its own task, which shows in
// Recent Tasks; the toast says how many started and names any that were refused, and why.
import { Power, PowerOff } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { setVmsPowerState } from "@/lib/actions/vms/set-vms-power-state";

export function VmBulkActions({ uids, onDone }: { uids: string[]; onDone: () => void }) {
  const { executeAsync, isPending } = useAction(setVmsPowerState);
  const run = async (powerState: "PoweredOn" | "PoweredOff") => {
    const result = await executeAsync({ uids, powerState });
    if (result?.serverError || !result?.data) {
      toast.error(result?.serverError?.message ?? "The request was refused.");
      return;
    }
    const { started, unchanged, failed } = result.data;
    const verb = powerState === "PoweredOn" ? "Powering on" : "Powering off";
    const already = unchanged > 0 ? ` ${unchanged} already ${powerState === "PoweredOn" ? "on" : "off"}.` : "";
    if (started === 0 && unchanged === 0 && failed.length === 1) {
      toast.error(failed[0]!.message);
    } else if (failed.length > 0) {
      toast.warning(`${verb} ${started} VM(s).${already} ${failed.length} refused: ${failed.map((failure) => `${failure.name} (${failure.message})`).join("; ")}`);
    } else {
      toast.success(`${verb} ${started} VM(s).${already}`);
    }
    onDone();
  };
  return (
    <div className="flex items-center gap-2 rounded-md border border-border bg-accent/50 px-2 py-1">
      <span className="text-sm text-muted-foreground">{uids.length} selected</span>
      <Button size="sm" variant="outline" disabled={isPending} onClick={() => void run("PoweredOn")}>
        <Power aria-hidden />
        Power On
      </Button>
      <Button size="sm" variant="outline" disabled={isPending} onClick={() => void run("PoweredOff")}>
        <PowerOff aria-hidden />
        Power Off
      </Button>
    </div>
  );
}
