// The line under an object's header that says where observed state still differs from desired
// state ("Powering on — 40 %") and which condition explains a wait.
import { AlertTriangle, Loader2 } from "lucide-react";
import Link from "next/link";
import type { PendingChange } from "@/lib/inventory/pending-change";
import { cn } from "@/lib/utils";

export function PendingChangeBanner({ pending }: { pending: PendingChange }) {
  const warning = pending.tone === "warning";
  return (
    <div
      role="status"
      className={cn(
        "flex flex-wrap items-center gap-x-4 gap-y-1 border-b px-6 py-2 text-sm",
        warning ? "border-warning/50 bg-warning/10" : "border-primary/30 bg-primary/5",
      )}
    >
      <span className="flex items-center gap-2 font-medium">
        {warning ? <AlertTriangle className="size-4 text-warning" aria-hidden /> : <Loader2 className="size-4 animate-spin text-primary" aria-hidden />}
        {pending.headline}
      </span>
      {pending.progress !== null && !warning && (
        <span className="h-1.5 w-40 overflow-hidden rounded-full bg-muted" aria-hidden>
          <span className="block h-full rounded-full bg-primary transition-[width]" style={{ width: `${pending.progress}%` }} />
        </span>
      )}
      {pending.condition && (
        <span className="text-muted-foreground">
          {pending.condition.type}: {pending.condition.reason}
          {pending.condition.message ? ` — ${pending.condition.message}` : ""}
        </span>
      )}
      {pending.taskId && (
        <Link href={`/tasks/${pending.taskId}`} className="ml-auto text-primary underline-offset-4 hover:underline">
          View task
        </Link>
      )}
    </div>
  );
}
