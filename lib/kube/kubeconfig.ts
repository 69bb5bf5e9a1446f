// A kubeconfig for one user and one token, embedding the API's CA so kubectl verifies the server
// without --insecure-skip-tls-verify. Its contexts are laid out as `kubectl vsphere login` writes
// them: one per namespace, named after it and set to it, so a manifest without a namespace lands
// in the context's, and one named after the server with no namespace of its own.
import { stringify } from "yaml";
import { SYSTEM_NAMESPACE } from "@/lib/vocabulary/system-namespace";

export interface KubeconfigInput {
  server: string;
  certificateAuthorityPem: string;
  username: string;
  token: string;
  /** The namespaces to make contexts for, the first current; none (or absent) gives one for `default`. */
  namespaces?: readonly string[];
}

export function buildKubeconfig(input: KubeconfigInput): string {
  const cluster = new URL(input.server).host;
  const user = `${input.username}@${cluster}`;
  const namespaces = input.namespaces?.length ? input.namespaces : [SYSTEM_NAMESPACE];
  const context = (name: string, namespace?: string) => ({ name, context: { cluster, user, ...(namespace ? { namespace } : {}) } });
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: cluster, cluster: { server: input.server, "certificate-authority-data": Buffer.from(input.certificateAuthorityPem).toString("base64") } }],
    users: [{ name: user, user: { token: input.token } }],
    contexts: [
      ...namespaces.map((namespace) => context(namespace, namespace)),
      // A namespace named like the server's host keeps the name.
      ...(namespaces.includes(cluster) ? [] : [context(cluster)]),
    ],
    "current-context": namespaces[0],
    preferences: {},
  });
}
