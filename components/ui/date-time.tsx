// A timestamp in the reader's own time zone. The server renders it in its zone first, so the
// browser's re-render may differ: that difference is expected, not a hydration bug.
export function DateTime({ value, className }: { value: string | null | undefined; className?: string }) {
  if (!value) return <span className="text-muted-foreground">—</span>;
  return (
    <time dateTime={value} className={className} suppressHydrationWarning>
      {new Date(value).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium" })}
    </time>
  );
}
