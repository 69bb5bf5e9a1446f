// Every way the console changes a VM means the same thing: the YAML tab's Apply (the API's update
// path, as kubectl update, patch and apply) refuses what Edit Settings refuses, in the same words,
// and the list's bulk Power Off powers off hard, as the VM's own Power Off does. Through the real
// server actions, signed in for real, with the engine and the simulator running.
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applyObjectYaml } from "@/lib/actions/objects/apply-object-yaml";
import { runVmBulkOperation } from "@/lib/actions/vms/run-vm-bulk-operation";
import { insertObject } from "@/lib/engine/object-store";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { editVirtualMachineSettings } from "@/lib/engine/operations/vm-settings";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { readKubeObject } from "@/lib/kube/kube-objects";
import { convergedVm, createHarness, NAMESPACE, OPERATOR, vmSpec, vmStatus, type Harness } from "@/lib/testing/engine-harness";
import { signInAs } from "@/lib/testing/test-auth";
import { createUser } from "@/lib/users/user-admin";
import type { PowerOpMode } from "@/lib/provider/provider";

// Server actions read the session from the request's headers; the session behind them is real.
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => request.headers, cookies: async () => ({ get: () => undefined, getAll: () => [] }) }));

let harness: Harness;
/** The power-off modes the engine asked the simulator for, by VM. */
const powerOffs: { vm: string; mode: PowerOpMode | undefined }[] = [];

beforeAll(async () => {
  harness = await createHarness();
  await insertObject(harness.pool, { apiVersion: KIND_API_VERSIONS.Network, kind: "Network", namespace: "", name: "net-a", spec: { datacenter: "dc-test", portGroup: "VM Network" } });
  const { provider } = harness;
  const setPowerState = provider.setPowerState.bind(provider);
  provider.setPowerState = async (vmId, state, mode) => {
    if (state === "PoweredOff") powerOffs.push({ vm: (await provider.listVms()).find((vm) => vm.id === vmId)?.ownerKey ?? vmId, mode });
    return setPowerState(vmId, state, mode);
  };
  harness.startEngine();
  await createUser("system", { username: "oscar", name: "Oscar", role: "operator", password: "write-path-password" });
  request.headers = await signInAs("oscar", "write-path-password");
});
afterAll(() => harness?.stop());

const adapter = (name: string, network: string) => ({ name, network: { kind: "Network", name: network } });

async function runningVm(name: string) {
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ network: { interfaces: [adapter("eth0", "net-a")] } }) });
  return convergedVm(harness.pool, name, "PoweredOn");
}

describe("the YAML tab admits a change by Edit Settings' rules", () => {
  it("refuses removing CPUs from a running VM in Edit Settings' words, and a network outside the datacenter; nothing changes", async () => {
    await runningVm("yaml-vm");
    const opened = (await readKubeObject(harness.pool, { kind: "VirtualMachine", namespace: NAMESPACE, name: "yaml-vm" }))!;
    const apply = (spec: Record<string, unknown>) =>
      applyObjectYaml({ kind: "VirtualMachine", namespace: NAMESPACE, name: "yaml-vm", openedYaml: stringify(opened), yaml: stringify({ ...opened, spec: { ...opened.spec, ...spec } }) });

    const editSettings = await editVirtualMachineSettings(OPERATOR, {
      namespace: NAMESPACE,
      name: "yaml-vm",
      settings: { className: "best-effort-small", hardware: { cpus: 1, memoryMiB: 4096 }, diskGiB: 20, adapters: [{ name: "eth0", network: "net-a" }] },
    }).catch((error: Error) => error.message);
    expect(editSettings).toBe("Reducing CPUs from 2 to 1 needs the VM powered off: CPUs can be hot-added but not removed while it runs.");
    const fewerCpus = await apply({ hardware: { cpus: 1, memory: "4Gi" } });
    expect(fewerCpus?.serverError?.message).toContain(`spec.hardware.cpus: ${editSettings}`);

    const outside = await apply({ network: { interfaces: [adapter("eth0", "net-a"), adapter("eth1", "nowhere")] } });
    expect(outside?.serverError?.message).toContain('spec.network.interfaces: Network adapter 2: network "nowhere" is not in datacenter dc-test');
    const removed = await apply({ network: { interfaces: [] } });
    expect(removed?.serverError?.message).toContain("spec.network.interfaces: Removing Network adapter 1 needs the VM powered off.");

    const after = await vmStatus(harness.pool, "yaml-vm");
    expect(after!.resource_version).toBe(opened.metadata.resourceVersion);
    const tasks = await harness.pool.query(`SELECT operation FROM tasks WHERE target_name = 'yaml-vm' ORDER BY queued_at`);
    expect(tasks.rows.map((row) => row.operation)).toEqual(["VirtualMachine.create"]);
  });
});

describe("the YAML tab and the engine's own metadata", () => {
  it("applies an edit made while the engine dropped an annotation the editor showed, and refuses an engine-owned value the user edited", async () => {
    await runningVm("yaml-engine-mark");
    const key = { kind: "VirtualMachine" as const, namespace: NAMESPACE, name: "yaml-engine-mark" };
    const mark = async (annotations: Record<string, string>) =>
      harness.pool.query(`UPDATE resources SET annotations = $2, resource_version = nextval('resource_version_seq') WHERE kind = 'VirtualMachine' AND name = $1`, [key.name, annotations]);
    // The editor opens while the engine holds its mark, which it drops before Apply.
    await mark({ "skylight.io/create-pending": "2026-12-06T07:03:50.396Z" });
    const opened = (await readKubeObject(harness.pool, key))!;
    await mark({});
    const relabelled = { ...opened, metadata: { ...opened.metadata, labels: { ...opened.metadata.labels, tier: "gold" } } };
    const applied = await applyObjectYaml({ ...key, openedYaml: stringify(opened), yaml: stringify(relabelled) });
    expect(applied?.serverError).toBeUndefined();
    const after = (await readKubeObject(harness.pool, key))!;
    expect(after.metadata.labels?.tier).toBe("gold");
    expect(after.metadata.annotations?.["skylight.io/create-pending"]).toBeUndefined();

    const forged = { ...after, metadata: { ...after.metadata, annotations: { ...after.metadata.annotations, "skylight.io/requested-host": "esx-elsewhere" } } };
    const refused = await applyObjectYaml({ ...key, openedYaml: stringify(after), yaml: stringify(forged) });
    expect(refused?.serverError?.message).toContain("metadata.annotations.skylight.io/requested-host: skylight.io/requested-host cannot be set by a client");
    expect((await readKubeObject(harness.pool, key))!.metadata.annotations?.["skylight.io/requested-host"]).toBeUndefined();
  });
});

describe("the list's bulk actions mean what the VM's own actions mean", () => {
  it("Power Off powers off hard and its task says so; Shut Down Guest OS asks the guest", async () => {
    const [hard, soft] = [await runningVm("bulk-hard"), await runningVm("bulk-soft")];
    const uid = async (name: string) => (await harness.pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [name])).rows[0]!.uid;
    expect(hard.status.powerState).toBe("PoweredOn");
    expect(soft.status.powerState).toBe("PoweredOn");

    expect((await runVmBulkOperation({ uids: [await uid("bulk-hard")], operation: "powerOff" }))?.data).toEqual({ started: 1, unchanged: 0, failed: [], notFound: 0 });
    expect((await runVmBulkOperation({ uids: [await uid("bulk-soft")], operation: "shutdownGuest" }))?.data).toEqual({ started: 1, unchanged: 0, failed: [], notFound: 0 });
    await convergedVm(harness.pool, "bulk-hard", "PoweredOff");
    await convergedVm(harness.pool, "bulk-soft", "PoweredOff");

    expect(powerOffs).toEqual([{ vm: `${NAMESPACE}/bulk-hard`, mode: "Hard" }, { vm: `${NAMESPACE}/bulk-soft`, mode: "Soft" }]);
    const { rows } = await harness.pool.query(
      `SELECT r.name, r.spec->>'powerOffMode' AS mode, t.operation, t.description FROM resources r JOIN tasks t ON t.target_uid = r.uid AND t.operation <> 'VirtualMachine.create'
        WHERE r.name IN ('bulk-hard', 'bulk-soft') ORDER BY r.name`,
    );
    expect(rows).toEqual([
      { name: "bulk-hard", mode: "Hard", operation: "VirtualMachine.powerOff", description: "Power off virtual machine bulk-hard" },
      { name: "bulk-soft", mode: "Soft", operation: "VirtualMachine.shutdownGuest", description: "Shut down guest OS of virtual machine bulk-soft" },
    ]);
  });
});
