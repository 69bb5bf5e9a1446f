// Namespace limits and allowances held by the engine for every client, also under concurrency,
// for VMs and pods together, and a namespace's deletion taking its VMs and pods with it, each a task.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationActor } from "@/lib/engine/operations/write-object";
import { assertNamespaceAdmits } from "@/lib/engine/namespace-quota";
import { deleteNamespace, updateNamespace } from "@/lib/engine/operations/namespace-operations";
import { createPod } from "@/lib/engine/operations/pod-operations";
import { changeVirtualMachineClass, createVirtualMachine, setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { InvalidInputError } from "@/lib/errors";
import { createHarness, NAMESPACE, OPERATOR, vmSpec, vmStatus, waitFor, type Harness } from "@/lib/testing/engine-harness";

const ADMIN: OperationActor = { id: "test-admin", username: "admin", role: "administrator" };
let harness: Harness;

beforeAll(async () => {
  harness = await createHarness();
});
afterAll(() => harness.stop());

const setLimits = (limits: { cpu?: number; memoryMiB?: number; storageGiB?: number }, extra = {}) =>
  updateNamespace(ADMIN, { name: NAMESPACE, limits, ...extra }, harness.pool);

const vmCount = async () =>
  (await harness.pool.query<{ count: number }>(`SELECT count(*)::int AS count FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1`, [NAMESPACE])).rows[0]!.count;

describe("namespace limits", () => {
  it("refuses a VM over the memory limit before creating anything, naming the limit, the usage and the ask", async () => {
    await setLimits({ memoryMiB: 12 * 1024 });
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "quota-1", spec: vmSpec({ className: "best-effort-medium" }) }, harness.pool);
    const before = await vmCount();
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "quota-2", spec: vmSpec({ className: "best-effort-medium" }) }, harness.pool)).rejects.toThrow(
      "Memory limit of apps is 12 GiB; 8 GiB is in use and the VM asks for 8 GiB.",
    );
    expect(await vmCount()).toBe(before);
    // Powered off, it uses no memory: it is created, and its power-on is what gets refused.
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "quota-2", spec: vmSpec({ className: "best-effort-medium", powerState: "PoweredOff" }) }, harness.pool);
    await expect(setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "quota-2", powerState: "PoweredOn" }, harness.pool)).rejects.toThrow(
      "Memory limit of apps is 12 GiB; 8 GiB is in use and the VM asks for 8 GiB.",
    );
    await expect(changeVirtualMachineClass(OPERATOR, { namespace: NAMESPACE, name: "quota-1", className: "best-effort-large" }, harness.pool)).rejects.toThrow(
      "Memory limit of apps is 12 GiB; 0 GiB is in use and the VM asks for 16 GiB.",
    );
    // Raised, the same request succeeds.
    await setLimits({ memoryMiB: 16 * 1024 });
    await expect(setVirtualMachinePowerState(OPERATOR, { namespace: NAMESPACE, name: "quota-2", powerState: "PoweredOn" }, harness.pool)).resolves.toBeTruthy();
  });

  it("counts every VM's disk against the storage limit", async () => {
    await setLimits({ storageGiB: 50 });
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "disk-1", spec: vmSpec({ imageName: "windows-server-2022", powerState: "PoweredOff" }) }, harness.pool)).rejects.toThrow(
      "Storage limit of apps is 50 GiB; 40 GiB is in use and the VM asks for 60 GiB.",
    );
  });

  it("lets two simultaneous requests past a limit only as far as it allows", async () => {
    await setLimits({ cpu: 16 });
    // quota-1 and quota-2 run with 2 vCPUs each: room for 6 more small (2-vCPU) VMs, and 10 are asked at once.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) => createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: `race-${index}`, spec: vmSpec() }, harness.pool)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(6);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused.every((result) => result.reason instanceof InvalidInputError && /^CPU limit of apps is 16 vCPUs; 16 vCPUs are in use/.test(result.reason.message))).toBe(true);
  });

  it("counts pods' CPU requests with the VMs', and lets simultaneous pods past the limit only as far as it allows", async () => {
    // The VMs use all 16 vCPUs: 1 more leaves room for three pods of 300m, and eight are asked at once.
    await setLimits({ cpu: 17 });
    const pod = (index: number) => ({ namespace: NAMESPACE, name: `pod-race-${index}`, spec: { containers: [{ name: "main", image: "busybox:1", resources: { requests: { cpu: "300m" } } }] } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => createPod(OPERATOR, pod(index), harness.pool)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused.map((result) => (result.reason as Error).message)).toEqual(Array(5).fill("CPU limit of apps is 17 vCPUs; 16.9 vCPUs are in use and the pod asks for 0.3 vCPUs."));
    // A VM now finds the pods' share taken.
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "after-pods", spec: vmSpec({ className: "best-effort-xsmall" }) }, harness.pool)).rejects.toThrow(
      /^CPU limit of apps is 17 vCPUs; 16\.9 vCPUs are in use and the VM asks for/,
    );
  });

  it("refuses a VM class, image or storage class the namespace does not allow", async () => {
    await setLimits({}, { vmClasses: ["best-effort-xsmall"], images: ["photon-5"] });
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "not-allowed", spec: vmSpec({ imageName: "photon-5" }) }, harness.pool)).rejects.toThrow(
      "VM class best-effort-small is not allowed in namespace apps; it allows best-effort-xsmall.",
    );
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "not-allowed", spec: vmSpec({ className: "best-effort-xsmall" }) }, harness.pool)).rejects.toThrow(
      "Image ubuntu-24.04-server is not allowed in namespace apps; it allows photon-5.",
    );
    await setLimits({});
  });
});

describe("deleting a namespace", () => {
  it("deletes each of its VMs as a task of its own, then the namespace once the last is gone", async () => {
    harness.startEngine();
    const names = ((await harness.pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1`, [NAMESPACE])).rows).map((row) => row.name);
    expect(names.length).toBeGreaterThan(3);
    // A create admitted into the (unlimited) namespace and not yet committed holds the deletion
    // back, so the deletion cannot miss its VM; a create after the deletion is refused.
    const inFlight = await harness.pool.connect();
    await inFlight.query("BEGIN");
    await assertNamespaceAdmits(inFlight, NAMESPACE, { name: "in-flight", className: "best-effort-small", imageName: "ubuntu-24.04-server", powerState: "PoweredOn" });
    let deleted = false;
    const deletion = deleteNamespace(ADMIN, { name: NAMESPACE }, harness.pool).then(() => (deleted = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(deleted).toBe(false);
    await inFlight.query("COMMIT");
    inFlight.release();
    await deletion;
    await expect(createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "too-late", spec: vmSpec() }, harness.pool)).rejects.toThrow(InvalidInputError);
    await waitFor(
      async () => (await harness.pool.query(`SELECT 1 FROM resources WHERE kind = 'Namespace' AND name = $1`, [NAMESPACE])).rowCount === 0,
      "the namespace to go",
      30_000,
    );
    for (const name of names) expect(await vmStatus(harness.pool, name)).toBeNull();
    const { rows: podTasks } = await harness.pool.query<{ target_name: string; initiator: string; state: string }>(
      `SELECT target_name, initiator, state FROM tasks WHERE operation = 'Pod.delete' AND target_namespace = $1 ORDER BY target_name`,
      [NAMESPACE],
    );
    expect(podTasks.map((task) => task.target_name)).toHaveLength(3);
    expect(podTasks.every((task) => task.target_name.startsWith("pod-race-") && task.initiator === "admin" && task.state === "success")).toBe(true);
    const { rows: tasks } = await harness.pool.query<{ target_name: string; initiator: string; state: string }>(
      `SELECT target_name, initiator, state FROM tasks WHERE operation = 'VirtualMachine.delete' AND target_namespace = $1`,
      [NAMESPACE],
    );
    expect(tasks.map((task) => task.target_name).sort()).toEqual([...names].sort());
    expect(tasks.every((task) => task.initiator === "admin" && task.state === "success")).toBe(true);
    const { rows: namespaceTasks } = await harness.pool.query<{ state: string }>(`SELECT state FROM tasks WHERE operation = 'Namespace.delete' AND target_name = $1`, [NAMESPACE]);
    expect(namespaceTasks).toEqual([{ state: "success" }]);
  });
});
