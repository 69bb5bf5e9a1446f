"use server";
// User menu › Download kubeconfig: a new API token for the signed-in user, in a kubeconfig that
// names the Kubernetes API at the host the console was reached at.
import { authenticatedAction } from "@/lib/actions/safe-action";
import { requestHostname } from "@/lib/http/request-hostname";
import { createKubeconfig } from "@/lib/users/api-token-admin";

export const downloadKubeconfig = authenticatedAction.action(async ({ ctx }) => {
  return createKubeconfig(ctx.user, await requestHostname());
});
