// Content Library › Container images through its route handler with real sessions: each user sees
// the images of the namespaces they hold a role in (administrators all of them), nobody else's.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { getPool } from "@/lib/db/pool";
import { insertObject } from "@/lib/engine/object-store";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";

const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

const PASSWORD = "container-images";

beforeAll(async () => {
  for (const [username, role] of [["admin", "administrator"], ["vera", "developer"], ["otto", "developer"]] as const) {
    await createUser("system", { username, name: username, role, password: PASSWORD });
  }
  const pool = getPool();
  for (const name of ["web-team", "ml-team"]) {
    const permissions = name === "web-team" ? [{ kind: "User", name: "vera", role: "view" }] : [];
    await insertObject(pool, { apiVersion: "v1", kind: "Namespace", namespace: "", name, spec: { cluster: "c", limits: {}, permissions } });
    // What a push through the registry leaves (lib/registry/registry.test.ts pushes for real).
    const digest = `sha256:${(name === "web-team" ? "a" : "b").repeat(64)}`;
    await pool.query(
      `INSERT INTO registry_manifests (repository, digest, namespace, media_type, content, image_size, pushed_by) VALUES ($1, $2, $3, 'application/vnd.oci.image.manifest.v1+json', '\\x7b7d', 1031460, 'dev')`,
      [`${name}/busybox`, digest, name],
    );
    await pool.query(`INSERT INTO registry_tags (repository, tag, digest, namespace, pushed_by) VALUES ($1, '1', $2, $3, 'dev'), ($1, 'latest', $2, $3, 'dev')`, [`${name}/busybox`, digest, name]);
  }
});

async function listAs(username: string | null): Promise<{ status: number; repositories?: string[] }> {
  request.headers = username ? await signInAs(username, PASSWORD) : new Headers();
  const route = await import("@/app/api/library/container-images/route");
  const response = await route.GET(new Request("http://localhost/api/library/container-images"), { params: Promise.resolve({}) });
  if (response.status !== 200) return { status: response.status };
  const { images } = (await response.json()) as { images: { repository: string; tags: string[]; sizeBytes: number; pushedBy: string }[] };
  return { status: 200, repositories: images.map((image) => `${image.repository}:${image.tags.join(",")} ${image.sizeBytes} ${image.pushedBy}`) };
}

describe("GET /api/library/container-images", () => {
  it("lists an administrator every namespace's images, a viewer their namespace's, someone without a role none; no session is 401", async () => {
    expect(await listAs("admin")).toEqual({ status: 200, repositories: ["ml-team/busybox:1,latest 1031460 dev", "web-team/busybox:1,latest 1031460 dev"] });
    expect(await listAs("vera")).toEqual({ status: 200, repositories: ["web-team/busybox:1,latest 1031460 dev"] });
    expect(await listAs("otto")).toEqual({ status: 200, repositories: [] });
    expect(await listAs(null)).toEqual({ status: 401 });
  });
});
