// The Kubernetes API's URL at a host name (IPv6 addresses in brackets) and this installation's API port.
import { readConfig } from "@/lib/config";

export function kubeApiUrl(hostname: string): string {
  return `https://${hostname.includes(":") ? `[${hostname}]` : hostname}:${readConfig().kubePort}`;
}
