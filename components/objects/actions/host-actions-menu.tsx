"use client";
// Host › Actions, under the vSphere Client's names: maintenance mode, connection and removal, and
// for administrators on a simulated host, Simulate Failure and Recover. Each item acts on the
// version of the host on screen; what does not apply is shown disabled with the reason, and what
// is hard to undo asks first.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { HeartCrack, HeartPulse, LogIn, LogOut, Plug, Trash2, Unplug } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { ActionsMenu } from "@/components/objects/actions/actions-menu";
import { DropdownMenuItem, DropdownMenuSeparator } from "@/components/ui/dropdown-menu";
import { changeHostState } from "@/lib/actions/hosts/change-host-state";
import { removeHost } from "@/lib/actions/hosts/remove-host";
import { simulateHostFailure } from "@/lib/actions/hosts/simulate-host-failure";
import type { ActionError } from "@/lib/actions/safe-action";
import { unavailableFailureActions, unavailableHostActions, type FailureAction, type HostAction } from "@/lib/inventory/host-action-availability";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectKeys, objectViewQuery } from "@/lib/queries/object-queries";
import { cn } from "@/lib/utils";

type MenuAction = HostAction | FailureAction;

const ITEMS: { action: MenuAction; label: string; icon: ReactNode; started: (host: string) => string }[] = [
  { action: "enterMaintenanceMode", label: "Enter Maintenance Mode", icon: <LogIn />, started: (host) => `${host} is entering maintenance mode` },
  { action: "exitMaintenanceMode", label: "Exit Maintenance Mode", icon: <LogOut />, started: (host) => `${host} is exiting maintenance mode` },
  { action: "connect", label: "Connect", icon: <Plug />, started: (host) => `Connecting ${host}` },
  { action: "disconnect", label: "Disconnect", icon: <Unplug />, started: (host) => `Disconnecting ${host}` },
  { action: "remove", label: "Remove from Inventory", icon: <Trash2 />, started: (host) => `${host} removed from the inventory` },
];
const FAILURE_ITEMS: (typeof ITEMS)[number][] = [
  { action: "simulateFailure", label: "Simulate Failure", icon: <HeartCrack />, started: (host) => `Simulated failure of ${host}: it stops heartbeating` },
  { action: "recover", label: "Recover", icon: <HeartPulse />, started: (host) => `${host} recovered: it heartbeats again` },
];

/** What each confirmation says; an action without one runs at once. */
function confirmation(action: MenuAction, host: ObjectView): { title: string; body: string; confirm: string } | null {
  const cluster = host.related.cluster?.name ?? "its cluster";
  switch (action) {
    case "enterMaintenanceMode":
      return {
        title: `Enter maintenance mode on ${host.name}?`,
        body: `A host in maintenance mode runs no VMs. vSphere DRS migrates its powered-on VMs to the other hosts in ${cluster} first; powered-off and suspended VMs stay registered on it unless you move them too. If the other hosts lack room, the task fails and says why, and the VMs stay where they are.`,
        confirm: "Enter Maintenance Mode",
      };
    case "disconnect":
      return {
        title: `Disconnect ${host.name}?`,
        body: "Skylight stops managing the host: its VMs keep running but cannot be changed, and new VMs are not placed on it. vSphere HA does not restart its VMs, because the host has not failed. Connect it again to resume.",
        confirm: "Disconnect",
      };
    case "simulateFailure":
      return {
        title: `Simulate a failure of ${host.name}?`,
        body: `The simulated host stops heartbeating and its VMs stop with it. Once its heartbeats are missed for the grace period, it is not responding and vSphere HA restarts its VMs on the other hosts of ${cluster}. Recover brings the host back, empty.`,
        confirm: "Simulate Failure",
      };
    case "remove":
      return {
        title: `Remove ${host.name} from the inventory?`,
        body: `The host leaves ${cluster} and Skylight forgets it: its capacity, tasks and events stay in the history only. Add it again with Add Host to use it.`,
        confirm: "Remove from Inventory",
      };
    default:
      return null;
  }
}

/** `failureInjection`: the reader may fail and recover this host (an administrator, on a simulated host). */
export function HostActionsMenu({ uid, failureInjection }: { uid: string; failureInjection: boolean }) {
  const { data: host } = useQuery(objectViewQuery(uid, "Host"));
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirming, setConfirming] = useState<MenuAction | null>(null);
  const [evacuatePoweredOffVms, setEvacuatePoweredOffVms] = useState(false);
  const stateChange = useAction(changeHostState);
  const removal = useAction(removeHost);
  const failure = useAction(simulateHostFailure);
  if (!host) return null;
  const unavailable = { ...unavailableHostActions(host), ...unavailableFailureActions(host) };
  const pending = stateChange.isPending || removal.isPending || failure.isPending;

  const reportConflict = (message: string) =>
    toast.error(message, { action: { label: "Reload", onClick: () => void queryClient.invalidateQueries({ queryKey: objectKeys.view(uid) }) } });
  const reportError = (error: ActionError | undefined, fallback: string) => toast.error(error?.message ?? fallback);

  const run = async (action: MenuAction) => {
    const item = [...ITEMS, ...FAILURE_ITEMS].find((candidate) => candidate.action === action)!;
    const request = { name: host.name, expectedResourceVersion: host.resourceVersion };
    if (action === "simulateFailure" || action === "recover") {
      const result = await failure.executeAsync({ name: host.name, failed: action === "simulateFailure" });
      if (result?.serverError) reportError(result.serverError, `${item.label} failed. Try again.`);
      else toast.success(item.started(host.name));
      return;
    }
    if (action === "remove") {
      const result = await removal.executeAsync(request);
      if (result?.data?.status === "removed") {
        toast.success(item.started(host.name));
        router.push(host.related.cluster ? `/objects/${host.related.cluster.uid}` : "/");
      } else if (result?.data?.status === "conflict") reportConflict(result.data.message);
      else reportError(result?.serverError, `${item.label} failed. Try again.`);
      return;
    }
    const result = await stateChange.executeAsync({ ...request, change: action, ...(action === "enterMaintenanceMode" ? { evacuatePoweredOffVms } : {}) });
    if (result?.data?.status === "saved") toast.success(item.started(host.name));
    else if (result?.data?.status === "conflict") reportConflict(result.data.message);
    else reportError(result?.serverError, `${item.label} failed. Try again.`);
  };

  const asked = confirming ? confirmation(confirming, host) : null;
  return (
    <>
      <ActionsMenu disabled={pending} className="w-72">
        {ITEMS.map((item, index) => (
          <HostActionItem
            key={item.action}
            item={item}
            reason={unavailable[item.action]}
            separated={index === 2 || index === 4}
            onSelect={() => (confirmation(item.action, host) ? setConfirming(item.action) : void run(item.action))}
          />
        ))}
        {failureInjection &&
          FAILURE_ITEMS.map((item, index) => (
            <HostActionItem
              key={item.action}
              item={item}
              reason={unavailable[item.action]}
              separated={index === 0}
              onSelect={() => (confirmation(item.action, host) ? setConfirming(item.action) : void run(item.action))}
            />
          ))}
      </ActionsMenu>
      <AlertDialog
        open={asked !== null}
        onOpenChange={(open) => {
          if (open) return;
          setConfirming(null);
          setEvacuatePoweredOffVms(false);
        }}
      >
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{asked?.title}</AlertDialogTitle>
            <AlertDialogDescription>{asked?.body}</AlertDialogDescription>
          </AlertDialogHeader>
          {confirming === "enterMaintenanceMode" && (
            <label className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-0.5 size-4 accent-primary" checked={evacuatePoweredOffVms} onChange={(event) => setEvacuatePoweredOffVms(event.target.checked)} />
              Move powered-off and suspended virtual machines to other hosts in the cluster
            </label>
          )}
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              variant={confirming === "remove" || confirming === "simulateFailure" ? "destructive" : "default"}
              onClick={() => {
                if (confirming) void run(confirming);
                setConfirming(null);
              }}
            >
              {asked?.confirm}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}

function HostActionItem({ item, reason, separated, onSelect }: { item: (typeof ITEMS)[number]; reason?: string; separated: boolean; onSelect: () => void }) {
  return (
    <>
      {separated && <DropdownMenuSeparator />}
      {/* Only the label is dimmed when disabled, so the reason stays readable. */}
      <DropdownMenuItem
        disabled={reason !== undefined}
        variant={item.action === "remove" || item.action === "simulateFailure" ? "destructive" : "default"}
        onSelect={onSelect}
        className="items-start data-[disabled]:opacity-100"
      >
        <span className={cn("mt-0.5", reason && "opacity-50")}>{item.icon}</span>
        <span className="grid gap-0.5">
          <span className={cn(reason && "opacity-50")}>{item.label}</span>
          {reason && <span className="text-xs text-muted-foreground">{reason}</span>}
        </span>
      </DropdownMenuItem>
    </>
  );
}
