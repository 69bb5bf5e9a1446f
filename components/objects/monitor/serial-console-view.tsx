"use client";
// Monitor › Serial console of a VM on a real host: the last lines of the guest's serial log as its
// host's agent reports them, newest at the bottom, and the address the guest reported. Live: a new
// line refetches it (lib/live, source "machines"). The log opens at its newest line and stays
// there as lines arrive, unless the reader has scrolled up to older ones: a column-reverse
// scroller anchors at its end by itself, also while the page streams in hidden.
import { useQuery } from "@tanstack/react-query";
import { PowerStateBadge } from "@/components/objects/state-badges";
import { serialConsoleQuery } from "@/lib/queries/object-queries";

export function SerialConsoleView({ uid, name }: { uid: string; name: string }) {
  const { data } = useQuery(serialConsoleQuery(uid));
  const machine = data?.console;
  const text = machine?.lines.join("\n") ?? "";
  if (!machine) return <p className="text-sm text-muted-foreground">This VM runs on a simulated host, which has no serial console.</p>;
  return (
    <div className="space-y-3">
      <dl className="flex flex-wrap gap-x-8 gap-y-1 text-sm">
        <div className="flex items-center gap-2">
          <dt className="text-muted-foreground">Power state</dt>
          <dd>
            <PowerStateBadge state={machine.powerState} />
          </dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-muted-foreground">Guest IP address</dt>
          <dd className="font-mono">{machine.ipAddress ?? <span className="font-sans text-muted-foreground">Not reported yet</span>}</dd>
        </div>
        <div className="flex gap-2">
          <dt className="text-muted-foreground">Host</dt>
          <dd>{machine.host}</dd>
        </div>
      </dl>
      <div
        role="log"
        aria-label={`Serial console of ${name}`}
        tabIndex={0}
        className="flex h-[max(12rem,calc(100dvh-30rem))] flex-col-reverse overflow-auto rounded-md border border-border bg-zinc-950 p-3 text-zinc-100"
      >
        <pre className="font-mono text-xs leading-relaxed break-all whitespace-pre-wrap">
          {text || <span className="text-zinc-400">Nothing on the serial console yet: it fills once the VM powers on.</span>}
        </pre>
      </div>
      <p className="text-xs text-muted-foreground">The end of the guest&apos;s serial port (ttyS0) log, as the host&apos;s agent last reported it.</p>
    </div>
  );
}
