"use client";
// The list of who holds which role (view, edit, owner) on a namespace or a folder, editable by
// whoever may change it: a role per row, Remove, Add a user or group, Discard, and Save, which the
// owner of the list sends with the version the tab opened with. A refusal or a stale save shows
// above the table with Reload.
import { Shield, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { Alert, AlertDescription } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { PermissionSubject } from "@/components/namespaces/permission-subject";
import { NAMESPACE_ROLES, type NamespacePermission, type NamespaceRole } from "@/lib/engine/schemas";
import type { PermissionSubjects } from "@/lib/inventory/namespace-reads";

export type RoleText = Record<NamespaceRole, { label: string; description: string }>;

export interface SubjectOption {
  /** "<kind>/<name>", as a row's kind and name. */
  key: string;
  label: string;
}

/** The groups, then the users, a permission may name. */
export const subjectOptions = (subjects: PermissionSubjects): SubjectOption[] => [
  ...subjects.groups.map((name) => ({ key: `Group/${name}`, label: `Group ${name}` })),
  ...subjects.users.map((user) => ({ key: `User/${user.username}`, label: `${user.username} (${user.name})` })),
];

/** What a save's outcome tells the editor: null when saved, else the words to show. */
export type SaveOutcome = string | null;

export function PermissionsEditor<P extends NamespacePermission>({
  objectName,
  tableLabel,
  subjectHeading,
  addLabel,
  addPlaceholder,
  emptyText,
  permissions,
  canManage,
  options,
  roleText,
  save,
}: {
  objectName: string;
  tableLabel: string;
  subjectHeading: string;
  /** The add picker's accessible name and placeholder. */
  addLabel: string;
  addPlaceholder: string;
  emptyText: ReactNode;
  permissions: P[];
  canManage: boolean;
  options: SubjectOption[];
  roleText: RoleText;
  save: (permissions: P[]) => Promise<SaveOutcome>;
}) {
  const router = useRouter();
  const [rows, setRows] = useState(permissions);
  const [subject, setSubject] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const changed = JSON.stringify(rows) !== JSON.stringify(permissions);
  const taken = new Set(rows.filter((row) => !row.namespace).map((row) => `${row.kind}/${row.name}`));
  const addable = options.filter((option) => !taken.has(option.key));

  const submit = async () => {
    setError(null);
    setSaving(true);
    const outcome = await save(rows).finally(() => setSaving(false));
    if (outcome !== null) setError(outcome);
    else {
      toast.success(`Permissions of ${objectName} saved`);
      router.refresh();
    }
  };

  return (
    <>
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
        <Table aria-label={tableLabel}>
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">{subjectHeading}</TableHead>
              <TableHead className="px-3">Role</TableHead>
              {canManage && <TableHead className="w-12 px-3"><span className="sr-only">Remove</span></TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.length === 0 && (
              <TableRow className="hover:bg-transparent">
                <TableCell colSpan={3} className="h-20 text-center text-muted-foreground">
                  {emptyText}
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
                    <span className="flex items-center gap-3">
                      <Select value={row.role} onValueChange={(role) => setRows(rows.map((entry, at) => (at === index ? { ...entry, role: role as NamespaceRole } : entry)))}>
                        <SelectTrigger className="w-44" aria-label={`Role of ${row.name}`}>
                          <SelectValue />
                        </SelectTrigger>
                        <SelectContent>
                          {NAMESPACE_ROLES.map((role) => (
                            <SelectItem key={role} value={role}>
                              {roleText[role].label}
                            </SelectItem>
                          ))}
                        </SelectContent>
                      </Select>
                      <span className="text-xs text-muted-foreground">{roleText[row.role].description}</span>
                    </span>
                  ) : (
                    <span className="inline-flex items-center gap-2" title={roleText[row.role].description}>
                      <Shield className="size-4 text-primary" aria-hidden />
                      {roleText[row.role].label}
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
            <SelectTrigger className="w-72" aria-label={addLabel}>
              <SelectValue placeholder={addPlaceholder} />
            </SelectTrigger>
            <SelectContent>
              {addable.map((option) => (
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
              setRows([...rows, { kind, name: name.join("/"), role: "view" } as P]);
              setSubject("");
            }}
          >
            Add
          </Button>
          <div className="flex-1" />
          <Button variant="outline" disabled={!changed} onClick={() => setRows(permissions)}>
            Discard
          </Button>
          <Button disabled={!changed || saving} onClick={() => void submit()}>
            {saving ? "Saving…" : "Save Permissions"}
          </Button>
        </div>
      )}
    </>
  );
}

/** A permissions save action's result as the editor shows it. */
export function saveOutcome(result: { serverError?: { message: string }; data?: { status: string; message?: string } } | undefined): SaveOutcome {
  if (result?.serverError) return result.serverError.message;
  if (result?.data?.status === "conflict") return result.data.message ?? "Changed by someone else.";
  return result?.data ? null : "The permissions were not saved.";
}
