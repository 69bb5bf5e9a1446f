// Export: downloads every row of a list as its filter and sort show it, as CSV. A plain link to the
// export route, so the browser streams the file to disk however long the list.
import { Download } from "lucide-react";
import { Button } from "@/components/ui/button";
import { formatCount } from "@/components/objects/summary/summary-parts";
import { EXPORT_ROW_CAP } from "@/lib/export/csv";

export function ExportCsvButton({ href, total }: { href: string; total?: number }) {
  const capped = total !== undefined && total > EXPORT_ROW_CAP;
  return (
    <Button asChild variant="outline" size="sm">
      <a
        href={href}
        download
        title={capped ? `Downloads the first ${formatCount(EXPORT_ROW_CAP)} of ${formatCount(total)} rows as CSV` : "Downloads every row of this filter as CSV"}
      >
        <Download aria-hidden />
        Export
      </a>
    </Button>
  );
}
