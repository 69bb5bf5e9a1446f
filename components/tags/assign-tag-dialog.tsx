"use client";
// Assign Tag: pick one tag, from the categories that apply to the objects' type, for one object
// (its Summary) or a list's selection (one call for all of them). A One-tag category replaces the
// objects' tag of that category, and the dialog says so before it does.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Check } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Command, CommandEmpty, CommandGroup, CommandInput, CommandItem, CommandList } from "@/components/ui/command";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { assignTag } from "@/lib/actions/tags/assign-tag";
import { CARDINALITY_LABELS } from "@/lib/actions/tags/tag-schemas";
import type { TagCategoryView } from "@/lib/inventory/tag-reads";
import { tagCatalogQuery } from "@/lib/queries/tag-queries";
import { cn } from "@/lib/utils";

const appliesTo = (category: TagCategoryView, kind: string) => category.objectKinds.length === 0 || (category.objectKinds as string[]).includes(kind);

export interface AssignTagDialogProps {
  uids: string[];
  kind: string;
  /** What the tag goes on, as the dialog's title names it: "web-01" or "3 VMs". */
  subject: string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onAssigned?: () => void;
}

export function AssignTagDialog({ uids, kind, subject, open, onOpenChange, onAssigned }: AssignTagDialogProps) {
  const queryClient = useQueryClient();
  const { data: catalog } = useQuery({ ...tagCatalogQuery(), enabled: open });
  const [chosen, setChosen] = useState<string | null>(null);
  const { executeAsync, isPending, result, reset } = useAction(assignTag);
  const categories = (catalog?.categories ?? []).filter((category) => appliesTo(category, kind) && category.tags.length > 0);
  const category = categories.find((candidate) => candidate.tags.some((tag) => tag.id === chosen));
  const tag = category?.tags.find((candidate) => candidate.id === chosen);

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) {
      setChosen(null);
      reset();
    }
  };

  const assign = async () => {
    if (!tag || !category) return;
    const outcome = await executeAsync({ tagId: tag.id, uids });
    if (!outcome?.data) return;
    const { assigned, unchanged, notFound } = outcome.data;
    const notes = [unchanged > 0 && `${unchanged} already had it.`, notFound > 0 && `${notFound} no longer exist.`].filter(Boolean).join(" ");
    toast.success(`Assigned tag '${category.name}: ${tag.name}' to ${uids.length === 1 ? subject : `${assigned} of ${subject}`}.${notes ? ` ${notes}` : ""}`);
    await Promise.all([queryClient.invalidateQueries({ queryKey: ["objects"] }), queryClient.invalidateQueries({ queryKey: ["lists"] }), queryClient.invalidateQueries({ queryKey: ["tags"] })]);
    onAssigned?.();
    close(false);
  };

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Assign Tag to {subject}</DialogTitle>
          <DialogDescription>Tags of the categories that apply to this object type. A category that allows one tag per object replaces the tag it had.</DialogDescription>
        </DialogHeader>
        {result.serverError && (
          <Alert variant="destructive">
            <AlertDescription>{result.serverError.message}</AlertDescription>
          </Alert>
        )}
        <Command className="rounded-md border border-border" label="Tags">
          <CommandInput placeholder="Filter tags…" aria-label="Filter tags" />
          <CommandList className="max-h-72">
            <CommandEmpty>{catalog ? "No tags apply to this object type. Administrators create them in Administration › Tags & Custom Attributes." : "Loading tags…"}</CommandEmpty>
            {categories.map((group) => (
              <CommandGroup key={group.id} heading={`${group.name} · ${CARDINALITY_LABELS[group.cardinality]}`}>
                {group.tags.map((candidate) => (
                  <CommandItem key={candidate.id} value={`${group.name} ${candidate.name} ${candidate.id}`} onSelect={() => setChosen(candidate.id)} aria-selected={chosen === candidate.id}>
                    <Check aria-hidden className={cn("size-4", chosen === candidate.id ? "opacity-100" : "opacity-0")} />
                    <span className="font-medium">{candidate.name}</span>
                    {candidate.description && <span className="truncate text-muted-foreground">{candidate.description}</span>}
                  </CommandItem>
                ))}
              </CommandGroup>
            ))}
          </CommandList>
        </Command>
        <p className="min-h-5 text-sm text-muted-foreground" aria-live="polite">
          {tag && category ? `${category.name}: ${tag.name}${category.cardinality === "single" ? " replaces any other tag of this category." : ""}` : "Choose a tag."}
        </p>
        <DialogFooter>
          <Button variant="outline" onClick={() => close(false)}>
            Cancel
          </Button>
          <Button disabled={!tag || isPending} onClick={() => void assign()}>
            {uids.length === 1 ? "Assign" : `Assign to ${subject}`}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
