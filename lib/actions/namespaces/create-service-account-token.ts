"use server";
// Namespace › Permissions › Service accounts › Create token: a fresh token for one of the
// namespace's service accounts, in a kubeconfig that names the Kubernetes API at the host the
// console was reached at, shown once. Who may: the namespace's owners, administrators and
// operators, as `kubectl create token` (create on serviceaccounts/token) decides.
import { z } from "zod";
import { authorize } from "@/lib/auth/authorize";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { getPool } from "@/lib/db/pool";
import { requestHostname } from "@/lib/http/request-hostname";
import { kubeApiUrl } from "@/lib/kube/kube-api-url";
import { issueServiceAccountKubeconfig } from "@/lib/kube/service-account-kubeconfig";
import { MAX_TOKEN_SECONDS, MIN_TOKEN_SECONDS } from "@/lib/kube/service-account-tokens";

export const createServiceAccountToken = authenticatedAction
  .inputSchema(z.object({ namespace: z.string().min(1).max(63), name: z.string().min(1).max(253), seconds: z.number().int().min(MIN_TOKEN_SECONDS).max(MAX_TOKEN_SECONDS) }))
  .action(async ({ parsedInput: { namespace, name, seconds }, ctx }) => {
    await authorize(ctx.user, "managePermissions", { kind: "ServiceAccount", namespace, name });
    const issued = await issueServiceAccountKubeconfig(getPool(), { namespace, name }, { server: kubeApiUrl(await requestHostname()), seconds });
    return { token: issued.token, expiresAt: issued.expiresAt.toISOString(), kubeconfig: issued.kubeconfig };
  });
