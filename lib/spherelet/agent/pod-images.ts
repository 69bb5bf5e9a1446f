// The images an agent's pods run: pulled over the OCI Distribution API
// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests) from
// Skylight's registry, checked against their digests and kept in an OCI image layout under the
// agent's run directory (`<runDir>/images`), one blob per digest, so pods sharing an image or a
// layer fetch it once. A container's rootfs is unpacked from there by umoci, which applies the
// layers' whiteouts as the image spec says.
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { writeHashed } from "@/lib/library/hashed-write";
import type { ImageProcessConfig } from "@/lib/spherelet/agent/oci-config";
import type { HostPodContainer } from "@/lib/spherelet/pod-protocol";

const run = promisify(execFile);

const MANIFEST_TYPES = {
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerList: "application/vnd.docker.distribution.manifest.list.v2+json",
};
const ACCEPT = Object.values(MANIFEST_TYPES).join(", ");
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const DIGEST = /^sha256:([a-f0-9]{64})$/;

/** One GET from the registry: the status, the content type and the body as a stream. */
export type RegistryGet = (path: string, accept: string) => Promise<{ status: number; contentType: string; body: AsyncIterable<Uint8Array> }>;

export interface PulledImage {
  /** The manifest's digest, kube's imageID. */
  digest: string;
  config: ImageProcessConfig;
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: { architecture?: string; os?: string };
}

/** A pull that failed, with what kube shows as the container's waiting message. */
export class ImagePullError extends Error {}

export class PodImages {
  private readonly pulls = new Map<string, Promise<PulledImage>>();
  private indexWrites: Promise<unknown> = Promise.resolve();

  constructor(
    /** An OCI image layout: blobs/sha256/<hex>, index.json naming each pulled manifest by its hex. */
    private readonly layout: string,
    private readonly get: RegistryGet,
  ) {}

  /** Pulls the image unless its blobs are all here; pods asking for one image at once share one pull. */
  pull(image: HostPodContainer["pull"]): Promise<PulledImage> {
    const key = `${image.repository}@${image.reference}`;
    let pulling = this.pulls.get(key);
    if (!pulling) {
      pulling = this.fetch(image).finally(() => this.pulls.delete(key));
      this.pulls.set(key, pulling);
    }
    return pulling;
  }

  /** Unpacks the pulled image into `rootfs`, replacing what is there. */
  async unpack(digest: string, rootfs: string): Promise<void> {
    await rm(rootfs, { recursive: true, force: true });
    await run("umoci", ["raw", "unpack", "--image", `${this.layout}:${digest.slice("sha256:".length)}`, rootfs]);
  }

  private async fetch({ repository, reference }: HostPodContainer["pull"]): Promise<PulledImage> {
    await mkdir(path.join(this.layout, "blobs", "sha256"), { recursive: true });
    if (!existsSync(path.join(this.layout, "oci-layout"))) await writeFile(path.join(this.layout, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    let manifest = await this.manifest(repository, reference);
    if (manifest.json.mediaType === MANIFEST_TYPES.ociIndex || manifest.json.mediaType === MANIFEST_TYPES.dockerList || Array.isArray(manifest.json.manifests)) {
      const chosen = (manifest.json.manifests as Descriptor[]).find((entry) => entry.platform?.os === "linux" && entry.platform.architecture === "amd64");
      if (!chosen) throw new ImagePullError(`${repository}:${reference} has no image for linux/amd64`);
      manifest = await this.manifest(repository, chosen.digest);
    }
    const config = manifest.json.config as Descriptor | undefined;
    const layers = manifest.json.layers as Descriptor[] | undefined;
    if (!config || !Array.isArray(layers)) throw new ImagePullError(`${repository}:${reference}: the registry's manifest names no config or layers`);
    for (const blob of [config, ...layers]) await this.blob(repository, blob);
    const manifestHex = await this.store(manifest.bytes);
    const digest = `sha256:${manifestHex}`;
    const imageConfig = JSON.parse(await readFile(this.blobFile(config.digest), "utf8")) as { config?: ImageProcessConfig };
    await this.tag(digest, manifest.bytes.length, (manifest.json.mediaType as string | undefined) ?? MANIFEST_TYPES.ociManifest);
    return { digest, config: imageConfig.config ?? {} };
  }

  private async manifest(repository: string, reference: string): Promise<{ bytes: Buffer; json: Record<string, unknown> }> {
    const response = await this.request(`/v2/${repository}/manifests/${encodeURIComponent(reference)}`, ACCEPT, `${repository}:${reference}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response) {
      size += chunk.length;
      if (size > MAX_MANIFEST_BYTES) throw new ImagePullError(`${repository}:${reference}: the manifest is larger than ${MAX_MANIFEST_BYTES} bytes`);
      chunks.push(Buffer.from(chunk));
    }
    const bytes = Buffer.concat(chunks);
    const expected = DIGEST.exec(reference)?.[1];
    if (expected && createHash("sha256").update(bytes).digest("hex") !== expected) throw new ImagePullError(`${repository}@${reference}: the manifest does not match its digest`);
    try {
      return { bytes, json: JSON.parse(bytes.toString("utf8")) as Record<string, unknown> };
    } catch {
      throw new ImagePullError(`${repository}:${reference}: the manifest is not JSON`);
    }
  }

  private async blob(repository: string, descriptor: Descriptor): Promise<void> {
    const hex = DIGEST.exec(descriptor.digest)?.[1];
    if (!hex || !Number.isSafeInteger(descriptor.size) || descriptor.size < 0) throw new ImagePullError(`${repository}: the manifest names a blob without a sha256 digest and size`);
    if (existsSync(this.blobFile(descriptor.digest))) return;
    const body = await this.request(`/v2/${repository}/blobs/${descriptor.digest}`, "*/*", `${repository}@${descriptor.digest}`);
    const partial = path.join(this.layout, "blobs", `.partial-${randomUUID()}`);
    try {
      const written = await writeHashed(body, partial, { limitBytes: descriptor.size });
      if (written.sha256 !== hex || written.size !== descriptor.size) throw new ImagePullError(`${repository}: the blob ${descriptor.digest} does not match its digest`);
      await rename(partial, this.blobFile(descriptor.digest));
    } finally {
      await rm(partial, { force: true });
    }
  }

  private async store(bytes: Buffer): Promise<string> {
    const hex = createHash("sha256").update(bytes).digest("hex");
    await writeFile(this.blobFile(`sha256:${hex}`), bytes);
    return hex;
  }

  /** Names the manifest by its hex in index.json, which umoci reads; writes are one at a time. */
  private tag(digest: string, size: number, mediaType: string): Promise<unknown> {
    this.indexWrites = this.indexWrites.then(async () => {
      const indexFile = path.join(this.layout, "index.json");
      const index = JSON.parse(await readFile(indexFile, "utf8").catch(() => '{"schemaVersion":2,"manifests":[]}')) as { manifests: { digest: string }[] };
      if (index.manifests.some((entry) => entry.digest === digest)) return;
      index.manifests.push({ mediaType, digest, size, annotations: { "org.opencontainers.image.ref.name": digest.slice("sha256:".length) } } as { digest: string });
      await writeFile(`${indexFile}.new`, JSON.stringify(index));
      await rename(`${indexFile}.new`, indexFile);
    });
    return this.indexWrites;
  }

  private blobFile(digest: string): string {
    return path.join(this.layout, "blobs", "sha256", digest.slice("sha256:".length));
  }

  private async request(urlPath: string, accept: string, what: string): Promise<AsyncIterable<Uint8Array>> {
    const response = await this.get(urlPath, accept).catch((error: Error) => {
      throw new ImagePullError(`pulling ${what}: ${error.message}`);
    });
    if (response.status === 200) return response.body;
    if (response.status === 404) throw new ImagePullError(`${what}: not found in the registry`);
    if (response.status === 401 || response.status === 403) throw new ImagePullError(`${what}: the registry refused this host (${response.status})`);
    throw new ImagePullError(`${what}: the registry answered ${response.status}`);
  }
}
