// The real kubectl against Skylight's Kubernetes API, over HTTPS with the kubeconfig's CA and
// token: the verbs a developer uses on vm-operator VirtualMachines, with the engine running.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setVirtualMachinePowerState, createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { CLUSTER, NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, KUBECTL, type KubeHarness } from "@/lib/testing/kube-harness";
import { insertSamples } from "@/lib/metrics/metric-store";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6542 });
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

const MANIFEST = `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: from-kubectl
  namespace: ${NAMESPACE}
  labels:
    app: web
spec:
  className: best-effort-small
  imageName: ubuntu-24.04-server
  storageClass: test-vsan
  powerState: PoweredOn
  bootstrap:
    cloudInit:
      rawCloudConfig:
        key: user-data
        name: web-cloud-init
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: web-data
`;

async function vmJson(name: string) {
  const result = await kube.kubectl(["get", "vm", name, "-n", NAMESPACE, "-o", "json"]);
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { metadata: { resourceVersion: string; labels: Record<string, string> }; spec: Record<string, unknown>; status: Record<string, unknown> };
}

describe("kubectl against Skylight", () => {
  test("apply a vm-operator manifest: the VM powers on, keeps the fields Skylight does not act on, and shows in get and describe", async () => {
    const applied = await kube.kubectl(["apply", "-f", "-"], { input: MANIFEST });
    expect(applied.stderr).toBe("");
    expect(applied.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/from-kubectl created");

    const waited = await kube.kubectl(["wait", "vm/from-kubectl", "-n", NAMESPACE, "--for=jsonpath={.status.powerState}=PoweredOn", "--timeout=30s"]);
    expect(waited.stderr).toBe("");
    expect(waited.stdout).toContain("condition met");

    const vm = await vmJson("from-kubectl");
    expect(vm.spec.bootstrap).toEqual({ cloudInit: { rawCloudConfig: { key: "user-data", name: "web-cloud-init" } } });
    expect(vm.spec.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "web-data" } }]);

    const table = await kube.kubectl(["get", "vm", "-n", NAMESPACE]);
    const [header, row] = table.stdout.trim().split("\n");
    expect(header!.split(/\s+/)).toEqual(["NAME", "POWERSTATE", "CLASS", "HOST", "IP", "AGE"]);
    expect(row).toMatch(/^from-kubectl\s+PoweredOn\s+best-effort-small\s+esx-\d\.test\s+\d+\.\d+\.\d+\.\d+\s+\d+s$/);

    const described = await kube.kubectl(["describe", "vm", "from-kubectl", "-n", NAMESPACE]);
    expect(described.stdout).toMatch(/Class Name:\s+best-effort-small/);
    expect(described.stdout).toMatch(/Power State:\s+PoweredOn/);
    expect(described.stdout).toMatch(/Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n[\s\S]*Normal\s+VirtualMachine\.create\s+\S+\s+skylight \(olivia\)\s+olivia created virtual machine apps\/from-kubectl/);

    // Applying the manifest again with a change is a patch of what changed.
    const reapplied = await kube.kubectl(["apply", "-f", "-"], { input: MANIFEST.replace("app: web", "app: shop") });
    expect(reapplied.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/from-kubectl configured");
    expect((await vmJson("from-kubectl")).metadata.labels.app).toBe("shop");
  });

  test("events and tasks are listed as kubectl lists them", async () => {
    const events = await kube.kubectl(["get", "events", "-n", NAMESPACE, "--field-selector", "involvedObject.name=from-kubectl,reason=VirtualMachine.create"]);
    expect(events.stderr).toBe("");
    const [header, row] = events.stdout.trim().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    expect(row).toMatch(/^\S+\s+Normal\s+VirtualMachine\.create\s+virtualmachine\/from-kubectl\s+olivia created virtual machine apps\/from-kubectl$/);

    const tasks = await kube.kubectl(["get", "tasks", "--field-selector", "spec.target.name=from-kubectl,spec.operation=VirtualMachine.create", "-o", "jsonpath={.items[*].status.state}"]);
    expect(tasks.stdout).toBe("success");
  });

  test("tasks and events are watched from a list's resourceVersion: a new task is ADDED once, then MODIFIED until success", async () => {
    const listOf = async (path: string) => JSON.parse((await kube.kubectl(["get", "--raw", path])).stdout) as { metadata: { resourceVersion: string } };
    const taskList = await listOf("/apis/skylight.io/v1alpha1/tasks");
    const eventList = await listOf(`/api/v1/namespaces/${NAMESPACE}/events`);
    expect(Number(taskList.metadata.resourceVersion)).toBeGreaterThan(0);
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "from-kubectl", powerState: "PoweredOff" }, kube.pool);
    await waitFor(async () => (await vmJson("from-kubectl")).status.powerState === "PoweredOff", "the VM to power off");

    const watchFrom = (path: string, version: string) => kube.kubectl(["get", "--raw", `${path}?watch=1&resourceVersion=${version}&timeoutSeconds=2`]);
    const parse = (output: string) => output.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string; resourceVersion: string }; spec?: { operation: string; target: { name: string } }; status?: { state: string }; reason?: string } });
    const taskEvents = parse((await watchFrom("/apis/skylight.io/v1alpha1/tasks", taskList.metadata.resourceVersion)).stdout);
    const powerOff = taskEvents.filter((event) => event.object.spec?.operation === "VirtualMachine.powerOff" && event.object.spec.target.name === "from-kubectl");
    expect(powerOff[0]!.type).toBe("ADDED");
    expect(powerOff.slice(1).every((event) => event.type === "MODIFIED")).toBe(true);
    expect(powerOff.at(-1)!.object.status!.state).toBe("success");
    expect(new Set(taskEvents.filter((event) => event.type === "ADDED").map((event) => event.object.metadata.name)).size).toBe(taskEvents.filter((event) => event.type === "ADDED").length);
    const versions = taskEvents.map((event) => Number(event.object.metadata.resourceVersion));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.every((version) => version > Number(taskList.metadata.resourceVersion))).toBe(true);

    const events = parse((await watchFrom(`/api/v1/namespaces/${NAMESPACE}/events`, eventList.metadata.resourceVersion)).stdout);
    expect(events.map((event) => `${event.type} ${event.object.reason}`)).toContain("ADDED VirtualMachine.powerOff");
    expect(events.every((event) => event.type === "ADDED")).toBe(true);
  });

  test("explain describes vm-operator's fields", async () => {
    const explained = await kube.kubectl(["explain", "vm.spec.powerState"]);
    expect(explained.stderr).toBe("");
    expect(explained.stdout).toContain("KIND:       VirtualMachine");
    expect(explained.stdout).toContain("PoweredOn, PoweredOff or Suspended");
  });

  test("patch powers the VM off through the engine; a bad value is refused as Kubernetes refuses it", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "patch-me", spec: vmSpec() }, kube.pool);
    const patched = await kube.kubectl(["patch", "vm", "patch-me", "-n", NAMESPACE, "--type=merge", "-p", '{"spec":{"powerState":"PoweredOff"}}']);
    expect(patched.stderr).toBe("");
    expect(patched.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/patch-me patched");
    await waitFor(async () => (await vmJson("patch-me")).status.powerState === "PoweredOff", "the VM to power off");
    const { rows } = await kube.pool.query(`SELECT operation, initiator FROM tasks WHERE target_name = 'patch-me' ORDER BY queued_at DESC LIMIT 1`);
    // vm-operator's default powerOffMode, TrySoft, asks the guest to shut down first: the task says so.
    expect(rows[0]).toEqual({ operation: "VirtualMachine.shutdownGuest", initiator: "olivia" });

    const jsonPatched = await kube.kubectl(["patch", "vm", "patch-me", "-n", NAMESPACE, "--type=json", "-p", '[{"op":"add","path":"/metadata/labels/tier","value":"db"}]']);
    expect(jsonPatched.stderr).toBe("");
    expect((await vmJson("patch-me")).metadata.labels.tier).toBe("db");

    const refused = await kube.kubectl(["patch", "vm", "patch-me", "-n", NAMESPACE, "--type=merge", "-p", '{"spec":{"powerState":"Sleeping"}}']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('The VirtualMachine "patch-me" is invalid: spec.powerState: must be PoweredOn, PoweredOff or Suspended');

    const immutable = await kube.kubectl(["patch", "vm", "patch-me", "-n", NAMESPACE, "--type=merge", "-p", '{"spec":{"imageName":"photon-5"}}']);
    expect(immutable.stderr).toContain("spec.imageName: field is immutable");
  });

  test("server-side apply: each field manager owns what it applied; another's value is a conflict unless forced", async () => {
    const manifest = MANIFEST.replace("from-kubectl", "ssa-vm").replace("powerState: PoweredOn", "powerState: PoweredOff");
    const first = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: manifest });
    expect(first.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/ssa-vm serverside-applied");

    // Another manager applies only the power state: it now owns it.
    const operator = `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ssa-vm
  namespace: ${NAMESPACE}
spec:
  powerState: PoweredOn
`;
    const conflicting = await kube.kubectl(["apply", "--server-side", "--field-manager=ops-bot", "-f", "-"], { input: operator });
    expect(conflicting.code).not.toBe(0);
    expect(conflicting.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl" using vmoperator.vmware.com/v1alpha3: .spec.powerState');
    const forced = await kube.kubectl(["apply", "--server-side", "--field-manager=ops-bot", "--force-conflicts", "-f", "-"], { input: operator });
    expect(forced.stderr).toBe("");
    expect((await vmJson("ssa-vm")).spec.powerState).toBe("PoweredOn");

    // The first manager's next apply with its old value now conflicts with ops-bot; its other fields are still its own.
    const again = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: manifest });
    expect(again.stderr).toContain('conflict with "ops-bot"');
    // A field the first manager leaves out is removed; fields it keeps stay.
    const withoutVolumes = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: manifest.replace(/  volumes:\n[\s\S]*$/, "").replace("powerState: PoweredOff", "powerState: PoweredOn") });
    expect(withoutVolumes.stderr).toBe("");
    const vm = await vmJson("ssa-vm");
    expect(vm.spec.volumes).toBeUndefined();
    expect(vm.spec.bootstrap).toBeDefined();
  });

  test("a replace with a stale resourceVersion is refused with 409 Conflict and changes nothing", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "stale", spec: vmSpec() }, kube.pool);
    const opened = await vmJson("stale");
    await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "stale", powerState: "PoweredOff" }, kube.pool);
    const edited = { ...opened, spec: { ...opened.spec, className: "best-effort-medium" } };
    const replaced = await kube.kubectl(["replace", "-f", "-"], { input: JSON.stringify(edited) });
    expect(replaced.code).not.toBe(0);
    expect(replaced.stderr).toContain(
      'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on virtualmachines.vmoperator.vmware.com "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((await vmJson("stale")).spec.className).toBe("best-effort-small");
  });

  test("a paginated list returns every VM exactly once, page by page", async () => {
    for (let index = 0; index < 7; index++) await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: `page-${index}`, labels: { batch: "pages" }, spec: vmSpec({ powerState: "PoweredOff" }) }, kube.pool);
    const listed = await kube.kubectl(["get", "vm", "-n", NAMESPACE, "-l", "batch=pages", "--chunk-size=2", "-o", "name", "-v=6"]);
    expect(listed.stdout.trim().split("\n")).toEqual([0, 1, 2, 3, 4, 5, 6].map((index) => `virtualmachine.vmoperator.vmware.com/page-${index}`));
    expect(listed.stderr.match(/continue=/g)?.length).toBe(3);

    const selected = await kube.kubectl(["get", "vm", "-A", "--field-selector", "status.powerState=PoweredOff,metadata.name=page-3", "-o", "name"]);
    expect(selected.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/page-3");
    const unsupported = await kube.kubectl(["get", "vm", "-A", "--field-selector", "spec.bootstrap=x"]);
    expect(unsupported.stderr).toContain("field label not supported: spec.bootstrap");
  });

  test("get -w streams a row when the console changes a VM", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "watched", spec: vmSpec() }, kube.pool);
    await waitFor(async () => (await vmJson("watched")).status.powerState === "PoweredOn", "the VM to power on");
    // A list, not `get vm watched -w`: for one named object kubectl watches from "0" and drops the
    // watch's first event as the row it already printed, so a change made before its watch request
    // arrives is swallowed (so it is against kube-apiserver too). A list's watch starts at the
    // list's resourceVersion and misses nothing after it.
    const watcher = spawn(KUBECTL, ["get", "vm", "-n", NAMESPACE, "--field-selector", "metadata.name=watched", "-w"], { env: { ...process.env, KUBECONFIG: kube.kubeconfig.operator } });
    let output = "";
    watcher.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(async () => output.includes("watched"), "the first row");
      await setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "watched", powerState: "PoweredOff" }, kube.pool);
      await waitFor(async () => /watched\s+PoweredOff/.test(output), "a row with PoweredOff", 15_000, async () => output);
      expect(output.split("\n")[0]!.split(/\s+/)).toEqual(["NAME", "POWERSTATE", "CLASS", "HOST", "IP", "AGE"]);
    } finally {
      watcher.kill();
    }
  });

  test("delete waits for the finalizer: the VM is powered off and removed, then gone", async () => {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "doomed", spec: vmSpec() }, kube.pool);
    const deleted = await kube.kubectl(["delete", "vm", "doomed", "-n", NAMESPACE, "--timeout=30s"]);
    expect(deleted.stderr).toBe("");
    expect(deleted.stdout.trim()).toBe('virtualmachine.vmoperator.vmware.com "doomed" deleted');
    const gone = await kube.kubectl(["get", "vm", "doomed", "-n", NAMESPACE]);
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): virtualmachines.vmoperator.vmware.com "doomed" not found');
    const { rows } = await kube.pool.query(`SELECT count(*)::int AS count FROM sim_vms WHERE owner_key LIKE '%doomed%'`);
    expect(rows[0].count).toBe(0);
  });

  test("dry run validates without writing", async () => {
    const dry = await kube.kubectl(["apply", "--dry-run=server", "-f", "-"], { input: MANIFEST.replace("from-kubectl", "dry-vm") });
    expect(dry.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/dry-vm created (server dry run)");
    expect((await kube.kubectl(["get", "vm", "dry-vm", "-n", NAMESPACE])).stderr).toContain("NotFound");
    const invalid = await kube.kubectl(["apply", "--dry-run=server", "-f", "-"], { input: MANIFEST.replace("from-kubectl", "dry-vm").replace("best-effort-small", "no-such-class") });
    expect(invalid.stderr).toContain('spec.className: VirtualMachineClass "no-such-class" does not exist.');
  });

  test("a developer's token sees and changes only their namespaces, as in the console", async () => {
    const admin = { id: "test-admin", username: "admin", role: "administrator" } as const;
    await createNamespace(admin, { name: "dev-space", cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] });

    const refused = await kube.kubectl(["get", "vm", "-n", NAMESPACE], { as: "developer" });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('Error from server (Forbidden): virtualmachines.vmoperator.vmware.com is forbidden: User "dev" cannot list resource "virtualmachines" in API group "vmoperator.vmware.com" in the namespace "apps": You have no access to namespace apps.');
    const outside = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: MANIFEST.replace("from-kubectl", "dev-vm") });
    expect(outside.stderr).toContain('User "dev" cannot get resource "virtualmachines" in API group "vmoperator.vmware.com" in the namespace "apps": You have no access to namespace apps.');
    const hosts = await kube.kubectl(["get", "hosts"], { as: "developer" });
    expect(hosts.stderr).toContain("only administrators and operators can see hosts");

    const inside = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: MANIFEST.replace("from-kubectl", "dev-vm").replace(`namespace: ${NAMESPACE}`, "namespace: dev-space") });
    expect(inside.stderr).toBe("");
    expect(inside.stdout).toContain("virtualmachine.vmoperator.vmware.com/dev-vm created");
    const everywhere = await kube.kubectl(["get", "vm", "-A", "-o", "name"], { as: "developer" });
    expect(everywhere.stdout.trim().split("\n")).toEqual(["virtualmachine.vmoperator.vmware.com/dev-vm"]);
    const namespaces = await kube.kubectl(["get", "namespaces", "-o", "name"], { as: "developer" });
    expect(namespaces.stdout.trim().split("\n")).toEqual(["namespace/default", "namespace/dev-space"]);
  });

  test("top node shows each host's latest performance sample; a developer may not see it", async () => {
    await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM resources WHERE kind = 'Node' AND name = 'esx-1.test'`)).rowCount === 1, "esx-1.test's Node");
    // Stamped ahead of the engine's own 20-second samples, so this one is the latest while the test looks.
    await insertSamples(kube.pool, new Date(Date.now() + 15_000), [{ kind: "Host", namespace: "", name: "esx-1.test", values: { cpu_pct: 25, mem_consumed_mib: 16 * 1024 } }]);
    const top = await kube.kubectl(["top", "node", "esx-1.test"]);
    expect(top.stderr).toBe("");
    // 25 % of 16 cores, and 16 GiB of the host's 64 GiB.
    expect(top.stdout).toMatch(/^esx-1\.test\s+4000m\s+25%\s+16384Mi\s+25%\s*$/m);
    const refused = await kube.kubectl(["top", "node"], { as: "developer" });
    expect(refused.stderr).toContain("Forbidden");
  });

  test("a host enters maintenance mode through spec, and its Node is unschedulable; other host fields are read-only", async () => {
    const entered = await kube.kubectl(["patch", "host", "esx-3.test", "--type=merge", "-p", '{"spec":{"maintenanceMode":true}}']);
    expect(entered.stderr).toBe("");
    await waitFor(async () => {
      const host = JSON.parse((await kube.kubectl(["get", "host", "esx-3.test", "-o", "json"])).stdout) as { status: { inMaintenanceMode?: boolean } };
      return host.status.inMaintenanceMode === true;
    }, "the host to be in maintenance mode");
    // Every host is a Node too, and one in maintenance mode takes no new VMs.
    const nodes = await kube.kubectl(["get", "nodes"]);
    expect(nodes.stdout).toMatch(/^esx-1\.test\s+Ready\s+<none>\s+\S+\s+v1\.32\.0-esxi-8\.0\.3$/m);
    expect(nodes.stdout).toMatch(/^esx-3\.test\s+Ready,SchedulingDisabled\s/m);
    const exited = await kube.kubectl(["patch", "host", "esx-3.test", "--type=merge", "-p", '{"spec":{"maintenanceMode":false}}']);
    expect(exited.stderr).toBe("");
    const moved = await kube.kubectl(["patch", "host", "esx-3.test", "--type=merge", "-p", '{"spec":{"cluster":"elsewhere"}}']);
    expect(moved.stderr).toContain("spec.cluster: Forbidden: only spec.maintenanceMode and spec.disconnected can be changed through the API");
  });
});
