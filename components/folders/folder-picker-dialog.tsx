"use client";
// Move To… (a folder) and Move To Folder… (VMs): the datacenter itself and its folders as a tree
// of choices, indented by depth. The dialog's owner says what choosing means and reports problems.
import { useState, type ReactNode } from "react";
import { Building2, Folder, FolderKanban } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import type { FolderChoice } from "@/lib/inventory/folder-reads";
import { cn } from "@/lib/utils";

export interface FolderPickerProps {
  title: string;
  description: string;
  /** What the top choice means: the datacenter (a folder's Move To), or no folder, back under the VMs' namespace. */
  top: { label: string; place: "datacenter" | "namespace" };
  folders: FolderChoice[];
  /** The choice already in effect, shown but not offered: a folder's name, null for the top, absent when none is (a mixed selection). */
  current?: string | null;
  confirm: string;
  pending: boolean;
  /** Above the choices: a problem with the last attempt. */
  alert?: ReactNode;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onChoose: (folder: string | null) => void;
}

export function FolderPickerDialog(props: FolderPickerProps) {
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-lg">{props.open && <FolderPicker {...props} />}</DialogContent>
    </Dialog>
  );
}

function FolderPicker({ title, description, top, folders, current, confirm, pending, alert, onOpenChange, onChoose }: FolderPickerProps) {
  const [chosen, setChosen] = useState<string | null | undefined>(undefined);
  const choices = [{ value: null, label: top.label, depth: 0 }, ...folders.map((folder) => ({ value: folder.name, label: folder.name, depth: folder.lineage.length, path: folder.path }))];
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      {alert}
      <div role="radiogroup" aria-label="Destination" className="max-h-72 overflow-y-auto rounded-md border p-1">
        {choices.map((choice) => {
          const here = current !== undefined && choice.value === current;
          const Icon = choice.value !== null ? Folder : top.place === "datacenter" ? Building2 : FolderKanban;
          return (
            <label
              key={choice.value ?? ""}
              title={"path" in choice ? choice.path : choice.label}
              className={cn("flex h-8 cursor-pointer items-center gap-2 rounded-sm pr-2 text-sm hover:bg-muted", chosen === choice.value && "bg-accent font-medium", here && "cursor-default text-muted-foreground hover:bg-transparent")}
              style={{ paddingLeft: `${8 + choice.depth * 16}px` }}
            >
              <input type="radio" name="destination" className="size-3.5 accent-primary" disabled={here} checked={chosen === choice.value} onChange={() => setChosen(choice.value)} />
              <Icon aria-hidden className="size-4 shrink-0 text-muted-foreground" />
              <span className="truncate">{choice.label}</span>
              {here && <span className="ml-auto shrink-0 text-xs">(current)</span>}
            </label>
          );
        })}
      </div>
      <DialogFooter>
        <Button variant="outline" type="button" onClick={() => onOpenChange(false)}>
          Cancel
        </Button>
        <Button type="button" disabled={pending || chosen === undefined} onClick={() => chosen !== undefined && onChoose(chosen)}>
          {pending ? "Moving…" : confirm}
        </Button>
      </DialogFooter>
    </>
  );
}
