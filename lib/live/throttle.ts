// Per-key throttle, leading and trailing: the first call runs at once, calls within the interval
// after it collapse into one run at the interval's end. A query under a stream of change notices
// is refetched at most once per interval, and always once after the last notice.
export interface KeyedThrottle {
  run(key: string, action: () => void): void;
  cancel(): void;
}

export function createKeyedThrottle(intervalMs: number, now: () => number = Date.now): KeyedThrottle {
  const entries = new Map<string, { last: number; trailing?: ReturnType<typeof setTimeout> }>();
  return {
    run(key, action) {
      const entry = entries.get(key) ?? { last: -Infinity };
      entries.set(key, entry);
      if (entry.trailing) return;
      const wait = entry.last + intervalMs - now();
      if (wait <= 0) {
        entry.last = now();
        action();
        return;
      }
      entry.trailing = setTimeout(() => {
        entry.trailing = undefined;
        entry.last = now();
        action();
      }, wait);
    },
    cancel() {
      for (const entry of entries.values()) clearTimeout(entry.trailing);
      entries.clear();
    },
  };
}
