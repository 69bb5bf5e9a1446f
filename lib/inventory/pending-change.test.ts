import { describe, expect, it } from "vitest";
import { describePendingChange } from "@/lib/inventory/pending-change";

const converged = {
  kind: "VirtualMachine" as const,
  generation: 2,
  spec: { powerState: "PoweredOn" },
  status: { powerState: "PoweredOn", observedGeneration: 2, conditions: [{ type: "Ready", status: "True" }] },
  deletionTimestamp: null,
  finalizers: [],
  activeTask: null,
};

describe("what a page says when desired and observed state differ", () => {
  it("says nothing for a converged object", () => {
    expect(describePendingChange(converged)).toBeNull();
  });

  it("says nothing of a moved or renamed VM folder, which no controller observes", () => {
    expect(describePendingChange({ ...converged, kind: "Folder" as const, generation: 3, spec: { datacenter: "dc-boston", parent: null }, status: {} })).toBeNull();
  });

  it("says nothing of a running pod, which has no observedGeneration, and that a pod waits for a host while none can take it", () => {
    const pod = { ...converged, kind: "Pod" as const, generation: 1, spec: { containers: [] }, status: { phase: "Running", conditions: [{ type: "PodScheduled", status: "True" }] } };
    expect(describePendingChange(pod)).toBeNull();
    const unscheduled = { type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/3 nodes are available: 3 Insufficient memory." };
    expect(describePendingChange({ ...pod, status: { phase: "Pending", conditions: [unscheduled] } })).toEqual({
      headline: "Waiting for a host to run it",
      progress: null,
      condition: unscheduled,
      taskId: null,
      tone: "warning",
    });
  });

  it("shows the running task's progress in the words the controller reported", () => {
    const pending = describePendingChange({
      ...converged,
      spec: { powerState: "PoweredOn" },
      status: { ...converged.status, powerState: "PoweredOff", observedGeneration: 1 },
      activeTask: { id: "t1", description: "Power on virtual machine web-01", state: "running", progress: 40, progressMessage: "Powering on — 40 %" },
    });
    expect(pending).toMatchObject({ headline: "Powering on — 40 %", progress: 40, taskId: "t1", tone: "progress" });
  });

  it("counts migrated VMs while a host enters maintenance mode", () => {
    const pending = describePendingChange({
      ...converged,
      kind: "Host",
      spec: { maintenanceMode: true },
      status: { inMaintenanceMode: false, maintenance: { state: "Entering", total: 9, remaining: 6, message: "" } },
    });
    expect(pending).toMatchObject({ headline: "Entering maintenance mode: 3 of 9 VMs migrated", progress: 33 });
  });

  it("names the condition that explains a wait", () => {
    const placementFailed = { type: "PlacementReady", status: "False", reason: "InsufficientCapacity", message: "No host has 64 GiB free." };
    const pending = describePendingChange({
      ...converged,
      status: { observedGeneration: 1, conditions: [{ type: "Ready", status: "False" }, placementFailed] },
      activeTask: { id: "t2", description: "Create virtual machine db-01", state: "running", progress: 0, progressMessage: "Waiting for capacity: No host has 64 GiB free." },
    });
    expect(pending).toMatchObject({ tone: "warning", condition: placementFailed });
  });

  it("says what a deletion waits for", () => {
    const pending = describePendingChange({ ...converged, deletionTimestamp: "2026-11-25T00:00:00Z", finalizers: ["vmoperator.vmware.com/virtualmachine"] });
    expect(pending?.headline).toBe("Being deleted — waiting for vmoperator.vmware.com/virtualmachine");
  });
});
