// The real kubectl adding, growing and refusing a VM's added disks (spec.volumes with an
// instance-storage claim) and CD/DVD drives (spec.cdrom), validated by the schema and rules
// Edit Settings meets, with the engine and the simulator attaching them.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { NAMESPACE } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { IMAGE_KIND_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6593 });
  for (const [name, kind] of [["netinst", "iso"], ["plain-disk", "disk"]] as const) {
    await insertObject(kube.pool, { apiVersion: KIND_API_VERSIONS.VirtualMachineImage, kind: "VirtualMachineImage", namespace: "", name, annotations: { [IMAGE_KIND_ANNOTATION]: kind }, spec: {}, status: {} });
  }
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

const manifest = (size: string, image = "netinst") => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: with-devices
  namespace: ${NAMESPACE}
spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: test-vsan
  powerState: PoweredOn
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: with-devices-data
      instanceVolumeClaim:
        storageClass: test-vsan
        size: ${size}
  cdrom:
  - name: cdrom1
    image:
      kind: VirtualMachineImage
      name: ${image}
    connected: true
`;

const apply = (input: string) => kube.kubectl(["apply", "-f", "-"], { input });

describe("kubectl and a VM's added devices", () => {
  test("applies a disk and a CD/DVD drive, which the simulator attaches; a shrink, a bad size and a disk image as a CD are refused naming the field", async () => {
    const created = await apply(manifest("20Gi"));
    expect(created.stderr).toBe("");
    const attached = await kube.kubectl(["wait", "vm/with-devices", "-n", NAMESPACE, "--for=jsonpath={.status.volumes[0].attached}=true", "--timeout=30s"]);
    expect(attached.stdout).toContain("condition met");
    const status = JSON.parse((await kube.kubectl(["get", "vm", "with-devices", "-n", NAMESPACE, "-o", "jsonpath={.status}"])).stdout) as Record<string, unknown>;
    expect(status.volumes).toEqual([{ name: "data", type: "Managed", attached: true, limit: "20Gi" }]);
    expect(status.cdrom).toEqual([{ name: "cdrom1", image: "netinst", connected: true }]);

    const shrunk = await apply(manifest("10Gi"));
    expect(shrunk.code).not.toBe(0);
    expect(shrunk.stderr).toContain("spec.volumes[0].persistentVolumeClaim.instanceVolumeClaim.size");
    expect(shrunk.stderr).toContain("Hard disk 2 can only grow: it is 20 GiB and cannot shrink to 10 GiB.");

    const badSize = await kube.kubectl(["patch", "vm", "with-devices", "-n", NAMESPACE, "--type=json", "-p", '[{"op":"replace","path":"/spec/volumes/0/persistentVolumeClaim/instanceVolumeClaim/size","value":"20TB"}]']);
    expect(badSize.code).not.toBe(0);
    expect(badSize.stderr).toContain("spec.volumes[0].persistentVolumeClaim.instanceVolumeClaim.size");
    expect(badSize.stderr).toContain("must be a whole number of GiB");

    const diskAsCd = await apply(manifest("20Gi", "plain-disk"));
    expect(diskAsCd.code).not.toBe(0);
    expect(diskAsCd.stderr).toContain("spec.cdrom[0].image.name");
    expect(diskAsCd.stderr).toContain("Image plain-disk is not an ISO image");

    const grown = await apply(manifest("40Gi"));
    expect(grown.stderr).toBe("");
    const regrown = await kube.kubectl(["wait", "vm/with-devices", "-n", NAMESPACE, "--for=jsonpath={.status.volumes[0].limit}=40Gi", "--timeout=30s"]);
    expect(regrown.stdout).toContain("condition met");
  });
});
