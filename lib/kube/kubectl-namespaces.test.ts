// The real kubectl managing namespaces: an administrator creates them anywhere, a developer through
// the cluster's self-service template and within its limits; `kubectl delete vm --all` empties
// one, and deleting one deletes its VMs while `kubectl get ns -w` shows it Terminating until gone.
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { CLUSTER, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, KUBECTL, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6471 });
  kube.startEngine();
  const { rows } = await kube.pool.query<{ id: string }>(`INSERT INTO user_groups (name) VALUES ('developers') RETURNING id`);
  await kube.pool.query(`INSERT INTO user_group_members (group_id, user_id) VALUES ($1, 'user-dev')`, [rows[0]!.id]);
  await kube.pool.query(
    `INSERT INTO namespace_templates (cluster, default_cpu, max_cpu, max_memory_mib, vm_classes, groups) VALUES ($1, 4, 8, 32768, '{best-effort-small,best-effort-large}', '{developers}')`,
    [CLUSTER],
  );
});
afterAll(async () => kube?.stopKube());

const manifest = (name: string, extra = "") => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
  labels:
    team: web
${extra}`;

async function namespaceJson(name: string, as: "administrator" | "developer" = "administrator") {
  const result = await kube.kubectl(["get", "namespace", name, "-o", "json"], { as });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: Record<string, unknown>; status: { phase: string } };
}

describe("kubectl manages namespaces", () => {
  test("an administrator creates, applies, relabels and limits namespaces; the cluster defaults to the one template", async () => {
    const created = await kube.kubectl(["create", "namespace", "team-a"], { as: "administrator" });
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("namespace/team-a created");
    const teamA = await namespaceJson("team-a");
    expect(teamA.spec.cluster).toBe(CLUSTER);
    expect(teamA.metadata.labels["skylight.io/cluster"]).toBe(CLUSTER);
    expect(teamA.status.phase).toBe("Active");

    const again = await kube.kubectl(["create", "namespace", "team-a"], { as: "administrator" });
    expect(again.stderr.trim()).toBe('Error from server (AlreadyExists): namespaces "team-a" already exists');

    const applied = await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: manifest("team-b", `spec:\n  cluster: ${CLUSTER}\n  limits:\n    cpu: 64\n  permissions:\n  - kind: User\n    name: dev\n    role: edit\n`) });
    expect(applied.stderr).toBe("");
    expect(applied.stdout.trim()).toBe("namespace/team-b created");
    const teamB = await namespaceJson("team-b");
    expect(teamB.spec).toMatchObject({ cluster: CLUSTER, limits: { cpu: 64 }, permissions: [{ kind: "User", name: "dev", role: "edit" }] });
    expect(teamB.metadata.labels.team).toBe("web");

    const reapplied = await kube.kubectl(["apply", "-f", "-"], { as: "administrator", input: manifest("team-b", `spec:\n  cluster: ${CLUSTER}\n  limits:\n    cpu: 32\n  permissions:\n  - kind: User\n    name: dev\n    role: edit\n`).replace("team: web", "team: shop") });
    expect(reapplied.stderr).toBe("");
    expect(reapplied.stdout.trim()).toBe("namespace/team-b configured");
    const labelled = await kube.kubectl(["label", "namespace", "team-b", "tier=gold"], { as: "administrator" });
    expect(labelled.stdout.trim()).toBe("namespace/team-b labeled");
    const changed = await namespaceJson("team-b");
    expect(changed.spec.limits).toEqual({ cpu: 32 });
    expect(changed.metadata.labels).toEqual({ team: "shop", tier: "gold", "skylight.io/cluster": CLUSTER });

    const moved = await kube.kubectl(["patch", "namespace", "team-b", "--type=merge", "-p", '{"spec":{"cluster":"elsewhere"}}'], { as: "administrator" });
    expect(moved.stderr).toContain('The Namespace "team-b" is invalid: spec.cluster: Invalid value: "elsewhere": field is immutable');
    const badName = await kube.kubectl(["create", "namespace", "Team_C"], { as: "administrator" });
    expect(badName.stderr).toContain('The Namespace "Team_C" is invalid: metadata.name:');
    const { rows } = await kube.pool.query(`SELECT operation, initiator FROM tasks WHERE target_name = 'team-b' ORDER BY queued_at`);
    expect(rows.map((row) => row.operation)).toEqual(["Namespace.create", "Namespace.update", "Namespace.setMetadata", "Namespace.setMetadata"]);
  });

  test("server-side apply and dry run work on namespaces as on VMs", async () => {
    const applied = manifest("team-ssa", "spec:\n  limits:\n    cpu: 4\n");
    expect((await kube.kubectl(["apply", "--server-side", "-f", "-"], { as: "administrator", input: applied })).stdout.trim()).toBe("namespace/team-ssa serverside-applied");
    expect((await kube.kubectl(["apply", "--server-side", "-f", "-"], { as: "administrator", input: applied.replace("cpu: 4", "cpu: 6") })).stderr).toBe("");
    const result = await kube.kubectl(["get", "namespace", "team-ssa", "-o", "json", "--show-managed-fields"], { as: "administrator" });
    const applyOwned = JSON.parse(result.stdout) as { spec: { limits: { cpu: number } }; metadata: { managedFields: { manager: string; operation: string; fieldsV1: unknown }[] } };
    expect(applyOwned.spec.limits.cpu).toBe(6);
    expect(applyOwned.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: "kubectl", operation: "Apply", fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:team": {} } }, "f:spec": { "f:limits": { ".": {}, "f:cpu": {} } } } }),
    ]);

    const dry = await kube.kubectl(["create", "namespace", "dry-ns", "--dry-run=server"], { as: "administrator" });
    expect(dry.stdout.trim()).toBe("namespace/dry-ns created (server dry run)");
    expect((await kube.kubectl(["get", "namespace", "dry-ns"], { as: "administrator" })).stderr).toContain("NotFound");
  });

  test("a developer creates a namespace through the template, within its limits, and owns it", async () => {
    const created = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest("dev-team", "spec:\n  limits:\n    cpu: 2\n") });
    expect(created.stderr).toBe("");
    expect(created.stdout.trim()).toBe("namespace/dev-team created");
    const owned = await namespaceJson("dev-team", "developer");
    expect(owned.spec).toMatchObject({ cluster: CLUSTER, limits: { cpu: 2, memoryMiB: 32768 }, vmClasses: ["best-effort-small", "best-effort-large"], permissions: [{ kind: "User", name: "dev", role: "owner" }] });

    const tooBig = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest("dev-big", "spec:\n  limits:\n    cpu: 64\n") });
    expect(tooBig.stderr).toContain('The Namespace "dev-big" is invalid: spec.limits.cpu: CPU limit may be at most 8 vCPUs on test-cluster; 64 vCPUs was asked.');
    const ownRules = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest("dev-rules", "spec:\n  vmClasses: [guaranteed-small]\n") });
    expect(ownRules.stderr).toContain('spec.vmClasses: Forbidden: set by the self-service template of cluster test-cluster; only an administrator chooses it');
    const defaulted = await kube.kubectl(["create", "namespace", "dev-else"], { as: "developer" });
    expect(defaulted.stdout.trim()).toBe("namespace/dev-else created");
    const noTemplate = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: manifest("dev-other", "").replace("team: web", "skylight.io/cluster: other-cluster") });
    expect(noTemplate.stderr).toContain('spec.cluster: Cluster other-cluster offers no self-service namespaces.');
    const listed = await kube.kubectl(["get", "namespaces", "-o", "name"], { as: "developer" });
    expect(listed.stdout.trim().split("\n").sort()).toEqual(["namespace/default", "namespace/dev-else", "namespace/dev-team", "namespace/team-b"]);

    // The namespace's limits hold for VMs applied with kubectl: the refusal names the limit, the usage and the ask.
    const vm = `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: big-vm
  namespace: dev-team
spec:
  className: best-effort-large
  imageName: ubuntu-24.04-server
  storageClass: test-vsan
  powerState: PoweredOn
`;
    const overQuota = await kube.kubectl(["apply", "-f", "-"], { as: "developer", input: vm });
    expect(overQuota.stderr.trim()).toBe(
      'Error from server (Forbidden): error when creating "STDIN": virtualmachines.vmoperator.vmware.com "big-vm" is forbidden: exceeded quota: dev-team, requested: cpu=4, used: cpu=0, limited: cpu=2: CPU limit of dev-team is 2 vCPUs; 0 vCPUs are in use and the VM asks for 4 vCPUs.',
    );

    // A namespace the developer did not self-serve is an administrator's to delete (kubectl-self-service-delete.test.ts has their own).
    const deleted = await kube.kubectl(["delete", "namespace", "team-b"], { as: "developer" });
    expect(deleted.stderr.trim()).toBe(
      'Error from server (Forbidden): namespaces "team-b" is forbidden: User "dev" cannot delete resource "namespaces" in API group "" at the cluster scope: Only administrators can delete namespace team-b: it was not created through self-service.',
    );
    const relabelled = await kube.kubectl(["label", "namespace", "dev-team", "owner=dev"], { as: "developer" });
    expect(relabelled.stderr).toBe("");
    const notOwner = await kube.kubectl(["label", "namespace", "team-b", "owner=dev"], { as: "developer" });
    expect(notOwner.stderr).toContain('User "dev" cannot patch resource "namespaces" in API group "" at the cluster scope: Only owners of namespace team-b, administrators and operators can change its labels, annotations and who may use it.');
  });

  test("kubectl delete vm --all empties a namespace: it lists, then deletes each VM through its finalizer", async () => {
    await kube.kubectl(["create", "namespace", "bulk-ns"], { as: "administrator" });
    for (const name of ["bulk-1", "bulk-2"]) await createVirtualMachine(OPERATOR, { namespace: "bulk-ns", name, spec: vmSpec() }, kube.pool);
    const deleted = await kube.kubectl(["delete", "vm", "--all", "-n", "bulk-ns", "--timeout=60s"], { timeoutMs: 70_000 });
    expect(deleted.stderr).toBe("");
    expect(deleted.stdout.trim().split("\n")).toEqual(['virtualmachine.vmoperator.vmware.com "bulk-1" deleted', 'virtualmachine.vmoperator.vmware.com "bulk-2" deleted']);
    expect((await kube.kubectl(["get", "vm", "-n", "bulk-ns"])).stderr.trim()).toBe("No resources found in bulk-ns namespace.");
  });

  test("deleting a namespace deletes its VMs; watch shows it Terminating, then DELETED", async () => {
    await kube.kubectl(["create", "namespace", "doomed-ns"], { as: "administrator" });
    await createVirtualMachine(OPERATOR, { namespace: "doomed-ns", name: "inside", spec: vmSpec() }, kube.pool);
    await waitFor(async () => (await kube.kubectl(["get", "vm", "inside", "-n", "doomed-ns", "-o", "jsonpath={.status.powerState}"])).stdout === "PoweredOn", "the VM to power on");

    // A list's watch, which misses nothing after the list (see "get -w streams a row" in kubectl.test.ts).
    const watcher = spawn(KUBECTL, ["get", "namespace", "--field-selector", "metadata.name=doomed-ns", "-w", "--output-watch-events"], {
      env: { ...process.env, KUBECONFIG: kube.kubeconfig.administrator },
    });
    let output = "";
    watcher.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(async () => /ADDED\s+doomed-ns\s+Active/.test(output), "the first row", 15_000, async () => output);
      const deleted = await kube.kubectl(["delete", "namespace", "doomed-ns", "--cascade=foreground", "--timeout=60s"], { as: "administrator", timeoutMs: 70_000 });
      expect(deleted.stderr).toBe("");
      expect(deleted.stdout.trim()).toBe('namespace "doomed-ns" deleted');
      await waitFor(async () => /DELETED\s+doomed-ns/.test(output), "the DELETED event", 15_000, async () => output);
      expect(output).toMatch(/MODIFIED\s+doomed-ns\s+Terminating/);
      expect(output.indexOf("Terminating")).toBeLessThan(output.indexOf("DELETED"));
    } finally {
      watcher.kill();
    }
    const gone = await kube.kubectl(["get", "namespace", "doomed-ns"], { as: "administrator" });
    expect(gone.stderr.trim()).toBe('Error from server (NotFound): namespaces "doomed-ns" not found');
    const { rows } = await kube.pool.query(`SELECT operation, initiator, state FROM tasks WHERE target_name = 'inside' AND operation = 'VirtualMachine.delete'`);
    expect(rows).toEqual([{ operation: "VirtualMachine.delete", initiator: "admin", state: "success" }]);
  });
});
