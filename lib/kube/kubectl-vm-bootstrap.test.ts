// vm-operator's spec.bootstrap through the real kubectl, held to the same schema as the console's
// New Virtual Machine wizard (lib/engine/schemas.ts): an inline cloudConfig, SSH keys and a host
// name are stored and shown back; bootstrap data past vSphere's 64 KiB guestinfo limit, cloud-init
// combined with Sysprep, and an inline cloud-config beside a Secret's are refused naming the field.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { DATASTORE, NAMESPACE } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
});
afterAll(async () => kube?.stopKube());

const manifest = (name: string, spec: Record<string, unknown>) =>
  stringify({
    apiVersion: "vmoperator.vmware.com/v1alpha3",
    kind: "VirtualMachine",
    metadata: { name, namespace: NAMESPACE },
    spec: { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: DATASTORE, powerState: "PoweredOff", ...spec },
  });
const apply = (name: string, spec: Record<string, unknown>) => kube.kubectl(["apply", "-f", "-"], { input: manifest(name, spec) });

describe("kubectl apply of a VM's bootstrap", () => {
  test("stores an inline cloudConfig, SSH keys and a host name, and shows them back", async () => {
    const bootstrap = { cloudInit: { cloudConfig: { users: [{ name: "ops" }], runcmd: ["echo hello"] }, sshAuthorizedKeys: ["ssh-ed25519 AAAAC3Nza dev@laptop"] } };
    expect((await apply("boot-1", { bootstrap, network: { hostName: "boot-1" } })).stderr).toBe("");
    const shown = JSON.parse((await kube.kubectl(["get", "vm", "boot-1", "-n", NAMESPACE, "-o", "json"])).stdout) as { spec: Record<string, unknown> };
    expect(shown.spec.bootstrap).toEqual(bootstrap);
    expect(shown.spec.network).toEqual({ hostName: "boot-1" });
  });

  test("refuses bootstrap data past 64 KiB, naming spec.bootstrap and the limit", async () => {
    const runcmd = Array.from({ length: 1000 }, (_, index) => `echo ${"x".repeat(64)} ${index}`);
    const refused = await apply("boot-big", { bootstrap: { cloudInit: { cloudConfig: { runcmd } } } });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim()).toBe(`The VirtualMachine "boot-big" is invalid: spec.bootstrap: must be at most 64 KiB, vSphere's guestinfo limit; it is 75 KiB`);
    expect((await kube.kubectl(["get", "vm", "boot-big", "-n", NAMESPACE])).stderr).toContain("NotFound");
  });

  test("refuses cloud-init combined with Sysprep, and an inline cloud-config beside a Secret's", async () => {
    const both = await apply("boot-both", { bootstrap: { cloudInit: { sshAuthorizedKeys: ["ssh-ed25519 AAAA x"] }, sysprep: { sysprep: { userData: { fullName: "A", orgName: "B" } } } } });
    expect(both.stderr.trim()).toBe('The VirtualMachine "boot-both" is invalid: spec.bootstrap.sysprep: may not be combined with cloudInit: a guest is bootstrapped by one of them');
    const twice = await apply("boot-twice", { bootstrap: { cloudInit: { cloudConfig: { runcmd: ["true"] }, rawCloudConfig: { name: "user-data", key: "value" } } } });
    expect(twice.stderr).toContain("cloudConfig and rawCloudConfig are mutually exclusive: give one");
    expect((await kube.kubectl(["get", "vm", "-n", NAMESPACE, "-o", "name"])).stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/boot-1");
  });
});
