"use client";
// Administration › Users: every user with role, state and sessions, and the row actions
// Change Role, Reset Password, Disable and Enable.
import { MoreHorizontal } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { ResetPasswordDialog } from "@/components/admin/reset-password-dialog";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuSub,
  DropdownMenuSubContent,
  DropdownMenuSubTrigger,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { setUserDisabled } from "@/lib/actions/users/set-user-disabled";
import { setUserRole } from "@/lib/actions/users/set-user-role";
import { ROLE_LABELS, ROLES, roleSchema } from "@/lib/auth/roles";

export interface UserTableRow {
  id: string;
  username: string;
  name: string;
  role: string;
  disabled: boolean;
  createdAt: string;
  activeSessions: number;
}

export function UsersTable({ users, currentUserId }: { users: UserTableRow[]; currentUserId: string }) {
  const [resetting, setResetting] = useState<UserTableRow | null>(null);
  const [disabling, setDisabling] = useState<UserTableRow | null>(null);
  const notify = (outcome: { serverError?: { message: string } } | undefined, success: string) => {
    if (outcome?.serverError) toast.error(outcome.serverError.message);
    else toast.success(success);
  };
  const roleAction = useAction(setUserRole);
  const disabledAction = useAction(setUserDisabled);

  return (
    <>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Username</TableHead>
              <TableHead>Name</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>State</TableHead>
              <TableHead className="text-right">Active sessions</TableHead>
              <TableHead>Created</TableHead>
              <TableHead className="w-12">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((user) => {
              const role = roleSchema.safeParse(user.role);
              return (
                <TableRow key={user.id} data-username={user.username}>
                  <TableCell className="font-medium">
                    {user.username}
                    {user.id === currentUserId && <span className="ml-2 text-xs text-muted-foreground">(you)</span>}
                  </TableCell>
                  <TableCell>{user.name}</TableCell>
                  <TableCell>{role.success ? ROLE_LABELS[role.data] : user.role}</TableCell>
                  <TableCell>
                    {user.disabled ? <Badge variant="destructive">Disabled</Badge> : <Badge variant="success">Enabled</Badge>}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{user.activeSessions}</TableCell>
                  <TableCell className="text-muted-foreground tabular-nums">{new Date(user.createdAt).toLocaleDateString("en-US")}</TableCell>
                  <TableCell>
                    <DropdownMenu>
                      <DropdownMenuTrigger asChild>
                        <Button variant="ghost" size="icon-sm" aria-label={`Actions for ${user.username}`}>
                          <MoreHorizontal className="size-4" aria-hidden />
                        </Button>
                      </DropdownMenuTrigger>
                      <DropdownMenuContent align="end">
                        <DropdownMenuLabel>{user.username}</DropdownMenuLabel>
                        <DropdownMenuSeparator />
                        <DropdownMenuSub>
                          <DropdownMenuSubTrigger>Change Role</DropdownMenuSubTrigger>
                          <DropdownMenuSubContent>
                            <DropdownMenuRadioGroup
                              value={user.role}
                              onValueChange={async (value) => {
                                const next = roleSchema.parse(value);
                                notify(await roleAction.executeAsync({ userId: user.id, role: next }), `${user.username} is now ${ROLE_LABELS[next]}`);
                              }}
                            >
                              {ROLES.map((option) => (
                                <DropdownMenuRadioItem key={option} value={option}>
                                  {ROLE_LABELS[option]}
                                </DropdownMenuRadioItem>
                              ))}
                            </DropdownMenuRadioGroup>
                          </DropdownMenuSubContent>
                        </DropdownMenuSub>
                        <DropdownMenuItem onSelect={() => setResetting(user)}>Reset Password…</DropdownMenuItem>
                        {user.disabled ? (
                          <DropdownMenuItem
                            onSelect={async () =>
                              notify(await disabledAction.executeAsync({ userId: user.id, disabled: false }), `${user.username} enabled`)
                            }
                          >
                            Enable
                          </DropdownMenuItem>
                        ) : (
                          <DropdownMenuItem className="text-destructive" onSelect={() => setDisabling(user)}>
                            Disable…
                          </DropdownMenuItem>
                        )}
                      </DropdownMenuContent>
                    </DropdownMenu>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </div>
      <ResetPasswordDialog user={resetting} onClose={() => setResetting(null)} />
      <AlertDialog open={disabling !== null} onOpenChange={(open) => !open && setDisabling(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Disable {disabling?.username}?</AlertDialogTitle>
            <AlertDialogDescription>
              They are signed out everywhere at once and cannot sign in until an administrator enables them again.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={async () => {
                if (!disabling) return;
                notify(await disabledAction.executeAsync({ userId: disabling.id, disabled: true }), `${disabling.username} disabled`);
                setDisabling(null);
              }}
            >
              Disable
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
