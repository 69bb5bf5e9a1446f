"use client";
// Profile › API tokens: the tokens kubeconfigs carry, when each was made and last used, and
// Revoke (kubectl with that kubeconfig is refused from then on).
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
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
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { revokeApiToken } from "@/lib/actions/kube/revoke-api-token";

export interface ApiTokenRow {
  id: string;
  username: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

export function ApiTokensTable({ tokens, showUser, label }: { tokens: ApiTokenRow[]; showUser: boolean; label: string }) {
  const [revoking, setRevoking] = useState<ApiTokenRow | null>(null);
  const revoke = useAction(revokeApiToken, {
    onSuccess: () => toast.success("Token revoked"),
    onError: ({ error }) => toast.error(error.serverError?.message ?? "The token could not be revoked."),
  });

  if (tokens.length === 0) return <p className="rounded-lg border border-dashed border-border px-4 py-6 text-center text-sm text-muted-foreground">No API tokens.</p>;
  return (
    <>
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label={label}>
          <TableHeader>
            <TableRow>
              {showUser && <TableHead>User</TableHead>}
              <TableHead>Token</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>Last used</TableHead>
              <TableHead className="w-24">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {tokens.map((token) => (
              <TableRow key={token.id}>
                {showUser && <TableCell className="font-medium">{token.username}</TableCell>}
                <TableCell>{token.name}</TableCell>
                <TableCell>
                  <DateTime value={token.createdAt} />
                </TableCell>
                <TableCell>{token.lastUsedAt ? <DateTime value={token.lastUsedAt} /> : <span className="text-muted-foreground">Never</span>}</TableCell>
                <TableCell className="text-right">
                  <Button variant="outline" size="sm" onClick={() => setRevoking(token)}>
                    Revoke
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <AlertDialog open={revoking !== null} onOpenChange={(open) => !open && setRevoking(null)}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Revoke this token?</AlertDialogTitle>
            <AlertDialogDescription>
              kubectl and scripts using the kubeconfig with “{revoking?.name}”{showUser && revoking ? ` (${revoking.username})` : ""} will be refused from now on. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              onClick={() => {
                if (revoking) revoke.execute({ id: revoking.id });
                setRevoking(null);
              }}
            >
              Revoke
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </>
  );
}
