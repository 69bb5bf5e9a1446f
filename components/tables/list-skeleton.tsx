// An inventory list while its first page loads: toolbar, header and rows at their final size.
import { Skeleton } from "@/components/ui/skeleton";

export function ListSkeleton() {
  return (
    <div role="status" aria-label="Loading" className="space-y-3">
      <div className="flex gap-2">
        <Skeleton className="h-8 w-80" />
        <Skeleton className="h-8 w-40" />
      </div>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        {Array.from({ length: 12 }, (_, row) => (
          <div key={row} className="flex gap-6 border-b border-border px-3 py-3 last:border-0">
            <Skeleton className="h-4 w-32" />
            <Skeleton className="h-4 w-24" />
            <Skeleton className="h-4 w-36" />
            <Skeleton className="h-4 w-28" />
            <Skeleton className="h-4 flex-1" />
          </div>
        ))}
      </div>
    </div>
  );
}
