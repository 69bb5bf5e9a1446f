// Every kubectl release installed beside /usr/bin/kubectl (1.27 to 1.33 on these machines) against
// the same server: the operations whose client code changed between releases. kubectl before 1.28
// reads OpenAPI v2 only in protobuf, and before 1.29 computes a built-in kind's client-side apply
// patch from that document's schema and paths.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLUSTER } from "@/lib/testing/engine-harness";
import { createKubeHarness, vmManifest, type KubeHarness } from "@/lib/testing/kube-harness";

const RELEASES_DIR = "/usr/lib/google-cloud-sdk/bin";
const releases = readdirSync(RELEASES_DIR)
  .filter((name) => /^kubectl\.1\.\d+$/.test(name))
  .sort((a, b) => Number(a.split(".")[2]) - Number(b.split(".")[2]));

let kube: KubeHarness;
beforeAll(async () => {
  kube = await createKubeHarness({ port: 6494 });
});
afterAll(() => kube.stopKube());


const namespace = (name: string, cpu: number) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
spec:
  cluster: ${CLUSTER}
  limits:
    cpu: ${cpu}
`;

describe("kubectl releases", () => {
  test("the machine has the releases the issue names", () => {
    expect(releases).toEqual(["1.27", "1.28", "1.29", "1.30", "1.31", "1.32", "1.33"].map((version) => `kubectl.${version}`));
  });

  test.each(releases)("%s applies, re-applies and explains VMs and namespaces", async (release) => {
    const binary = path.join(RELEASES_DIR, release);
    const suffix = release.replace("kubectl.1.", "v");
    const run = (args: string[], input?: string) => kube.kubectl(args, { as: "administrator", input, binary });

    expect(await run(["apply", "--dry-run=server", "-f", "-"], vmManifest(`dry-${suffix}`, "PoweredOff"))).toMatchObject({ stdout: `virtualmachine.vmoperator.vmware.com/dry-${suffix} created (server dry run)\n`, code: 0 });
    expect(await run(["apply", "-f", "-"], vmManifest(`vm-${suffix}`, "PoweredOff"))).toMatchObject({ stdout: `virtualmachine.vmoperator.vmware.com/vm-${suffix} created\n`, code: 0 });
    expect(await run(["apply", "-f", "-"], vmManifest(`vm-${suffix}`, "PoweredOn"))).toMatchObject({ stdout: `virtualmachine.vmoperator.vmware.com/vm-${suffix} configured\n`, code: 0 });
    expect(await run(["apply", "--server-side", "-f", "-"], vmManifest(`ssa-${suffix}`, "PoweredOff"))).toMatchObject({ stdout: `virtualmachine.vmoperator.vmware.com/ssa-${suffix} serverside-applied\n`, code: 0 });

    // A built-in kind with Skylight's own spec fields: a three-way patch from the server's schema.
    expect(await run(["apply", "-f", "-"], namespace(`ns-${suffix}`, 16))).toMatchObject({ stdout: `namespace/ns-${suffix} created\n`, code: 0 });
    expect(await run(["apply", "-f", "-"], namespace(`ns-${suffix}`, 8))).toMatchObject({ stdout: `namespace/ns-${suffix} configured\n`, code: 0 });
    const limits = await run(["get", "namespace", `ns-${suffix}`, "-o", "jsonpath={.spec.limits.cpu}"]);
    expect(limits.stdout).toBe("8");

    const explained = await run(["explain", "vm.spec.powerState"]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain("The desired power state: PoweredOn, PoweredOff or Suspended.");
  });
});
