// Merges the change notices of a short window into one per source, so that an engine writing
// hundreds of objects a second costs each browser a few messages a second, not hundreds.
import type { ChangeNotice, ChangeSource } from "@/lib/live/live-dependencies";

export interface CoalescerOptions {
  windowMs?: number;
  /** Beyond this many uids (or task ids) a merged notice lists none: "anything of these kinds". */
  maxUids?: number;
  emit: (notice: ChangeNotice) => void;
}

export interface NoticeCoalescer {
  add(notice: ChangeNotice): void;
  /** Emits what is pending now and stops the window's timer. */
  flush(): void;
}

export function createNoticeCoalescer({ windowMs = 250, maxUids = 200, emit }: CoalescerOptions): NoticeCoalescer {
  const pending = new Map<ChangeSource, ChangeNotice>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const notices = [...pending.values()];
    pending.clear();
    notices.forEach(emit);
  };

  return {
    add(notice) {
      const earlier = pending.get(notice.source);
      pending.set(notice.source, earlier ? mergeNotices(earlier, notice, maxUids) : notice);
      timer ??= setTimeout(flush, windowMs);
    },
    flush,
  };
}

export function mergeNotices(a: ChangeNotice, b: ChangeNotice, maxUids: number): ChangeNotice {
  const merged: ChangeNotice = {
    source: a.source,
    kinds: union(a.kinds, b.kinds, Infinity)!,
    uids: union(a.uids, b.uids, maxUids),
    count: a.count + b.count,
  };
  if (a.ids !== undefined || b.ids !== undefined) merged.ids = union(a.ids ?? null, b.ids ?? null, maxUids);
  return merged;
}

function union(a: string[] | null, b: string[] | null, max: number): string[] | null {
  if (a === null || b === null) return null;
  const all = new Set([...a, ...b]);
  return all.size > max ? null : [...all];
}
