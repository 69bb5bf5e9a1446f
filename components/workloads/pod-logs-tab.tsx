"use client";
// A pod's Logs tab: one container's output (a choice when the pod has several), newest at the
// bottom and kept in view as lines arrive unless the reader scrolled up, with Previous for the run
// before the container's last restart. Read again whenever the pod changes.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Label } from "@/components/ui/label";
import { objectViewQuery, podLogQuery } from "@/lib/queries/object-queries";
import { ChoiceSelect, choicesOf } from "@/components/ui/choice-select";

interface ContainerStatus {
  name: string;
  restartCount?: number;
}

export function PodLogsTab({ uid }: { uid: string }) {
  const { data: pod } = useQuery(objectViewQuery(uid, "Pod"));
  const containers = ((pod?.spec.containers as { name: string }[] | undefined) ?? []).map((container) => container.name);
  const [chosen, setChosen] = useState<string | null>(null);
  const [previous, setPrevious] = useState(false);
  const container = chosen ?? containers[0] ?? "";
  const restarts = ((pod?.status.containerStatuses as ContainerStatus[] | undefined) ?? []).find((status) => status.name === container)?.restartCount ?? 0;
  const showPrevious = previous && restarts > 0;
  const log = useQuery({ ...podLogQuery(uid, container, showPrevious), enabled: container !== "" });
  if (!pod) return null;
  return (
    <div className="space-y-3 p-6">
      <div className="flex flex-wrap items-center gap-6 text-sm">
        <div className="flex items-center gap-2">
          <Label htmlFor="log-container">Container</Label>
          <ChoiceSelect id="log-container" value={container} onValueChange={setChosen} choices={choicesOf(containers)} className="w-56" disabled={containers.length < 2} />
        </div>
        <label className="flex items-center gap-2" title={restarts > 0 ? undefined : "The container has not restarted, so there is no previous run."}>
          <input type="checkbox" className="size-4 accent-primary" checked={showPrevious} disabled={restarts === 0} onChange={(event) => setPrevious(event.target.checked)} />
          {restarts > 0 ? `Previous run (restarted ${restarts} ${restarts === 1 ? "time" : "times"})` : "Previous run"}
        </label>
      </div>
      <div
        role="log"
        aria-label={`Log of container ${container}${showPrevious ? ", previous run" : ""}`}
        tabIndex={0}
        className="flex max-h-[max(12rem,calc(100dvh-32rem))] flex-col-reverse overflow-auto rounded-md border border-border bg-zinc-950 p-3 text-zinc-100"
      >
        <pre className="font-mono text-xs leading-relaxed break-all whitespace-pre-wrap">
          {log.error ? <span className="text-amber-300">{log.error.message}</span> : log.data || <span className="text-zinc-400">{log.isPending ? "Reading the log…" : "The container has printed nothing yet."}</span>}
        </pre>
      </div>
      <p className="text-xs text-muted-foreground">
        What the container wrote to its standard output and error, as <code className="font-mono">kubectl logs {pod.name}{containers.length > 1 ? ` -c ${container}` : ""}{showPrevious ? " --previous" : ""}</code> shows it.
      </p>
    </div>
  );
}
