"use client";
// The footer of a list: "1–50 of 45,000 virtual machines", the selection count, page size, and
// first / previous / page n of m / next / last.
import { ChevronFirst, ChevronLast, ChevronLeft, ChevronRight } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { PAGE_SIZES } from "@/lib/inventory/list-definitions";

interface PaginationBarProps {
  page: number;
  size: number;
  total: number;
  noun: string;
  selected: number;
  onPage: (page: number) => void;
  onSize: (size: number) => void;
}

export function PaginationBar({ page, size, total, noun, selected, onPage, onSize }: PaginationBarProps) {
  const pageCount = Math.max(1, Math.ceil(total / size));
  const first = total === 0 ? 0 : Math.min(total, (page - 1) * size + 1);
  const last = Math.min(total, page * size);
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
      <p className="text-muted-foreground" aria-live="polite">
        {first > 0 ? `${first.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ` : ""}
        {total.toLocaleString("en-US")} {noun}
        {selected > 0 && ` · ${selected} selected`}
      </p>
      <div className="flex items-center gap-2">
        <span className="text-muted-foreground">Rows per page</span>
        <Select value={String(size)} onValueChange={(value) => onSize(Number(value))}>
          <SelectTrigger aria-label="Rows per page" className="w-20">
            <SelectValue />
          </SelectTrigger>
          <SelectContent>
            {PAGE_SIZES.map((option) => (
              <SelectItem key={option} value={String(option)}>
                {option}
              </SelectItem>
            ))}
          </SelectContent>
        </Select>
        <nav aria-label="Pages" className="flex items-center gap-1">
          <Button variant="outline" size="icon-sm" aria-label="First page" disabled={page <= 1} onClick={() => onPage(1)}>
            <ChevronFirst />
          </Button>
          <Button variant="outline" size="icon-sm" aria-label="Previous page" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            <ChevronLeft />
          </Button>
          <PageInput key={page} page={page} pageCount={pageCount} onPage={onPage} />
          <Button variant="outline" size="icon-sm" aria-label="Next page" disabled={page >= pageCount} onClick={() => onPage(page + 1)}>
            <ChevronRight />
          </Button>
          <Button variant="outline" size="icon-sm" aria-label="Last page" disabled={page >= pageCount} onClick={() => onPage(pageCount)}>
            <ChevronLast />
          </Button>
        </nav>
      </div>
    </div>
  );
}

function PageInput({ page, pageCount, onPage }: { page: number; pageCount: number; onPage: (page: number) => void }) {
  const [value, setValue] = useState(String(page));
  const go = () => {
    const next = Math.min(pageCount, Math.max(1, Math.trunc(Number(value)) || 1));
    setValue(String(next));
    if (next !== page) onPage(next);
  };
  return (
    <span className="flex items-center gap-1.5 px-1 text-muted-foreground">
      Page
      <Input
        aria-label="Page number"
        inputMode="numeric"
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onBlur={go}
        onKeyDown={(event) => event.key === "Enter" && go()}
        className="h-7 w-16 text-center tabular-nums"
      />
      of {pageCount.toLocaleString("en-US")}
    </span>
  );
}
