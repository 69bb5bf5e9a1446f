"use client";
// A namespace's Permissions tab: the users, groups and service accounts who may use it, each with
// view (read only), edit (VM lifecycle) or owner (edit, and this list). Owners, administrators and
// operators change it; the save sends the resourceVersion the tab was loaded with. Below it, the
// namespace's service accounts, with Create token for those who may.
import { Shield, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { setNamespacePermissions } from "@/lib/actions/namespaces/set-namespace-permissions";
import { PermissionSubject } from "@/components/namespaces/permission-subject";
import { ServiceAccountsSection } from "@/components/namespaces/service-accounts-section";
import { NAMESPACE_ROLE_TEXT } from "@/lib/auth/namespace-role-text";
import { NAMESPACE_ROLES, type NamespacePermission, type NamespaceRole } from "@/lib/engine/schemas";
import type { PermissionSubjects } from "@/lib/inventory/namespace-reads";

export function NamespacePermissionsTab({
  namespace,
  resourceVersion,
  permissions,
  canManage,
  subjects,
  serviceAccounts,
}: {
  namespace: string;
  resourceVersion: string;
  permissions: NamespacePermission[];
  canManage: boolean;
  subjects: PermissionSubjects;
  /** The namespace's own service accounts: the ones its permissions may name. */
  serviceAccounts: string[];
}) {
  const router = useRouter();
  const [rows, setRows] = useState(permissions);
  const [subject, setSubject] = useState("");
  const [error, setError] = useState<string | null>(null);
  const save = useAction(setNamespacePermissions);
  const changed = JSON.stringify(rows) !== JSON.stringify(permissions);
  const taken = new Set(rows.filter((row) => !row.namespace).map((row) => `${row.kind}/${row.name}`));
  const options = [
    ...subjects.groups.map((name) => ({ key: `Group/${name}`, label: `Group ${name}` })),
    ...subjects.users.map((user) => ({ key: `User/${user.username}`, label: `${user.username} (${user.name})` })),
    ...serviceAccounts.map((name) => ({ key: `ServiceAccount/${name}`, label: `Service account ${name}` })),
  ].filter((option) => !taken.has(option.key));

  const submit = async () => {
    setError(null);
    const result = await save.executeAsync({ name: namespace, permissions: rows, expectedResourceVersion: resourceVersion });
    if (result?.serverError) setError(result.serverError.message);
    else if (result?.data?.status === "conflict") setError(result.data.message);
    else if (result?.data) {
      toast.success(`Permissions of ${namespace} saved`);
      router.refresh();
    }
  };

  return (
    <section aria-labelledby="permissions-heading" className="max-w-5xl space-y-3 p-6">
      <h2 id="permissions-heading" className="text-base font-semibold">
        Permissions
      </h2>
      <p className="text-sm text-muted-foreground">Administrators and operators can use every namespace. Below: who else may use {namespace}.</p>
      {error && (
        <Alert variant="destructive">
          <AlertDescription className="flex items-center justify-between gap-3">
            {error}
            <Button variant="outline" size="sm" onClick={() => router.refresh()}>
              Reload
            </Button>
          </AlertDescription>
        </Alert>
      )}
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Namespace permissions">
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">User/Group/Service account</TableHead>
              <TableHead className="px-3">Role</TableHead>
              {canManage && <TableHead className="w-12 px-3"><span className="sr-only">Remove</span></TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={3} className="h-20 text-center text-muted-foreground">
                  Only administrators and operators can use this namespace.
                </TableCell>
              </TableRow>
            )}
            {rows.map((row, index) => (
              <TableRow key={`${row.kind}/${row.namespace ?? ""}/${row.name}`} className="h-11">
                <TableCell className="px-3">
                  <PermissionSubject kind={row.kind} name={row.name} namespace={row.namespace} />
                </TableCell>
                <TableCell className="px-3">
                  {canManage ? (
                    <Select value={row.role} onValueChange={(role) => setRows(rows.map((entry, at) => (at === index ? { ...entry, role: role as NamespaceRole } : entry)))}>
                      <SelectTrigger className="w-44" aria-label={`Role of ${row.name}`}>
                        <SelectValue />
                      </SelectTrigger>
                      <SelectContent>
                        {NAMESPACE_ROLES.map((role) => (
                          <SelectItem key={role} value={role}>
                            {NAMESPACE_ROLE_TEXT[role].label}
                          </SelectItem>
                        ))}
                      </SelectContent>
                    </Select>
                  ) : (
                    <span className="inline-flex items-center gap-2" title={NAMESPACE_ROLE_TEXT[row.role].description}>
                      <Shield className="size-4 text-primary" aria-hidden />
                      {NAMESPACE_ROLE_TEXT[row.role].label}
                    </span>
                  )}
                </TableCell>
                {canManage && (
                  <TableCell className="px-3">
                    <Button variant="ghost" size="icon" aria-label={`Remove ${row.name}`} onClick={() => setRows(rows.filter((_, at) => at !== index))}>
                      <Trash2 aria-hidden />
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {canManage && (
        <div className="flex flex-wrap items-center gap-2">
          <Select value={subject} onValueChange={setSubject}>
            <SelectTrigger className="w-72" aria-label="User, group or service account to add">
              <SelectValue placeholder="Add a user, group or service account…" />
            </SelectTrigger>
            <SelectContent>
              {options.map((option) => (
                <SelectItem key={option.key} value={option.key}>
                  {option.label}
                </SelectItem>
              ))}
            </SelectContent>
          </Select>
          <Button
            variant="outline"
            disabled={!subject}
            onClick={() => {
              const [kind, ...name] = subject.split("/");
              setRows([...rows, { kind: kind as NamespacePermission["kind"], name: name.join("/"), role: "view" }]);
              setSubject("");
            }}
          >
            Add
          </Button>
          <div className="flex-1" />
          <Button variant="outline" disabled={!changed} onClick={() => setRows(permissions)}>
            Discard
          </Button>
          <Button disabled={!changed || save.isPending} onClick={() => void submit()}>
            {save.isPending ? "Saving…" : "Save Permissions"}
          </Button>
        </div>
      )}
      <div className="pt-4">
        <ServiceAccountsSection namespace={namespace} serviceAccounts={serviceAccounts} canManage={canManage} />
      </div>
    </section>
  );
}
