"use client";
// New Folder (a VM or a host folder, in a datacenter or a folder of its type) and Folder › Rename:
// one name, checked by the same rule the engine applies (lib/inventory/folder-rules.ts). Rename
// sends the version it opened with.
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { FolderWriteAlert, problemOf, type FolderWriteProblem } from "@/components/folders/folder-write-alert";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { createFolder } from "@/lib/actions/folders/create-folder";
import { renameFolder } from "@/lib/actions/folders/rename-folder";
import { FOLDER_NAME_MAX, folderNameSchema, type FolderType } from "@/lib/inventory/folder-rules";
import { objectKeys } from "@/lib/queries/object-queries";

/** What New Folder says it makes, and how things get into it. */
const CREATE_DESCRIPTIONS: Record<FolderType, (where: string) => string> = {
  vm: (where) => `A VM folder in ${where}. Move VMs into it from their Actions, the VM list or by dragging them onto it in the navigator.`,
  host: (where) => `A host and cluster folder in ${where}. Move clusters into it from their Actions or by dragging them onto it in the Hosts and Clusters view.`,
};

const formSchema = z.object({ name: folderNameSchema });
type FolderNameForm = z.infer<typeof formSchema>;

export type FolderNaming =
  | { mode: "create"; datacenter: string; parent: string | null; type: FolderType }
  | { mode: "rename"; uid: string; name: string; resourceVersion: string };

export function FolderNameDialog({ naming, open, onOpenChange }: { naming: FolderNaming; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-md">{open && <FolderNameForm naming={naming} onDone={() => onOpenChange(false)} />}</DialogContent>
    </Dialog>
  );
}

function FolderNameForm({ naming, onDone }: { naming: FolderNaming; onDone: () => void }) {
  const queryClient = useQueryClient();
  const create = useAction(createFolder);
  const rename = useAction(renameFolder);
  const [problem, setProblem] = useState<FolderWriteProblem | null>(null);
  const form = useForm<FolderNameForm>({ resolver: zodResolver(formSchema), defaultValues: { name: naming.mode === "rename" ? naming.name : "" } });
  const creating = naming.mode === "create";
  const where = creating ? (naming.parent ?? naming.datacenter) : naming.name;

  const submit = form.handleSubmit(async ({ name }) => {
    setProblem(null);
    if (naming.mode === "create") {
      const result = await create.executeAsync({ name, datacenter: naming.datacenter, parent: naming.parent, type: naming.type });
      if (result?.data) {
        toast.success(`${naming.type === "host" ? "Host" : "VM"} folder ${name} created in ${where}`);
        return onDone();
      }
      if (result?.serverError?.field === "name") form.setError("name", { type: "server", message: result.serverError.message });
      else setProblem({ refusal: result?.serverError?.message ?? "The folder could not be created. Try again." });
      return;
    }
    const result = await rename.executeAsync({ name: naming.name, newName: name, expectedResourceVersion: naming.resourceVersion });
    const found = problemOf(result);
    if (!found) {
      toast.success(`Folder ${naming.name} renamed to ${name}`);
      await queryClient.invalidateQueries({ queryKey: objectKeys.view(naming.uid) });
      return onDone();
    }
    if (result?.serverError && "field" in result.serverError && result.serverError.field === "newName") form.setError("name", { type: "server", message: result.serverError.message });
    else setProblem(found);
  });

  return (
    <>
      <DialogHeader>
        <DialogTitle>{creating ? "New Folder" : `Rename Folder — ${naming.name}`}</DialogTitle>
        <DialogDescription>
          {naming.mode === "create" ? CREATE_DESCRIPTIONS[naming.type](where) : "The folder keeps what it holds and its subfolders."}
        </DialogDescription>
      </DialogHeader>
      <form id="folder-name-form" aria-label={creating ? "New Folder" : "Rename Folder"} noValidate className="space-y-4" onSubmit={submit}>
        <FolderWriteAlert problem={problem} onReload={() => void queryClient.invalidateQueries({ queryKey: objectKeys.all }).then(onDone)} />
        <FormField label="Folder name" htmlFor="folder-name" error={form.formState.errors.name?.message} description={`Up to ${FOLDER_NAME_MAX} characters, without / \\ or %; unique in the inventory.`}>
          <Input id="folder-name" autoFocus autoComplete="off" spellCheck={false} {...form.register("name")} />
        </FormField>
      </form>
      <DialogFooter>
        <Button variant="outline" type="button" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" form="folder-name-form" disabled={create.isPending || rename.isPending || (problem !== null && "conflict" in problem)}>
          {creating ? (create.isPending ? "Creating…" : "Create") : rename.isPending ? "Renaming…" : "Rename"}
        </Button>
      </DialogFooter>
    </>
  );
}
