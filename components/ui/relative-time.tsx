"use client";
// How long ago something happened ("12 s ago"), kept current once a second, with the full time in
// the tooltip. One clock ticks for every RelativeTime on the page. The server renders against its
// own clock, so the browser's first render may differ by a second: expected, not a hydration bug.
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const each of listeners) each();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function timeAgo(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

export function RelativeTime({ value }: { value: string | null | undefined }) {
  const current = useSyncExternalStore(subscribe, () => now, () => Date.now());
  if (!value) return <span className="text-muted-foreground">Never</span>;
  const at = new Date(value);
  return (
    <time dateTime={value} title={at.toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium" })} suppressHydrationWarning>
      {timeAgo(current - at.getTime())}
    </time>
  );
}
