"use client";
// A namespace's service accounts, under its Permissions: the identities its operators run as,
// each given a role above like a user. Owners create a token for one here (`kubectl create token`
// does the same); the accounts themselves are created and deleted with kubectl.
import { useState } from "react";
import { PermissionSubject } from "@/components/namespaces/permission-subject";
import { ServiceAccountTokenDialog } from "@/components/namespaces/service-account-token-dialog";
import { Button } from "@/components/ui/button";

export function ServiceAccountsSection({ namespace, serviceAccounts, canManage }: { namespace: string; serviceAccounts: string[]; canManage: boolean }) {
  const [minting, setMinting] = useState<string | null>(null);
  return (
    <section aria-labelledby="service-accounts-heading" className="space-y-3">
      <h2 id="service-accounts-heading" className="text-base font-semibold">
        Service Accounts
      </h2>
      <p className="text-sm text-muted-foreground">
        Identities for operators and scripts: <code>kubectl create serviceaccount NAME -n {namespace}</code> adds one; give it a role above.
      </p>
      <ul aria-label="Service accounts" className="divide-y divide-border overflow-hidden rounded-lg border border-border bg-surface">
        {serviceAccounts.map((name) => (
          <li key={name} className="flex h-11 items-center justify-between px-3">
            <PermissionSubject kind="ServiceAccount" name={name} />
            {canManage && (
              <Button variant="outline" size="sm" aria-label={`Create token for ${name}`} onClick={() => setMinting(name)}>
                Create Token
              </Button>
            )}
          </li>
        ))}
      </ul>
      {minting && <ServiceAccountTokenDialog namespace={namespace} name={minting} onClose={() => setMinting(null)} />}
    </section>
  );
}
