// The real kubectl and the field managers of writes other than server-side apply: kubectl edit,
// patch, label, create and client-side apply each own what they set or changed as an "Update"
// entry of managedFields, take it from the other managers without conflict, and are the manager a
// later server-side apply conflicts with, as on a real cluster.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { updateVirtualMachine } from "@/lib/engine/operations/vm-update";
import { NAMESPACE, OPERATOR } from "@/lib/testing/engine-harness";
import { createKubeHarness, vmManifest, type KubeHarness } from "@/lib/testing/kube-harness";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6490 });
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());


interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsV1: { "f:metadata"?: Record<string, Record<string, unknown>>; "f:spec"?: Record<string, unknown> };
}

async function managedFields(kind: string, name: string, namespaced = true): Promise<ManagedFieldsEntry[]> {
  const result = await kube.kubectl(["get", kind, name, ...(namespaced ? ["-n", NAMESPACE] : []), "-o", "json", "--show-managed-fields"]);
  expect(result.stderr).toBe("");
  return (JSON.parse(result.stdout) as { metadata: { managedFields?: ManagedFieldsEntry[] } }).metadata.managedFields ?? [];
}

const managers = (entries: ManagedFieldsEntry[]) => entries.map((entry) => [entry.manager, entry.operation]);
const specFields = (entries: ManagedFieldsEntry[], manager: string, operation: string) => Object.keys(entries.find((entry) => entry.manager === manager && entry.operation === operation)?.fieldsV1["f:spec"] ?? {});

/** An editor for `kubectl edit` that turns the first `from` (spec comes before status) into `to`. */
function editor(from: string, to: string): string {
  const script = path.join(mkdtempSync(path.join(kube.scratchDir, "editor-")), "edit.sh");
  writeFileSync(script, `#!/bin/sh\nsed -i '0,/${from}/s//${to}/' "$1"\n`);
  chmodSync(script, 0o755);
  return script;
}

describe("Update field managers", () => {
  test("kubectl edit takes a field from the applier as an Update manager; the applier's next apply conflicts with it until forced", async () => {
    expect((await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vmManifest("edited", "PoweredOff") })).stderr).toBe("");

    const edit = editor("powerState: PoweredOff", "powerState: PoweredOn");
    const edited = await kube.kubectl(["edit", "vm", "edited", "-n", NAMESPACE], { env: { KUBE_EDITOR: edit, EDITOR: edit } });
    expect(edited.stderr).toBe("");
    expect(edited.stdout.trim()).toBe("virtualmachine.vmoperator.vmware.com/edited edited");

    const afterEdit = await managedFields("vm", "edited");
    expect(managers(afterEdit)).toEqual([["kubectl", "Apply"], ["kubectl-edit", "Update"]]);
    expect(afterEdit[1]).toMatchObject({ apiVersion: "vmoperator.vmware.com/v1alpha3", fieldsV1: { "f:spec": { "f:powerState": {} } } });
    expect(specFields(afterEdit, "kubectl", "Apply")).toEqual(["f:className", "f:imageName", "f:storageClass"]);
    const yaml = await kube.kubectl(["get", "vm", "edited", "-n", NAMESPACE, "-o", "yaml", "--show-managed-fields"]);
    expect(yaml.stdout).toMatch(/f:powerState: \{\}\n\s+manager: kubectl-edit\n\s+operation: Update\n/);

    const reapplied = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vmManifest("edited", "PoweredOff") });
    expect(reapplied.code).not.toBe(0);
    expect(reapplied.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl-edit" using vmoperator.vmware.com/v1alpha3: .spec.powerState');

    const forced = await kube.kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: vmManifest("edited", "PoweredOff") });
    expect(forced.stderr).toBe("");
    const afterForce = await managedFields("vm", "edited");
    // kubectl-edit owned nothing else, so its entry is gone.
    expect(managers(afterForce)).toEqual([["kubectl", "Apply"]]);
    expect(specFields(afterForce, "kubectl", "Apply")).toContain("f:powerState");
    const { spec } = JSON.parse((await kube.kubectl(["get", "vm", "edited", "-n", NAMESPACE, "-o", "json"])).stdout) as { spec: { powerState: string } };
    expect(spec.powerState).toBe("PoweredOff");
  });

  test("what the console changes after kubectl edit and kubectl label is no listed manager's: an apply over it conflicts with \"skylight\"", async () => {
    expect((await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vmManifest("console-changed", "PoweredOff") })).stderr).toBe("");
    expect((await kube.kubectl(["label", "vm", "console-changed", "-n", NAMESPACE, "tier=web"])).stderr).toBe("");
    const edit = editor("powerState: PoweredOff", "powerState: PoweredOn");
    expect((await kube.kubectl(["edit", "vm", "console-changed", "-n", NAMESPACE], { env: { KUBE_EDITOR: edit, EDITOR: edit } })).stderr).toBe("");
    // Update entries in the same second go by manager name, so compare them as a set.
    expect(managers(await managedFields("vm", "console-changed")).sort()).toEqual([["kubectl", "Apply"], ["kubectl-edit", "Update"], ["kubectl-label", "Update"]]);

    // The console powers the VM off and drops the label in one change of its own.
    const current = JSON.parse((await kube.kubectl(["get", "vm", "console-changed", "-n", NAMESPACE, "-o", "json"])).stdout) as { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
    const { tier: _dropped, ...labels } = current.metadata.labels;
    await updateVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: "console-changed", labels, annotations: {}, spec: { ...current.spec, powerState: "PoweredOff" } }, kube.pool);
    const afterConsole = await managedFields("vm", "console-changed");
    expect(managers(afterConsole)).toEqual([["kubectl", "Apply"]]);
    expect(specFields(afterConsole, "kubectl", "Apply")).not.toContain("f:powerState");

    const applied = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vmManifest("console-changed", "PoweredOn") });
    expect(applied.stderr).toContain('Apply failed with 1 conflict: conflict with "skylight" using vmoperator.vmware.com/v1alpha3: .spec.powerState');
    expect((await kube.kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: vmManifest("console-changed", "PoweredOn") })).stderr).toBe("");
    expect(specFields(await managedFields("vm", "console-changed"), "kubectl", "Apply")).toContain("f:powerState");
    // kubectl-edit owned only powerState, which the forced apply took: its entry is gone from this VM.
    const { rows } = await kube.pool.query<{ manager: string }>(
      `SELECT c.manager FROM kube_applied_configurations c JOIN resources r ON r.uid = c.uid
        WHERE r.kind = 'VirtualMachine' AND r.namespace = $1 AND r.name = 'console-changed' ORDER BY c.manager`,
      [NAMESPACE],
    );
    expect(rows.map((row) => row.manager)).toContain("kubectl");
    expect(rows.map((row) => row.manager)).not.toContain("kubectl-edit");
  });

  test("client-side kubectl apply, kubectl create and kubectl label record their managers as Update; a no-op or dry-run patch records nothing", async () => {
    expect((await kube.kubectl(["apply", "-f", "-"], { input: vmManifest("client-applied", "PoweredOff") })).stderr).toBe("");
    const applied = await managedFields("vm", "client-applied");
    expect(managers(applied)).toEqual([["kubectl-client-side-apply", "Update"]]);
    expect(applied[0]!.fieldsV1["f:metadata"]!["f:annotations"]).toHaveProperty(["f:kubectl.kubernetes.io/last-applied-configuration"]);
    expect(specFields(applied, "kubectl-client-side-apply", "Update")).toEqual(expect.arrayContaining(["f:className", "f:imageName", "f:powerState", "f:storageClass"]));

    expect((await kube.kubectl(["label", "vm", "client-applied", "-n", NAMESPACE, "tier=web"])).stderr).toBe("");
    const labelled = await managedFields("vm", "client-applied");
    expect(managers(labelled)).toEqual([["kubectl-client-side-apply", "Update"], ["kubectl-label", "Update"]]);
    expect(labelled[1]!.fieldsV1).toEqual({ "f:metadata": { "f:labels": { ".": {}, "f:tier": {} } } });

    const samePowerState = '{"spec":{"powerState":"PoweredOff"}}';
    expect((await kube.kubectl(["patch", "vm", "client-applied", "-n", NAMESPACE, "--type=merge", "--field-manager=noop-bot", "-p", samePowerState])).stderr).toBe("");
    const dryRun = await kube.kubectl(["patch", "vm", "client-applied", "-n", NAMESPACE, "--type=merge", "--field-manager=dry-bot", "--dry-run=server", "-p", '{"spec":{"powerState":"PoweredOn"}}']);
    expect(dryRun.stderr).toBe("");
    expect(managers(await managedFields("vm", "client-applied"))).toEqual([["kubectl-client-side-apply", "Update"], ["kubectl-label", "Update"]]);

    expect((await kube.kubectl(["create", "-f", "-"], { input: vmManifest("created", "PoweredOff") })).stderr).toBe("");
    const created = await managedFields("vm", "created");
    expect(managers(created)).toEqual([["kubectl-create", "Update"]]);
    expect(specFields(created, "kubectl-create", "Update")).toEqual(expect.arrayContaining(["f:className", "f:imageName", "f:powerState", "f:storageClass"]));
  });

  test("a host's spec through kubectl patch is owned by kubectl-patch; a request without fieldManager is owned by its User-Agent's product", async () => {
    expect((await kube.kubectl(["patch", "host", "esx-2.test", "--type=merge", "-p", '{"spec":{"maintenanceMode":true}}'])).stderr).toBe("");
    const host = await managedFields("host", "esx-2.test", false);
    expect(managers(host)).toEqual([["kubectl-patch", "Update"]]);
    expect(host[0]!.fieldsV1).toEqual({ "f:spec": { "f:maintenanceMode": {} } });
    expect((await kube.kubectl(["patch", "host", "esx-2.test", "--type=merge", "-p", '{"spec":{"maintenanceMode":false}}'])).stderr).toBe("");

    expect((await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vmManifest("scripted", "PoweredOff") })).stderr).toBe("");
    const status = await new Promise<number>((resolve, reject) => {
      const patch = request(
        {
          host: "127.0.0.1",
          port: kube.server.port,
          method: "PATCH",
          path: `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines/scripted`,
          ca: kube.server.certificateAuthorityPem,
          headers: { authorization: `Bearer ${kube.tokens.operator}`, "content-type": "application/merge-patch+json", "user-agent": "power-script/2.1 (linux)" },
        },
        (response) => resolve(response.resume().statusCode ?? 0),
      );
      patch.on("error", reject);
      patch.end(JSON.stringify({ spec: { powerState: "PoweredOn" } }));
    });
    expect(status).toBe(200);
    const scripted = await managedFields("vm", "scripted");
    expect(managers(scripted)).toEqual([["kubectl", "Apply"], ["power-script", "Update"]]);
    expect(specFields(scripted, "power-script", "Update")).toEqual(["f:powerState"]);

    // One manager may own fields both by apply and by update: two entries.
    expect((await kube.kubectl(["patch", "vm", "scripted", "-n", NAMESPACE, "--field-manager=kubectl", "--type=merge", "-p", '{"metadata":{"labels":{"tier":"web"}}}'])).stderr).toBe("");
    const both = await managedFields("vm", "scripted");
    expect(managers(both).sort()).toEqual([["kubectl", "Apply"], ["kubectl", "Update"], ["power-script", "Update"]]);
    expect(both.find((entry) => entry.manager === "kubectl" && entry.operation === "Update")!.fieldsV1).toEqual({ "f:metadata": { "f:labels": { ".": {}, "f:tier": {} } } });
  });
});
