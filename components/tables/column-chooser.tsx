"use client";
// Show/Hide Columns: which columns of a list this user sees, saved to their preferences so it
// follows them to any browser.
import { Columns3 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuCheckboxItem,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { saveTableColumns } from "@/lib/actions/preferences/save-table-columns";
import { LIST_COLUMNS, type ListName } from "@/lib/inventory/list-definitions";

interface ColumnChooserProps {
  list: ListName;
  visibility: Record<string, boolean>;
  onChange: (visibility: Record<string, boolean>) => void;
}

export function ColumnChooser({ list, visibility, onChange }: ColumnChooserProps) {
  const { execute } = useAction(saveTableColumns, {
    onError: () => toast.error("Your column choice could not be saved; it applies until you leave this page."),
  });
  const choose = (next: Record<string, boolean>) => {
    onChange(next);
    execute({ list, columns: Object.keys(next).filter((id) => next[id] && id !== "name") });
  };
  const defaults = Object.fromEntries(LIST_COLUMNS[list].map((column) => [column.id, column.id === "name" || column.defaultVisible]));
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="outline" size="sm">
          <Columns3 aria-hidden />
          Columns
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-52">
        <DropdownMenuLabel>Show columns</DropdownMenuLabel>
        {LIST_COLUMNS[list]
          .filter((column) => column.id !== "name")
          .map((column) => (
            <DropdownMenuCheckboxItem
              key={column.id}
              checked={visibility[column.id] ?? false}
              onCheckedChange={(checked) => choose({ ...visibility, [column.id]: checked === true })}
              onSelect={(event) => event.preventDefault()}
            >
              {column.label}
            </DropdownMenuCheckboxItem>
          ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => choose(defaults)}>Reset to defaults</DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
