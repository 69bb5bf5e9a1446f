import { beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/pool";
import { insertObject } from "@/lib/engine/object-store";
import { readLibraryImages, readLibraryTemplates } from "@/lib/inventory/library-reads";

const IMAGE_API = "vmoperator.vmware.com/v1alpha3";
const ready = { conditions: [{ type: "Ready", status: "True", reason: "Published" }] };
let sourceUid = "";

beforeAll(async () => {
  const pool = getPool();
  for (const name of ["photon-5", "ubuntu-24"]) {
    await insertObject(pool, { apiVersion: IMAGE_API, kind: "VirtualMachineImage", namespace: "", name, spec: { contentLibrary: "skylight-library" }, status: { osInfo: { version: name } } });
  }
  sourceUid = (await insertObject(pool, { apiVersion: IMAGE_API, kind: "VirtualMachine", namespace: "apps", name: "golden", spec: { imageName: "photon-5" } })).uid;
  await insertObject(pool, {
    apiVersion: IMAGE_API,
    kind: "VirtualMachineImage",
    namespace: "",
    name: "golden-template",
    labels: { "skylight.io/template": "true", "skylight.io/namespace": "apps" },
    spec: { contentLibrary: "skylight-library", source: { uid: sourceUid, namespace: "apps", name: "golden" } },
    status: ready,
  });
  for (const [name, imageName] of [["web-1", "photon-5"], ["web-2", "photon-5"], ["from-template", "golden-template"]] as const) {
    await insertObject(pool, { apiVersion: IMAGE_API, kind: "VirtualMachine", namespace: "apps", name, spec: { imageName } });
  }
});

describe("the Content Library page", () => {
  it("lists each image with its library and how many VMs were deployed from it, templates apart", async () => {
    const images = await readLibraryImages();
    expect(images.map((image) => [image.name, image.library, image.usedBy])).toEqual([
      ["photon-5", "skylight-library", 3],
      ["ubuntu-24", "skylight-library", 0],
    ]);
  });

  it("lists each template with the VM it came from, its namespace, its state and its use", async () => {
    expect(await readLibraryTemplates()).toEqual([
      expect.objectContaining({ name: "golden-template", namespace: "apps", library: "skylight-library", source: { uid: sourceUid, namespace: "apps", name: "golden" }, ready: true, usedBy: 1 }),
    ]);
  });
});
