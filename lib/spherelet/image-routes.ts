// The content library as host agents read it, beside the machine routes on the Kubernetes API
// server (lib/spherelet/machine-protocol.ts has the rest of the contract):
//
//   GET /spherelet/v1/images/<name>          → the image's manifest (lib/library/image-manifest.ts)
//   GET /spherelet/v1/images/<name>/<file>   → one file the manifest lists, streamed
//
// Any host's token may read any library image (a VM may be placed on any host); a user's token
// may not, and nothing outside the image's manifest is served, whatever the path says.
import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { forbidden, KubeApiError, methodNotAllowed } from "@/lib/kube/api-status";
import { imageNameSchema } from "@/lib/library/image-manifest";
import { openImageFile, readManifest } from "@/lib/library/library-store";
import type { SphereletHost } from "@/lib/spherelet/host-tokens";
import { IMAGES_PATH_PREFIX } from "@/lib/spherelet/machine-protocol";

export const isImagePath = (path: string) => path.startsWith(IMAGES_PATH_PREFIX);

const notFound = (what: string) => new KubeApiError(404, "NotFound", `${what} is not in the content library`);

/** Answers the manifest, or streams the file itself and answers null (the response is already written). */
export async function serveImageRequest(host: SphereletHost | null, username: string, request: IncomingMessage, response: ServerResponse, path: string): Promise<{ status: number; body: unknown } | null> {
  if (!host) throw forbidden(username, "get", { group: "spherelet.skylight.io", plural: "images", kind: "Image" }, undefined, "only host agents read the content library's files");
  if (request.method !== "GET") throw methodNotAllowed("the content library's images are read-only here");
  const [name, file, ...rest] = path.slice(IMAGES_PATH_PREFIX.length).split("/").map((segment) => decodeURIComponent(segment));
  if (!name || rest.length || !imageNameSchema.safeParse(name).success) throw notFound(`image ${JSON.stringify(name ?? "")}`);
  if (file === undefined) {
    const manifest = await readManifest(name);
    if (!manifest) throw notFound(`image ${name}`);
    return { status: 200, body: manifest };
  }
  const opened = await openImageFile(name, file);
  if (!opened) throw notFound(`file ${JSON.stringify(file)} of image ${name}`);
  response.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(opened.size), "Cache-Control": "no-cache, private" });
  await pipeline(opened.stream, response).catch(() => response.destroy());
  return null;
}
