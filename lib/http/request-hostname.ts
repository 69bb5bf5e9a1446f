// The host name the browser reached the console at (the Host header without its port), so what
// the console hands out — a kubeconfig, a host agent's command — names the server as the user
// already reaches it.
import "server-only";
import { headers } from "next/headers";

export async function requestHostname(): Promise<string> {
  const host = (await headers()).get("host") ?? "localhost";
  return host.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
}
