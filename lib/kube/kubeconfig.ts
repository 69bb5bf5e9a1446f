// A kubeconfig for one user and one token, embedding the API's CA so kubectl verifies the server
// without --insecure-skip-tls-verify.
import { stringify } from "yaml";

export function buildKubeconfig(input: { server: string; certificateAuthorityPem: string; username: string; token: string }): string {
  const context = `${input.username}@skylight`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "skylight", cluster: { server: input.server, "certificate-authority-data": Buffer.from(input.certificateAuthorityPem).toString("base64") } }],
    users: [{ name: `${input.username}@skylight`, user: { token: input.token } }],
    contexts: [{ name: context, context: { cluster: "skylight", user: `${input.username}@skylight` } }],
    "current-context": context,
    preferences: {},
  });
}
