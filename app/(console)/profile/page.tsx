import { UserRound } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ApiTokensTable, type ApiTokenRow } from "@/components/profile/api-tokens-table";
import { DownloadKubeconfigButton } from "@/components/profile/download-kubeconfig-button";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import type { ApiTokenSummary } from "@/lib/kube/api-tokens";
import { readApiTokens } from "@/lib/users/api-token-admin";

export const metadata: Metadata = { title: "Profile" };

const rows = (tokens: ApiTokenSummary[]): ApiTokenRow[] =>
  tokens.map((token) => ({ id: token.id, username: token.username, name: token.name, createdAt: token.createdAt.toISOString(), lastUsedAt: token.lastUsedAt?.toISOString() ?? null }));

export default async function ProfilePage() {
  const user = await requireUser();
  const tokens = await readApiTokens(user);
  return (
    <>
      <PageHeader icon={<UserRound className="size-5" />} title={user.name} description={`${user.username} · ${ROLE_LABELS[user.role]}`} actions={<DownloadKubeconfigButton />} />
      <div className="flex max-w-5xl flex-col gap-8 p-6">
        <section aria-labelledby="my-tokens" className="flex flex-col gap-3">
          <div>
            <h2 id="my-tokens" className="text-base font-semibold">API tokens</h2>
            <p className="text-sm text-muted-foreground">
              Each downloaded kubeconfig carries its own token for the Kubernetes API. kubectl acts as you, with your role. Revoke a token you no longer use.
            </p>
          </div>
          <ApiTokensTable tokens={rows(tokens.mine)} showUser={false} label="Your API tokens" />
        </section>
        {tokens.everyone && (
          <section aria-labelledby="all-tokens" className="flex flex-col gap-3">
            <div>
              <h2 id="all-tokens" className="text-base font-semibold">All users’ API tokens</h2>
              <p className="text-sm text-muted-foreground">As an administrator you can revoke anyone’s token.</p>
            </div>
            <ApiTokensTable tokens={rows(tokens.everyone)} showUser label="All users' API tokens" />
          </section>
        )}
      </div>
    </>
  );
}
