"use client";
// A namespace's Permissions tab: the users, groups and service accounts who may use it, each with
// view (read only), edit (VM lifecycle) or owner (edit, and this list). Owners, administrators and
// operators change it; the save sends the resourceVersion the tab was loaded with. Below it, the
// namespace's service accounts, with Create token for those who may.
import { useAction } from "next-safe-action/hooks";
import { PermissionsEditor, saveOutcome, subjectOptions } from "@/components/permissions/permissions-editor";
import { ServiceAccountsSection } from "@/components/namespaces/service-accounts-section";
import { setNamespacePermissions } from "@/lib/actions/namespaces/set-namespace-permissions";
import { NAMESPACE_ROLE_TEXT } from "@/lib/auth/namespace-role-text";
import type { NamespacePermission } from "@/lib/engine/schemas";
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
  const save = useAction(setNamespacePermissions);
  return (
    <section aria-labelledby="permissions-heading" className="max-w-5xl space-y-3 p-6">
      <h2 id="permissions-heading" className="text-base font-semibold">
        Permissions
      </h2>
      <p className="text-sm text-muted-foreground">Administrators and operators can use every namespace. Below: who else may use {namespace}.</p>
      <PermissionsEditor
        objectName={namespace}
        tableLabel="Namespace permissions"
        subjectHeading="User/Group/Service account"
        addLabel="User, group or service account to add"
        addPlaceholder="Add a user, group or service account…"
        emptyText="Only administrators and operators can use this namespace."
        permissions={permissions}
        canManage={canManage}
        options={[...subjectOptions(subjects), ...serviceAccounts.map((name) => ({ key: `ServiceAccount/${name}`, label: `Service account ${name}` }))]}
        roleText={NAMESPACE_ROLE_TEXT}
        save={async (rows) => saveOutcome(await save.executeAsync({ name: namespace, permissions: rows, expectedResourceVersion: resourceVersion }))}
      />
      <div className="pt-4">
        <ServiceAccountsSection namespace={namespace} serviceAccounts={serviceAccounts} canManage={canManage} />
      </div>
    </section>
  );
}
