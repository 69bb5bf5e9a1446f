"use client";
// A namespace's service accounts, under its Permissions: the identities its operators run as,
// each given a role above like a user. Owners create a token for one here (`kubectl create token`
// does the same); the accounts themselves are created and deleted with kubectl.
import { useState } from "react";
import { PermissionSubject } from "@/components/namespaces/permission-subject";
import { ServiceAccountTokenDialog } from "@/components/namespaces/service-account-token-dialog";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

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
      <div className="overflow-hidden rounded-lg border border-border bg-surface">
        <Table aria-label="Service accounts">
          <TableHeader>
            <TableRow>
              <TableHead className="px-3">Name</TableHead>
              {canManage && <TableHead className="w-40 px-3"><span className="sr-only">Actions</span></TableHead>}
            </TableRow>
          </TableHeader>
          <TableBody>
            {serviceAccounts.map((name) => (
              <TableRow key={name} className="h-11">
                <TableCell className="px-3">
                  <PermissionSubject kind="ServiceAccount" name={name} />
                </TableCell>
                {canManage && (
                  <TableCell className="px-3 text-right">
                    <Button variant="outline" size="sm" onClick={() => setMinting(name)}>
                      Create Token
                    </Button>
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {minting && <ServiceAccountTokenDialog namespace={namespace} name={minting} onClose={() => setMinting(null)} />}
    </section>
  );
}
