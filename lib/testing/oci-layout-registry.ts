// A RegistryGet (lib/spherelet/agent/pod-images.ts) that answers the OCI Distribution API's
// manifest and blob GETs from OCI image layout directories, by repository: how the pod runtime's
// tests pull the busybox image without Skylight's registry (the one stand-in those tests use).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { RegistryGet } from "@/lib/spherelet/agent/pod-images";

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function layoutRegistry(layouts: Record<string, string>): RegistryGet {
  return async (urlPath, accept) => {
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(urlPath);
    const layout = match && layouts[match[1]!];
    const none = { status: 404, contentType: "", body: (async function* () {})() };
    if (!match || !layout) return none;
    let reference = decodeURIComponent(match[3]!);
    if (match[2] === "manifests" && !DIGEST.test(reference)) {
      const index = JSON.parse(await readFile(path.join(layout, "index.json"), "utf8")) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
      const tagged = index.manifests.find((entry) => entry.annotations?.["org.opencontainers.image.ref.name"] === reference);
      if (!tagged) return none;
      reference = tagged.digest;
    }
    const file = path.join(layout, "blobs", "sha256", reference.slice("sha256:".length));
    if (!DIGEST.test(reference) || !existsSync(file)) return none;
    return { status: 200, contentType: match[2] === "manifests" ? accept.split(",")[0]! : "application/octet-stream", body: (async function* () {
      yield await readFile(file);
    })() };
  };
}
