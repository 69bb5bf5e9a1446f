"use client";
// The frame of a Configure section that lists items of a cluster's spec (VM/Host Rules, VM
// Overrides): a heading with Add, a table with Edit and Delete per row, the Add/Edit dialog around
// an item's form, and the delete that asks first and sends the list without the item, with the
// generation the table showed.
import { useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { toast } from "sonner";
import { SettingsAlerts, type SettingsEdit } from "@/components/objects/configure/settings-edit";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import type { ActionError } from "@/lib/actions/safe-action";
import type { SpecChangeOutcome } from "@/lib/actions/spec-change-outcome";
import type { ObjectView } from "@/lib/inventory/object-view";
import { objectKeys } from "@/lib/queries/object-queries";

export interface ListRowView {
  key: string;
  name: string;
  cells: ReactNode;
  actions: ReactNode;
}

export function ClusterListTable({
  title,
  description,
  addLabel,
  columns,
  empty,
  canEdit,
  onAdd,
  rows,
  footer,
}: {
  title: string;
  description: string;
  addLabel: string;
  columns: string[];
  empty: string;
  canEdit: boolean;
  onAdd: () => void;
  rows: ListRowView[];
  footer?: ReactNode;
}) {
  return (
    <section aria-labelledby="configure-heading" className="max-w-5xl space-y-3">
      <div className="flex min-h-8 items-center justify-between gap-4">
        <div>
          <h2 id="configure-heading" className="text-base font-semibold">
            {title}
          </h2>
          <p className="text-sm text-muted-foreground">{description}</p>
        </div>
        {canEdit && (
          <Button variant="outline" size="sm" onClick={onAdd}>
            <Plus aria-hidden /> {addLabel}
          </Button>
        )}
      </div>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label={title}>
          <TableHeader>
            <TableRow>
              {columns.map((column) => (
                <TableHead key={column} className="px-3">
                  {column}
                </TableHead>
              ))}
              {canEdit && (
                <TableHead className="w-24 px-3">
                  <span className="sr-only">Actions</span>
                </TableHead>
              )}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={columns.length + 1} className="h-20 text-center whitespace-normal text-muted-foreground">
                  {empty}
                </TableCell>
              </TableRow>
            )}
            {rows.map((row) => (
              <TableRow key={row.key} aria-label={row.name} className="h-12 align-middle">
                {row.cells}
                {canEdit && (
                  <TableCell className="px-3">
                    <div className="flex gap-1">{row.actions}</div>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {footer}
    </section>
  );
}

type SaveResult = { data?: SpecChangeOutcome; serverError?: ActionError } | undefined;

/** Delete with a confirmation; a conflict or a refusal is a toast, and the table shows the current list. */
export function useListDelete(object: ObjectView, save: (expectedGeneration: number, name: string) => Promise<SaveResult>) {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<VmConfirmation | null>(null);
  const confirmDelete = (name: string, title: string, description: string, success: string) =>
    setPending({
      title,
      description,
      confirm: "Delete",
      run: async () => {
        const result = await save(object.generation, name);
        if (result?.data?.status === "saved") toast.success(success);
        else toast.error(result?.data?.status === "conflict" ? `Changed by someone else: ${result.data.message}` : (result?.serverError?.message ?? "The change could not be saved. Try again."));
        await queryClient.invalidateQueries({ queryKey: objectKeys.view(object.uid) });
      },
    });
  return { confirmDelete, confirmation: <VmConfirmDialog confirmation={pending} onClose={() => setPending(null)} /> };
}

/** The Add/Edit dialog: its form with the stale-edit and server alerts, Cancel and OK. */
export function ClusterListDialog({
  title,
  cluster,
  edit,
  pending,
  onSubmit,
  className,
  children,
}: {
  title: string;
  cluster: string;
  edit: SettingsEdit;
  pending: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  className?: string;
  children: ReactNode;
}) {
  return (
    <Dialog open={edit.editing} onOpenChange={(open) => !open && edit.close()}>
      <DialogContent className={className}>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>Cluster {cluster}</DialogDescription>
        </DialogHeader>
        <form noValidate aria-label={title} className="grid gap-4" onSubmit={onSubmit}>
          <SettingsAlerts edit={edit} />
          {children}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={edit.close}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              {pending ? "Saving…" : "OK"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
