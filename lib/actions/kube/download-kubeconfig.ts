"use server";
// User menu › Download kubeconfig: a new API token for the signed-in user, in a kubeconfig that
// names the Kubernetes API at the host the console was reached at.
import { headers } from "next/headers";
import { authenticatedAction } from "@/lib/actions/safe-action";
import { createKubeconfig } from "@/lib/users/api-token-admin";

export const downloadKubeconfig = authenticatedAction.action(async ({ ctx }) => {
  const host = (await headers()).get("host") ?? "localhost";
  const hostname = host.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  return createKubeconfig(ctx.user, hostname);
});
