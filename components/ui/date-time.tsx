// A timestamp in the reader's own time zone. The server renders it in its zone first, so the
// browser's re-render may differ: that difference is expected, not a hydration bug.
const FULL: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "medium" };
// For tables of many columns: the year goes, the whole timestamp stays in the tooltip.
const COMPACT: Intl.DateTimeFormatOptions = { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit" };

export function DateTime({ value, className, compact = false }: { value: string | null | undefined; className?: string; compact?: boolean }) {
  if (!value) return <span className="text-muted-foreground">—</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} className={className} title={compact ? date.toLocaleString("en-US", FULL) : undefined} suppressHydrationWarning>
      {date.toLocaleString("en-US", compact ? COMPACT : FULL)}
    </time>
  );
}
