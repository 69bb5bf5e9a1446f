"use client";
// Administration › Groups: each group with its members, New Group, Edit Members and Delete.
import { zodResolver } from "@hookform/resolvers/zod";
import { Pencil, Plus, Trash2 } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import type { z } from "zod";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CheckboxList } from "@/components/ui/checkbox-list";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { VmConfirmDialog, type VmConfirmation } from "@/components/vms/vm-confirm-dialog";
import { createGroup } from "@/lib/actions/groups/create-group";
import { deleteGroup } from "@/lib/actions/groups/delete-group";
import { setGroupMembers } from "@/lib/actions/groups/set-group-members";
import { createGroupInputSchema, type GroupRow } from "@/lib/users/group-schemas";

type User = { username: string; name: string };

export function GroupsTable({ groups, users }: { groups: GroupRow[]; users: User[] }) {
  const [editing, setEditing] = useState<GroupRow | null>(null);
  const [confirmation, setConfirmation] = useState<VmConfirmation | null>(null);
  const remove = useAction(deleteGroup);
  return (
    <>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Groups">
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">Group</TableHead>
              <TableHead className="px-3">Description</TableHead>
              <TableHead className="px-3">Members</TableHead>
              <TableHead className="w-24 px-3">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {groups.length === 0 && (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={4} className="h-20 text-center text-muted-foreground">
                  No groups yet.
                </TableCell>
              </TableRow>
            )}
            {groups.map((group) => (
              <TableRow key={group.id} className="h-12">
                <TableCell className="px-3 font-medium">{group.name}</TableCell>
                <TableCell className="px-3 text-muted-foreground">{group.description || "—"}</TableCell>
                <TableCell className="px-3">
                  <div className="flex flex-wrap gap-1">
                    {group.members.length === 0 && <span className="text-muted-foreground">No members</span>}
                    {group.members.map((member) => (
                      <Badge key={member.username} variant="secondary" title={member.name}>
                        {member.username}
                      </Badge>
                    ))}
                  </div>
                </TableCell>
                <TableCell className="px-3">
                  <div className="flex gap-1">
                    <Button variant="ghost" size="icon" aria-label={`Edit members of ${group.name}`} onClick={() => setEditing(group)}>
                      <Pencil aria-hidden />
                    </Button>
                    <Button
                      variant="ghost"
                      size="icon"
                      aria-label={`Delete group ${group.name}`}
                      onClick={() =>
                        setConfirmation({
                          title: `Delete group ${group.name}?`,
                          description: "Its members lose what the group gave them: namespace permissions naming it and self-service templates listing it.",
                          confirm: "Delete Group",
                          run: async () => {
                            const result = await remove.executeAsync({ groupId: group.id });
                            if (result?.serverError) toast.error(result.serverError.message);
                            else toast.success(`Group ${group.name} deleted`);
                          },
                        })
                      }
                    >
                      <Trash2 aria-hidden />
                    </Button>
                  </div>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {editing && <MembersDialog key={editing.id} group={editing} users={users} onClose={() => setEditing(null)} />}
      <VmConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
    </>
  );
}

function MembersDialog({ group, users, onClose }: { group: GroupRow; users: User[]; onClose: () => void }) {
  const [members, setMembers] = useState(group.members.map((member) => member.username));
  const { executeAsync, isPending, result } = useAction(setGroupMembers);
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Members of {group.name}</DialogTitle>
          <DialogDescription>Members get what the group is given, from their next request on.</DialogDescription>
        </DialogHeader>
        {result.serverError && (
          <Alert variant="destructive">
            <AlertDescription>{result.serverError.message}</AlertDescription>
          </Alert>
        )}
        <CheckboxList
          label="Members"
          className="max-h-72"
          options={users.map((user) => ({ value: user.username, label: <><span className="font-medium">{user.username}</span> <span className="text-muted-foreground">({user.name})</span></> }))}
          value={members}
          onChange={setMembers}
        />
        <DialogFooter>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={isPending}
            onClick={async () => {
              const outcome = await executeAsync({ groupId: group.id, usernames: members });
              if (!outcome?.serverError && !outcome?.validationErrors) {
                toast.success(`Members of ${group.name} saved`);
                onClose();
              }
            }}
          >
            {isPending ? "Saving…" : "Save Members"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

type GroupValues = z.input<typeof createGroupInputSchema>;

export function CreateGroupDialog() {
  const [open, setOpen] = useState(false);
  const form = useForm<GroupValues>({ resolver: zodResolver(createGroupInputSchema), defaultValues: { name: "", description: "" } });
  const { executeAsync, isPending, result, reset } = useAction(createGroup);
  const errors = form.formState.errors;
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          form.reset();
          reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm">
          <Plus aria-hidden /> New Group
        </Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New Group</DialogTitle>
          <DialogDescription>Add members after creating it.</DialogDescription>
        </DialogHeader>
        <form
          id="create-group-form"
          noValidate
          className="space-y-4"
          onSubmit={form.handleSubmit(async (values) => {
            const outcome = await executeAsync(values);
            if (outcome?.serverError?.field === "name") return form.setError("name", { message: outcome.serverError.message });
            if (!outcome?.serverError && !outcome?.validationErrors) {
              toast.success(`Group ${values.name} created`);
              setOpen(false);
              form.reset();
            }
          })}
        >
          {result.serverError && result.serverError.field !== "name" && (
            <Alert variant="destructive">
              <AlertDescription>{result.serverError.message}</AlertDescription>
            </Alert>
          )}
          <FormField label="Name" htmlFor="group-name" error={errors.name?.message} description="Lowercase letters, digits and '-'.">
            <Input id="group-name" autoComplete="off" {...form.register("name")} />
          </FormField>
          <FormField label="Description" htmlFor="group-description" error={errors.description?.message}>
            <Input id="group-description" autoComplete="off" {...form.register("description")} />
          </FormField>
        </form>
        <DialogFooter>
          <Button variant="outline" type="button" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button type="submit" form="create-group-form" disabled={isPending}>
            {isPending ? "Creating…" : "Create Group"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
