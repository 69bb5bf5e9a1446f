// The OCI registry at /v2/ on the Kubernetes API's port, driven by the real skopeo (push, inspect,
// pull back) and by raw HTTPS for what skopeo does not send: chunked uploads, ranges, mounts,
// pagination, refusals by role and token kind, limits, expiry, and a namespace's removal.
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkoutBusyboxImage, type BusyboxImage } from "@/lib/containers/busybox-image";
import { createNamespace, setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { CLUSTER, NAMESPACE, OPERATOR } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { mintHostToken } from "@/lib/spherelet/host-tokens";
import { CHUNK_BYTES } from "@/lib/registry/blob-store";
import type { UserActor } from "@/lib/auth/authorize";

const run = promisify(execFile);
const MIB = 1024 * 1024;
const LIMITS = { maxBlobBytes: 3 * MIB, namespaceQuotaBytes: 5 * MIB, maxManifestBytes: 64 * 1024, maxUploadsPerNamespace: 8, uploadExpirySeconds: 3600, maxListEntries: 1000 };
const OTHER = "quota-space";
const ADMIN: UserActor = { id: "user-admin", username: "admin", role: "administrator" };

let kube: KubeHarness;
let busybox: BusyboxImage;
let certDir: string;
const tokens: Record<"editor" | "viewer" | "outsider" | "host", string> = { editor: "", viewer: "", outsider: "", host: "" };

beforeAll(async () => {
  [kube, busybox] = await Promise.all([createKubeHarness({ port: 6611, hosts: 1, registryLimits: LIMITS }), checkoutBusyboxImage()]);
  certDir = path.join(kube.scratchDir, "certs");
  mkdirSync(certDir);
  writeFileSync(path.join(certDir, "ca.crt"), kube.server.certificateAuthorityPem);
  tokens.editor = kube.tokens.developer;
  tokens.viewer = (await kube.addUser("vera", "developer")).token;
  tokens.outsider = (await kube.addUser("otto", "developer")).token;
  tokens.host = await mintHostToken(kube.pool, { name: "esx-real", cluster: CLUSTER, datastore: "test-vsan" });
  await setNamespacePermissions(OPERATOR, { name: NAMESPACE, permissions: [{ kind: "User", name: "dev", role: "edit" }, { kind: "User", name: "vera", role: "view" }] }, kube.pool);
  await createNamespace(ADMIN, { name: OTHER, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
}, 60_000);
afterAll(async () => kube?.stopKube());

const registry = () => `127.0.0.1:${kube.server.port}`;

async function skopeo(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run("skopeo", args, { timeout: 60_000, env: { ...process.env, HOME: kube.scratchDir } });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failure.stdout ?? "", stderr: failure.stderr ?? "", code: failure.code ?? 1 };
  }
}

const push = (token: string, repository: string) =>
  skopeo(["copy", "--dest-cert-dir", certDir, "--dest-registry-token", token, `oci:${busybox.layout}:${busybox.tag}`, `docker://${registry()}/${repository}`]);
const inspect = (auth: string[], repository: string) => skopeo(["inspect", "--raw", "--cert-dir", certDir, ...auth, `docker://${registry()}/${repository}`]);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): { errors?: { code: string; message: string }[] } & Record<string, unknown>;
}

function call(method: string, requestPath: string, options: { token?: string | null; headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean } = {}): Promise<Reply> {
  const { token = kube.tokens.administrator, headers = {}, body, chunked = false } = options;
  const length = chunked ? {} : { "content-length": body === undefined ? 0 : Buffer.byteLength(body) };
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: "127.0.0.1",
        port: kube.server.port,
        method,
        path: requestPath,
        ca: kube.server.certificateAuthorityPem,
        agent: false,
        headers: { ...(token && { authorization: `Bearer ${token}` }), ...length, ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const data = Buffer.concat(chunks);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: data, json: () => JSON.parse(data.toString("utf8")) });
        });
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    // A body written before end() goes out chunked; one given to end() gets a Content-Length.
    if (chunked) outgoing.write(body!);
    outgoing.end(chunked ? undefined : body);
  });
}

const errorCode = (reply: Reply) => reply.json().errors?.[0]?.code;
/** Bytes that differ from chunk to chunk, so a read from the wrong offset shows. */
const patterned = (size: number) => Buffer.from(Uint8Array.from({ length: size }, (_, index) => (index * 7919) % 251));
const SPANNING = patterned(CHUNK_BYTES + 300_000);
const sha256 = (data: Buffer) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** Pushes a blob in one POST with its digest. */
async function pushBlob(repository: string, data: Buffer, token = kube.tokens.administrator): Promise<Reply> {
  return call("POST", `/v2/${repository}/blobs/uploads/?digest=${sha256(data)}`, { token, body: data, headers: { "content-type": "application/octet-stream" } });
}

/** A small OCI image manifest over one layer (and an empty config) in `repository`. */
async function pushImage(repository: string, reference: string, layer: Buffer): Promise<{ digest: string; manifest: Buffer }> {
  const config = Buffer.from("{}");
  for (const blob of [config, layer]) expect((await pushBlob(repository, blob)).status).toBe(201);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: sha256(config), size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar", digest: sha256(layer), size: layer.length }],
    }),
  );
  const put = await call("PUT", `/v2/${repository}/manifests/${reference}`, { body: manifest, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } });
  expect(put.status).toBe(201);
  expect(put.headers["docker-content-digest"]).toBe(sha256(manifest));
  return { digest: sha256(manifest), manifest };
}

describe("the OCI registry", () => {
  test("GET /v2/ answers a client without a token with the Bearer challenge, and with a token as a registry", async () => {
    const anonymous = await call("GET", "/v2/", { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers["www-authenticate"]).toBe(`Bearer realm="https://127.0.0.1:${kube.server.port}/v2/token",service="skylight"`);
    expect(errorCode(anonymous)).toBe("UNAUTHORIZED");
    expect((await call("GET", "/v2/", { token: "skylight_not-a-token" })).status).toBe(401);
    const known = await call("GET", "/v2/", { token: tokens.viewer });
    expect(known.status).toBe(200);
    expect(known.headers["docker-distribution-api-version"]).toBe("registry/2.0");
  });

  test("skopeo pushes the busybox image with an editor's token; a viewer pulls it back identical, with --creds too", async () => {
    const pushed = await push(tokens.editor, `${NAMESPACE}/busybox:1`);
    expect(pushed.stderr).toBe("");
    expect(pushed.code).toBe(0);

    const raw = await inspect(["--registry-token", tokens.viewer], `${NAMESPACE}/busybox:1`);
    expect(raw.code).toBe(0);
    expect(sha256(Buffer.from(raw.stdout))).toBe(busybox.digest);
    const withCreds = await inspect(["--creds", `vera:${tokens.viewer}`], `${NAMESPACE}/busybox:1`);
    expect(withCreds.stderr).toBe("");
    expect(sha256(Buffer.from(withCreds.stdout))).toBe(busybox.digest);

    const pulled = path.join(mkdtempSync(path.join(kube.scratchDir, "pull-")), "layout");
    const copied = await skopeo(["copy", "--src-cert-dir", certDir, "--src-creds", `vera:${tokens.viewer}`, `docker://${registry()}/${NAMESPACE}/busybox:1`, `oci:${pulled}:1`]);
    expect(copied.stderr).toBe("");
    const index = JSON.parse(readFileSync(path.join(pulled, "index.json"), "utf8")) as { manifests: { digest: string }[] };
    expect(index.manifests[0]!.digest).toBe(busybox.digest);
    const manifest = JSON.parse(readFileSync(path.join(busybox.layout, "blobs", "sha256", busybox.digest.slice(7)), "utf8")) as { layers: { digest: string }[] };
    const layer = manifest.layers[0]!.digest.slice(7);
    expect(readFileSync(path.join(pulled, "blobs", "sha256", layer)).equals(readFileSync(path.join(busybox.layout, "blobs", "sha256", layer)))).toBe(true);
  });

  test("a viewer cannot push, someone without a role can neither pull nor push, a host token pulls but cannot push", async () => {
    const byViewer = await push(tokens.viewer, `${NAMESPACE}/busybox:viewer`);
    expect(byViewer.code).not.toBe(0);
    expect(byViewer.stderr).toContain("You can view namespace apps but not change it: pushing and deleting its images needs the edit or owner role.");

    const outsiderPull = await inspect(["--registry-token", tokens.outsider], `${NAMESPACE}/busybox:1`);
    expect(outsiderPull.code).not.toBe(0);
    expect(outsiderPull.stderr).toContain("You have no access to namespace apps.");
    const outsiderPush = await push(tokens.outsider, `${NAMESPACE}/busybox:otto`);
    expect(outsiderPush.code).not.toBe(0);
    expect(outsiderPush.stderr).toContain("403 (Forbidden)");
    // Refused before the body is read, in the spec's format.
    const refused = await call("PUT", `/v2/${NAMESPACE}/busybox/manifests/2`, { token: tokens.outsider, body: "{not json", headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } });
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe("DENIED");

    const byHost = await inspect(["--registry-token", tokens.host], `${NAMESPACE}/busybox:1`);
    expect(byHost.code).toBe(0);
    expect(sha256(Buffer.from(byHost.stdout))).toBe(busybox.digest);
    const hostPush = await push(tokens.host, `${NAMESPACE}/busybox:host`);
    expect(hostPush.code).not.toBe(0);
    expect(hostPush.stderr).toContain("host agents pull images; system:node:esx-real cannot push or delete them");

    const tags = await call("GET", `/v2/${NAMESPACE}/busybox/tags/list`, { token: tokens.editor });
    expect(tags.json()).toEqual({ name: `${NAMESPACE}/busybox`, tags: ["1"] });
  });

  test("a repository outside an existing namespace is refused: NAME_UNKNOWN for an administrator, DENIED for a developer", async () => {
    const byAdmin = await pushBlob("nowhere/busybox", Buffer.from("x"));
    expect(byAdmin.status).toBe(404);
    expect(errorCode(byAdmin)).toBe("NAME_UNKNOWN");
    expect(byAdmin.json().errors![0]!.message).toBe("namespace nowhere does not exist: a repository's first component must be an existing namespace");
    const byDeveloper = await pushBlob("nowhere/busybox", Buffer.from("x"), tokens.editor);
    expect(byDeveloper.status).toBe(403);
    expect(byDeveloper.json().errors![0]!.message).toBe("You have no access to namespace nowhere.");
    const single = await call("GET", "/v2/busybox/tags/list");
    expect(errorCode(single)).toBe("NAME_INVALID");
    expect((await call("GET", "/v2/Apps/busybox/tags/list")).status).toBe(400);
  });

  test("a chunked upload: PATCHes in order, a range that does not follow is 416, the PUT checks the digest; Range reads and a mount", async () => {
    const data = SPANNING;
    const started = await call("POST", `/v2/${NAMESPACE}/chunked/blobs/uploads/`, { token: tokens.editor });
    expect(started.status).toBe(202);
    const location = started.headers.location as string;
    expect(location).toMatch(new RegExp(`^/v2/${NAMESPACE}/chunked/blobs/uploads/[0-9a-f-]{36}$`));
    const first = await call("PATCH", location, { token: tokens.editor, body: data.subarray(0, 700_000), headers: { "content-range": "0-699999", "content-type": "application/octet-stream" } });
    expect(first.status).toBe(202);
    expect(first.headers.range).toBe("0-699999");
    const gap = await call("PATCH", location, { token: tokens.editor, body: data.subarray(800_000), headers: { "content-range": `800000-${data.length - 1}` } });
    expect(gap.status).toBe(416);
    expect(gap.headers.range).toBe("0-699999");
    const second = await call("PATCH", location, { token: tokens.editor, body: data.subarray(700_000), headers: { "content-range": `700000-${data.length - 1}` } });
    expect(second.headers.range).toBe(`0-${data.length - 1}`);
    expect((await call("GET", location, { token: tokens.editor })).status).toBe(204);
    const wrong = await call("PUT", `${location}?digest=${sha256(Buffer.from("other"))}`, { token: tokens.editor });
    expect(wrong.status).toBe(400);
    expect(errorCode(wrong)).toBe("DIGEST_INVALID");
    expect(errorCode(await call("GET", location, { token: tokens.editor }))).toBe("BLOB_UPLOAD_UNKNOWN");

    const again = await call("POST", `/v2/${NAMESPACE}/chunked/blobs/uploads/`, { token: tokens.editor });
    const again2 = again.headers.location as string;
    await call("PATCH", again2, { token: tokens.editor, body: data.subarray(0, 1000) });
    const done = await call("PUT", `${again2}?digest=${sha256(data)}`, { token: tokens.editor, body: data.subarray(1000) });
    expect(done.status).toBe(201);
    expect(done.headers["docker-content-digest"]).toBe(sha256(data));

    const whole = await call("GET", `/v2/${NAMESPACE}/chunked/blobs/${sha256(data)}`, { token: tokens.viewer });
    expect(whole.body.equals(data)).toBe(true);
    const across = await call("GET", `/v2/${NAMESPACE}/chunked/blobs/${sha256(data)}`, { token: tokens.viewer, headers: { range: `bytes=${CHUNK_BYTES - 10}-${CHUNK_BYTES + 9}` } });
    expect(across.status).toBe(206);
    expect(across.headers["content-range"]).toBe(`bytes ${CHUNK_BYTES - 10}-${CHUNK_BYTES + 9}/${data.length}`);
    expect(across.body.equals(data.subarray(CHUNK_BYTES - 10, CHUNK_BYTES + 10))).toBe(true);
    expect((await call("GET", `/v2/${NAMESPACE}/chunked/blobs/${sha256(data)}`, { headers: { range: `bytes=${data.length}-` } })).status).toBe(416);
    const head = await call("HEAD", `/v2/${NAMESPACE}/chunked/blobs/${sha256(data)}`, { token: tokens.viewer });
    expect(head.headers["content-length"]).toBe(String(data.length));

    // Another repository serves a blob only once it holds it: a mount links it without a byte sent.
    expect((await call("HEAD", `/v2/${NAMESPACE}/mounted/blobs/${sha256(data)}`)).status).toBe(404);
    const mounted = await call("POST", `/v2/${NAMESPACE}/mounted/blobs/uploads/?mount=${sha256(data)}&from=${NAMESPACE}/chunked`, { token: tokens.editor });
    expect(mounted.status).toBe(201);
    expect((await call("HEAD", `/v2/${NAMESPACE}/mounted/blobs/${sha256(data)}`)).status).toBe(200);
    const acrossNamespaces = await call("POST", `/v2/${OTHER}/shared/blobs/uploads/?mount=${sha256(data)}&from=${NAMESPACE}/chunked`);
    expect(acrossNamespaces.status).toBe(201);
    // A mount from a repository the caller cannot read is an ordinary upload instead.
    await setNamespacePermissions(OPERATOR, { name: OTHER, permissions: [{ kind: "User", name: "otto", role: "edit" }] }, kube.pool);
    const refusedMount = await call("POST", `/v2/${OTHER}/stolen/blobs/uploads/?mount=${sha256(data)}&from=${NAMESPACE}/chunked`, { token: tokens.outsider });
    expect(refusedMount.status).toBe(202);
    await call("DELETE", refusedMount.headers.location as string, { token: tokens.outsider });
  });

  test("too large: a declared length over the blob limit at once, a body that runs over it, and a namespace's quota; nothing kept", async () => {
    const declared = await call("POST", `/v2/${OTHER}/big/blobs/uploads/?digest=${sha256(Buffer.from("x"))}`, { headers: { "content-length": String(4 * MIB) } });
    expect(declared.status).toBe(413);
    expect(errorCode(declared)).toBe("SIZE_INVALID");

    const started = await call("POST", `/v2/${OTHER}/big/blobs/uploads/`);
    const location = started.headers.location as string;
    // Sent without a length, so only counting the bytes as they arrive can refuse it.
    const over = await call("PATCH", location, { body: Buffer.alloc(3 * MIB + 1), chunked: true });
    expect(over.status).toBe(413);
    expect(over.headers.connection).toBe("close");
    expect(errorCode(await call("GET", location))).toBe("BLOB_UPLOAD_UNKNOWN");
    const { rows } = await kube.pool.query(`SELECT count(*)::int AS chunks FROM registry_chunks WHERE storage = $1`, [location.split("/").at(-1)]);
    expect(rows[0].chunks).toBe(0);

    // 5 MiB a namespace: the mounted blob (1.3 MiB) and 2.5 MiB fit, another 2.5 MiB does not.
    expect((await pushBlob(`${OTHER}/big`, Buffer.alloc(2.5 * MIB, 1))).status).toBe(201);
    const overQuota = await pushBlob(`${OTHER}/big`, Buffer.alloc(2.5 * MIB, 2));
    expect(overQuota.status).toBe(403);
    expect(overQuota.json().errors![0]!.message).toMatch(/^images in namespace quota-space may take at most 5 MiB \(SKYLIGHT_REGISTRY_NAMESPACE_MIB\); 4\.8 MiB is in use and this needs 1 MiB more$/);
  });

  test("manifests: tags list with pagination, an index served as its linux/amd64 manifest to a client that takes no index, deletes", async () => {
    const { digest, manifest } = await pushImage(`${NAMESPACE}/tagged`, "v1", Buffer.from("layer one"));
    for (const tag of ["v2", "v3"]) {
      expect((await call("PUT", `/v2/${NAMESPACE}/tagged/manifests/${tag}`, { body: manifest, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } })).status).toBe(201);
    }
    const page = await call("GET", `/v2/${NAMESPACE}/tagged/tags/list?n=2`, { token: tokens.viewer });
    expect(page.json().tags).toEqual(["v1", "v2"]);
    expect(page.headers.link).toBe(`</v2/${NAMESPACE}/tagged/tags/list?n=2&last=v2>; rel="next"`);
    expect((await call("GET", `/v2/${NAMESPACE}/tagged/tags/list?n=2&last=v2`, { token: tokens.viewer })).json().tags).toEqual(["v3"]);
    expect(errorCode(await call("GET", `/v2/${NAMESPACE}/tagged/tags/list?n=lots`))).toBe("PAGINATION_NUMBER_INVALID");

    const missingBlob = JSON.parse(manifest.toString()) as { layers: { digest: string }[] };
    missingBlob.layers[0]!.digest = sha256(Buffer.from("never pushed"));
    const refused = await call("PUT", `/v2/${NAMESPACE}/tagged/manifests/bad`, { body: JSON.stringify(missingBlob), headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } });
    expect(errorCode(refused)).toBe("MANIFEST_BLOB_UNKNOWN");
    const wrongDigest = await call("PUT", `/v2/${NAMESPACE}/tagged/manifests/${sha256(Buffer.from("x"))}`, { body: manifest, headers: { "content-type": "application/vnd.oci.image.manifest.v1+json" } });
    expect(errorCode(wrongDigest)).toBe("DIGEST_INVALID");

    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest, size: manifest.length, platform: { os: "linux", architecture: "amd64" } }],
    });
    expect((await call("PUT", `/v2/${NAMESPACE}/tagged/manifests/multi`, { body: index, headers: { "content-type": "application/vnd.oci.image.index.v1+json" } })).status).toBe(201);
    const asIndex = await call("GET", `/v2/${NAMESPACE}/tagged/manifests/multi`, { headers: { accept: "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json" } });
    expect(asIndex.headers["content-type"]).toBe("application/vnd.oci.image.index.v1+json");
    expect(asIndex.body.toString()).toBe(index);
    const asManifest = await call("GET", `/v2/${NAMESPACE}/tagged/manifests/multi`, { headers: { accept: "application/vnd.oci.image.manifest.v1+json" } });
    expect(asManifest.headers["docker-content-digest"]).toBe(digest);
    expect(asManifest.body.equals(manifest)).toBe(true);

    const byViewer = await call("DELETE", `/v2/${NAMESPACE}/tagged/manifests/v3`, { token: tokens.viewer });
    expect(errorCode(byViewer)).toBe("DENIED");
    expect((await call("DELETE", `/v2/${NAMESPACE}/tagged/manifests/v3`, { token: tokens.editor })).status).toBe(202);
    expect((await call("GET", `/v2/${NAMESPACE}/tagged/tags/list`)).json().tags).toEqual(["multi", "v1", "v2"]);
    expect((await call("DELETE", `/v2/${NAMESPACE}/tagged/manifests/${digest}`, { token: tokens.editor })).status).toBe(202);
    expect(errorCode(await call("GET", `/v2/${NAMESPACE}/tagged/manifests/v1`))).toBe("MANIFEST_UNKNOWN");
    expect((await call("GET", `/v2/${NAMESPACE}/tagged/tags/list`)).json().tags).toEqual(["multi"]);
  });

  test("the catalog lists only the repositories of namespaces the caller may see, a page at a time", async () => {
    await pushImage(`${OTHER}/hidden`, "1", Buffer.from("other layer"));
    const all = (await call("GET", "/v2/_catalog")).json().repositories as string[];
    expect(all).toEqual(expect.arrayContaining([`${NAMESPACE}/busybox`, `${OTHER}/hidden`]));
    const forViewer = (await call("GET", "/v2/_catalog", { token: tokens.viewer })).json().repositories as string[];
    expect(forViewer).toContain(`${NAMESPACE}/busybox`);
    expect(forViewer.some((repository) => repository.startsWith(`${OTHER}/`))).toBe(false);
    expect((await call("GET", "/v2/_catalog", { token: tokens.outsider })).json().repositories).toEqual([`${OTHER}/hidden`]);
    const first = await call("GET", "/v2/_catalog?n=1", { token: tokens.host });
    expect(first.json().repositories).toEqual([all[0]]);
    expect(first.headers.link).toBe(`</v2/_catalog?n=1&last=${encodeURIComponent(all[0]!)}>; rel="next"`);
  });

  test("an abandoned upload expires; deleting a namespace deletes its repositories and the blobs only they held", async () => {
    const abandoned = (await call("POST", `/v2/${OTHER}/late/blobs/uploads/`)).headers.location as string;
    await call("PATCH", abandoned, { body: Buffer.from("partial") });
    await kube.pool.query(`UPDATE registry_uploads SET updated_at = now() - interval '2 hours'`);
    await call("POST", `/v2/${OTHER}/late/blobs/uploads/`);
    expect(errorCode(await call("GET", abandoned))).toBe("BLOB_UPLOAD_UNKNOWN");

    const shared = sha256(SPANNING);
    await kube.pool.query(`DELETE FROM resources WHERE kind = 'Namespace' AND name = $1`, [OTHER]);
    const { rows } = await kube.pool.query(
      `SELECT (SELECT count(*) FROM registry_manifests WHERE namespace = $1)::int + (SELECT count(*) FROM registry_tags WHERE namespace = $1)::int
            + (SELECT count(*) FROM registry_repository_blobs WHERE namespace = $1)::int + (SELECT count(*) FROM registry_uploads WHERE namespace = $1)::int AS left,
              (SELECT count(*) FROM registry_blobs WHERE digest = $2)::int AS shared,
              (SELECT count(*) FROM registry_chunks c WHERE NOT EXISTS (SELECT 1 FROM registry_blobs b WHERE b.storage = c.storage)
                                                       AND NOT EXISTS (SELECT 1 FROM registry_uploads u WHERE u.id = c.storage))::int AS orphans`,
      [OTHER, shared],
    );
    expect(rows[0]).toEqual({ left: 0, shared: 1, orphans: 0 });
    expect((await call("GET", `/v2/${NAMESPACE}/mounted/blobs/${shared}`)).status).toBe(200);
  });
});
