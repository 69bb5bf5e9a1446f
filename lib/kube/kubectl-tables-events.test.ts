// Table output with includeObject and Skylight's events as kubectl and client-node read them:
// `--sort-by` on spec, status and lastTimestamp (kubectl asks for whole objects in the rows to sort
// them), watches of Tables, `kubectl events --for` (its involvedObject.apiVersion field selector),
// and events.k8s.io/v1 Events, with kubectl 1.27 to 1.33 where they differ in what they send.
import { request as httpsRequest } from "node:https";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { setNamespacePermissions } from "@/lib/engine/operations/namespace-operations";
import { NAMESPACE, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const KUBECTL = (minor: number) => `/usr/lib/google-cloud-sdk/bin/kubectl.1.${minor}`;
const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
const VMS_PATH = `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines`;

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  kube.startEngine();
  // Names in the opposite order to their classes, so a sort by class is not the list's own order.
  const classes = { "a-vm": "guaranteed-small", "b-vm": "best-effort-small", "c-vm": "best-effort-large" };
  for (const [name, className] of Object.entries(classes)) {
    await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name, spec: vmSpec({ className, powerState: "PoweredOff" }) }, kube.pool);
  }
  // Two older events of a-vm, written newest first, so that by time they come before the list's order.
  for (const [reason, age] of [["Test.hourAgo", "1 hour"], ["Test.twoHoursAgo", "2 hours"]]) {
    await kube.pool.query(
      `INSERT INTO events (time, severity, reason, message, object_kind, object_namespace, object_name, object_uid)
       SELECT now() - $1::interval, 'info', $2, $2, kind, namespace, name, uid FROM resources WHERE kind = 'VirtualMachine' AND name = 'a-vm'`,
      [age, reason],
    );
  }
});
afterAll(async () => kube?.stopKube());

/** The first column of each row kubectl printed, without the header. */
const firstColumn = (stdout: string) => stdout.trim().split("\n").slice(1).map((line) => line.split(/\s+/)[0]);

/** One HTTPS request for a Table, as kubectl get sends it; for a watch, its first event. */
function getTable(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      { host: "127.0.0.1", port: kube.server.port, path, ca: kube.server.certificateAuthorityPem, agent: false, headers: { authorization: `Bearer ${kube.tokens.operator}`, accept: TABLE_ACCEPT } },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
          const line = text.split("\n")[0]!;
          if (path.includes("watch=true") && text.includes("\n")) {
            response.destroy();
            resolve({ status: response.statusCode!, body: (JSON.parse(line) as { object: Record<string, unknown> }).object });
          }
        });
        response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

type Row = { cells: unknown[]; object?: { kind?: string; apiVersion?: string; metadata: { name: string; managedFields?: unknown[] }; spec?: { className?: string } } };

describe("Table output honours includeObject", () => {
  test("kubectl 1.27 and 1.33 sort VMs by a spec field, hosts by a status field and events by lastTimestamp", async () => {
    // esx-1 disconnected: by connection state it comes last, after the connected esx-2 and esx-3.
    expect((await kube.kubectl(["patch", "host", "esx-1.test", "--type=merge", "-p", '{"spec":{"disconnected":true}}'])).stderr).toBe("");
    await waitFor(async () => (await kube.kubectl(["get", "host", "esx-1.test", "-o", "jsonpath={.status.connectionState}"])).stdout === "disconnected", "esx-1 to disconnect");
    const sorted = await Promise.all(
      [27, 33].map(async (minor) => {
        const binary = KUBECTL(minor);
        return Promise.all([
          kube.kubectl(["get", "vm", "-n", NAMESPACE, "--sort-by=.spec.className"], { binary }),
          kube.kubectl(["get", "hosts", "--sort-by=.status.connectionState"], { binary }),
          kube.kubectl(["get", "events", "-n", NAMESPACE, "--sort-by=.lastTimestamp", "-o", "wide"], { binary }),
          // Custom columns read plain objects (no Table), sorted all the same.
          kube.kubectl(["get", "vm", "-n", NAMESPACE, "--sort-by=.spec.className", "-o", "custom-columns=NAME:.metadata.name,CLASS:.spec.className"], { binary }),
        ]);
      }),
    );
    for (const [vms, hosts, events, columns] of sorted) {
      expect(vms.stderr).toBe("");
      expect(firstColumn(vms.stdout)).toEqual(["c-vm", "b-vm", "a-vm"]);
      expect(hosts.stderr).toBe("");
      expect(firstColumn(hosts.stdout)).toEqual(["esx-2.test", "esx-3.test", "esx-1.test"]);
      expect(events.stderr).toBe("");
      const reasons = events.stdout.trim().split("\n").slice(1).map((line) => line.split(/\s+/)[3]);
      expect(reasons.slice(0, 2)).toEqual(["Test.twoHoursAgo", "Test.hourAgo"]);
      expect(reasons).toContain("VirtualMachine.create");
      expect(columns.stdout.trim().split("\n").map((line) => line.split(/\s+/))).toEqual([["NAME", "CLASS"], ["c-vm", "best-effort-large"], ["b-vm", "best-effort-small"], ["a-vm", "guaranteed-small"]]);
    }
  });

  test("rows carry the whole object, its metadata or nothing, as asked; a list, a get and a watch alike; another value is refused by name", async () => {
    const [whole, metadata, none, got, watched, refused] = await Promise.all([
      getTable(`${VMS_PATH}?includeObject=Object`),
      getTable(VMS_PATH),
      getTable(`${VMS_PATH}?includeObject=None`),
      getTable(`${VMS_PATH}/a-vm?includeObject=Object`),
      getTable(`${VMS_PATH}?watch=true&includeObject=Object`),
      getTable(`${VMS_PATH}?includeObject=Everything`),
    ]);
    const rows = (table: { body: Record<string, unknown> }) => table.body.rows as Row[];
    const object = rows(whole).find((row) => row.object?.metadata.name === "a-vm")!.object!;
    expect(object).toMatchObject({ kind: "VirtualMachine", apiVersion: "vmoperator.vmware.com/v1alpha3", spec: { className: "guaranteed-small" } });
    expect(rows(got)[0]!.object).toEqual(object);
    expect((watched.body.rows as Row[])[0]!.object).toMatchObject({ kind: "VirtualMachine", spec: { className: expect.any(String) } });
    expect(rows(metadata)[0]!.object).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
    expect(rows(metadata)[0]!.object!.spec).toBeUndefined();
    expect(rows(none).map((row) => row.object)).toEqual([undefined, undefined, undefined]);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe(`includeObject: Invalid value: "Everything": must be 'Metadata', 'Object', 'None', or empty`);
  });

  test("an Object row has the managedFields a plain get returns", async () => {
    expect((await kube.kubectl(["label", "vm", "b-vm", "-n", NAMESPACE, "tier=web"])).stderr).toBe("");
    const plain = JSON.parse((await kube.kubectl(["get", "vm", "b-vm", "-n", NAMESPACE, "-o", "json", "--show-managed-fields"])).stdout) as { metadata: { managedFields: unknown[] } };
    expect(plain.metadata.managedFields.length).toBeGreaterThan(0);
    const { body } = await getTable(`${VMS_PATH}/b-vm?includeObject=Object`);
    expect((body.rows as Row[])[0]!.object!.metadata.managedFields).toEqual(plain.metadata.managedFields);
  });
});

describe("Events", () => {
  test("kubectl events --for prints that VM's events and not another's, on kubectl 1.29 and 1.33", async () => {
    const results = await Promise.all([29, 33].map((minor) => kube.kubectl(["events", "-n", NAMESPACE, "--for", "vm/a-vm"], { binary: KUBECTL(minor) })));
    for (const result of results) {
      expect(result.stderr).toBe("");
      const lines = result.stdout.trim().split("\n");
      expect(lines[0]!.split(/\s{2,}/)).toEqual(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
      const objects = lines.slice(1).map((line) => line.split(/\s+/)[3]);
      expect(objects.length).toBeGreaterThanOrEqual(3);
      expect(new Set(objects)).toEqual(new Set(["VirtualMachine/a-vm"]));
      expect(result.stdout).toContain("olivia created virtual machine apps/a-vm");
      expect(result.stdout).not.toContain("apps/b-vm");
    }
  });

  test("every event names its object's apiVersion, and kube-apiserver's Event fields select", async () => {
    type Event = { metadata: { name: string }; reason: string; type: string; involvedObject: { kind: string; name: string; apiVersion: string } };
    // As kubectl get --field-selector sends them; the selectors alone are this test's subject, so plain requests.
    const list = (selector: string) => kube.request("GET", `/api/v1/namespaces/${NAMESPACE}/events?fieldSelector=${encodeURIComponent(selector)}`, { as: "operator" });
    const selected = async (selector: string) => {
      const response = await list(selector);
      expect(response.status).toBe(200);
      return (response.json().items as Event[]).map((event) => event.metadata.name);
    };
    const [all, vms, createdB, warnings, noFieldPath, namespaces, unknown] = await Promise.all([
      list(""),
      selected("involvedObject.apiVersion=vmoperator.vmware.com/v1alpha3,involvedObject.kind=VirtualMachine"),
      selected("involvedObject.name=b-vm,involvedObject.namespace=apps,reason=VirtualMachine.create,type=Normal,reportingComponent=skylight,source=skylight (olivia)"),
      selected("type=Warning"),
      selected("involvedObject.fieldPath=,involvedObject.resourceVersion="),
      selected("involvedObject.apiVersion!=vmoperator.vmware.com/v1alpha3"),
      list("involvedObject.color=red"),
    ]);
    const events = all.json().items as Event[];
    const names = (keep: (event: Event) => boolean) => events.filter(keep).map((event) => event.metadata.name);
    expect(events.filter((event) => event.involvedObject.kind === "VirtualMachine").every((event) => event.involvedObject.apiVersion === "vmoperator.vmware.com/v1alpha3")).toBe(true);
    expect(events.filter((event) => event.involvedObject.kind === "Namespace").every((event) => event.involvedObject.apiVersion === "v1")).toBe(true);

    expect(vms).toEqual(names((event) => event.involvedObject.kind === "VirtualMachine"));
    expect(vms.length).toBeGreaterThanOrEqual(5);
    expect(createdB).toEqual(names((event) => event.involvedObject.name === "b-vm" && event.reason === "VirtualMachine.create"));
    expect(createdB.length).toBe(1);
    expect(warnings).toEqual(names((event) => event.type === "Warning"));
    expect(noFieldPath).toEqual(names(() => true));
    expect(namespaces).toEqual(names((event) => event.involvedObject.kind !== "VirtualMachine"));
    expect(unknown.status).toBe(400);
    expect(unknown.json().message).toContain("field label not supported: involvedObject.color");
  });

  test("events.k8s.io/v1 serves the same events in its shape: discovered, explained, listed by client-node with its field selectors", async () => {
    const config = new k8s.KubeConfig();
    config.loadFromFile(kube.kubeconfig.developer);
    // The developer sees only their namespaces' events: a view role in this one.
    await setNamespacePermissions(OPERATOR, { name: NAMESPACE, permissions: [{ kind: "User", name: "dev", role: "view" }] }, kube.pool);
    const events = config.makeApiClient(k8s.EventsV1Api);
    const list = await events.listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: "regarding.kind=VirtualMachine,regarding.name=a-vm,regarding.apiVersion=vmoperator.vmware.com/v1alpha3,reportingController=skylight" });
    expect(list.items.map((event) => event.reason)).toEqual(expect.arrayContaining(["Test.hourAgo", "Test.twoHoursAgo", "VirtualMachine.create"]));
    expect(new Set(list.items.map((event) => event.regarding?.name))).toEqual(new Set(["a-vm"]));
    const created = list.items.find((event) => event.reason === "VirtualMachine.create")!;
    expect(created).toMatchObject({
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      regarding: { kind: "VirtualMachine", apiVersion: "vmoperator.vmware.com/v1alpha3", namespace: NAMESPACE, name: "a-vm" },
      note: "olivia created virtual machine apps/a-vm",
      type: "Normal",
      reportingController: "skylight",
      deprecatedSource: { component: "skylight (olivia)" },
      deprecatedCount: 1,
    });
    expect(created.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const one = await events.readNamespacedEvent({ namespace: NAMESPACE, name: created.metadata!.name! });
    expect(one.note).toBe(created.note);
    // The same event through core v1, selected by the apiVersion kubectl events sends.
    const core = await config.makeApiClient(k8s.CoreV1Api).listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: `involvedObject.apiVersion=vmoperator.vmware.com/v1alpha3,metadata.name=${created.metadata!.name!}` });
    expect(core.items.map((event) => [event.involvedObject.apiVersion, event.message])).toEqual([["vmoperator.vmware.com/v1alpha3", created.note]]);

    const [resources, explained, printed, refused] = await Promise.all([
      kube.kubectl(["api-resources", "--api-group=events.k8s.io"]),
      kube.kubectl(["explain", "events.regarding", "--api-version=events.k8s.io/v1"]),
      kube.kubectl(["get", "events.v1.events.k8s.io", "-n", NAMESPACE, "--field-selector", "regarding.name=c-vm"]),
      kube.kubectl(["get", "events.events.k8s.io", "-n", NAMESPACE, "--field-selector", "involvedObject.name=c-vm"]),
    ]);
    expect(resources.stdout).toMatch(/^events\s+events\.k8s\.io\/v1\s+true\s+Event$/m);
    expect(explained.stderr).toBe("");
    expect(explained.stdout).toMatch(/^GROUP:\s+events\.k8s\.io$/m);
    expect(explained.stdout).toContain("The API version the kind is served in.");
    expect(printed.stderr).toBe("");
    expect(printed.stdout).toMatch(/^\S+\s+Normal\s+VirtualMachine\.create\s+virtualmachine\/c-vm\s+olivia created virtual machine apps\/c-vm$/m);
    expect(refused.stderr).toContain("field label not supported: involvedObject.name");
  });
});

describe("Refusal wording", () => {
  test("a developer who is not the namespace's owner is told they may not change its labels", async () => {
    await setNamespacePermissions(OPERATOR, { name: NAMESPACE, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
    const labelled = await kube.kubectl(["label", "namespace", NAMESPACE, "team=web"], { as: "developer" });
    expect(labelled.stderr.trim()).toBe(
      `Error from server (Forbidden): namespaces "${NAMESPACE}" is forbidden: User "dev" cannot patch resource "namespaces" in API group "" at the cluster scope: Only owners of namespace ${NAMESPACE}, administrators and operators can change its labels, annotations and who may use it.`,
    );
  });

  test("a developer's write to a host names the verb refused and why", async () => {
    const host = `apiVersion: skylight.io/v1alpha1\nkind: Host\nmetadata:\n  name: esx-2.test\nspec:\n  cluster: test-cluster\n  maintenanceMode: true\n`;
    const [patched, replaced, byName] = await Promise.all([
      kube.kubectl(["patch", "-f", "-", "--type=merge", "-p", '{"spec":{"maintenanceMode":true}}'], { as: "developer", input: host }),
      kube.kubectl(["replace", "-f", "-"], { as: "developer", input: host }),
      // kubectl label, annotate and patch by name read the object first (the builder's RetrieveLazy),
      // against kube-apiserver too: that read is what is refused, and the answer names it.
      kube.kubectl(["label", "host", "esx-2.test", "owner=dev"], { as: "developer" }),
    ]);
    const refusal = (verb: string, why: string) =>
      `hosts.skylight.io "esx-2.test" is forbidden: User "dev" cannot ${verb} resource "hosts" in API group "skylight.io" at the cluster scope: ${why}`;
    expect(patched.stderr.trim()).toBe(`Error from server (Forbidden): ${refusal("patch", "only administrators and operators can change hosts")}`);
    expect(replaced.stderr.trim()).toBe(`Error from server (Forbidden): error when replacing "STDIN": ${refusal("update", "only administrators and operators can change hosts")}`);
    expect(byName.stderr.trim()).toBe(`Error from server (Forbidden): ${refusal("get", "only administrators and operators can see hosts, datacenters, networks and tasks")}`);
    expect((await kube.kubectl(["get", "host", "esx-2.test", "-o", "jsonpath={.metadata.labels.owner}/{.spec.maintenanceMode}"])).stdout).toBe("/false");
  });
});
