// What an object page looks like while it loads: the header, the tab strip and the Summary's
// cards in their final positions, so nothing moves when the data arrives.
import { Skeleton } from "@/components/ui/skeleton";

export function ObjectHeaderSkeleton() {
  return (
    <div className="border-b border-border bg-surface">
      <div className="flex items-center gap-3 px-6 pt-4 pb-3">
        <Skeleton className="size-9" />
        <div className="space-y-2">
          <Skeleton className="h-5 w-56" />
          <Skeleton className="h-4 w-72" />
        </div>
      </div>
      <div className="flex gap-4 px-7 pb-3">
        {Array.from({ length: 7 }, (_, index) => (
          <Skeleton key={index} className="h-4 w-16" />
        ))}
      </div>
    </div>
  );
}

export function TabContentSkeleton() {
  return (
    <div role="status" aria-label="Loading" className="grid gap-4 p-6 xl:grid-cols-2">
      {Array.from({ length: 2 }, (_, card) => (
        <div key={card} className="space-y-3 rounded-lg border border-border bg-surface p-6">
          <Skeleton className="h-4 w-40" />
          {Array.from({ length: 6 }, (_, row) => (
            <Skeleton key={row} className="h-4 w-full" />
          ))}
        </div>
      ))}
    </div>
  );
}
