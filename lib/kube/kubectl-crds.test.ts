// CustomResourceDefinitions and custom resources through the real kubectl: an administrator
// applies a definition, it becomes Established and its kind is served (discovery, OpenAPI and
// kubectl explain, short names, the printer columns); a developer reads definitions but may not
// write them; custom resources are created, validated, defaulted, patched (merge, JSON, never
// strategic), applied server-side, listed with selectors and pages, watched, scaled and their
// status written through /status; their finalizers hold them; deleting the definition deletes its
// objects and its kind leaves discovery; names that collide with a built-in kind or another
// definition are not accepted; hostile requests are refused before any body is read.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { createCustomResourceDefinition } from "@/lib/engine/operations/custom-resource-definition-operations";
import { CLUSTER, NAMESPACE, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, vmManifest, type KubeHarness } from "@/lib/testing/kube-harness";
import type { DefinitionSpec } from "@/lib/vocabulary/custom-resource-definition";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
/** dev edits TEAM and only views PEEK. */
const TEAM = "team";
/** How often open watches look again (whether their kind is still served, among others). */
const WATCH_RECHECK_MS = 500;
const KUBECTL_127 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27";
const KUBECTL_133 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
const PEEK = "peek";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, hosts: 1, watchRecheckIntervalMs: WATCH_RECHECK_MS });
  kube.startEngine();
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  await createNamespace(ADMIN, { name: PEEK, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "view" }] }, kube.pool);
  const applied = await admin(["apply", "-f", "-"], WIDGETS);
  expect(applied.stderr).toBe("");
  const established = await admin(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s"]);
  expect(established.stderr).toBe("");
});
afterAll(async () => {
  await kube?.stopKube();
});

const admin = (args: string[], input?: string) => kube.kubectl(args, { as: "administrator", input });
const operator = (args: string[], input?: string) => kube.kubectl(args, { as: "operator", input });
const dev = (args: string[], input?: string) => kube.kubectl(args, { as: "developer", input });

const WIDGET_SCHEMA = `
        type: object
        properties:
          spec:
            type: object
            description: The widget's desired state.
            properties:
              size:
                type: string
                description: How big the widget is.
                enum: [small, large]
                default: small
              replicas:
                type: integer
                minimum: 0
                maximum: 10
                default: 1
          status:
            type: object
            properties:
              ready:
                type: boolean
              replicas:
                type: integer`;

/** A served version of Widget, with the status and scale subresources and three printer columns. */
const widgetVersion = (name: string, storage: boolean) => `  - name: ${name}
    served: true
    storage: ${storage}
    subresources:
      status: {}
      scale:
        specReplicasPath: .spec.replicas
        statusReplicasPath: .status.replicas
    additionalPrinterColumns:
    - name: Size
      type: string
      jsonPath: .spec.size
    - name: Replicas
      type: integer
      jsonPath: .spec.replicas
    - name: Age
      type: date
      jsonPath: .metadata.creationTimestamp
    schema:
      openAPIV3Schema:${WIDGET_SCHEMA}`;

const WIDGETS = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
    categories: [all]
  versions:
${widgetVersion("v1", true)}
${widgetVersion("v2", false)}
`;

/** A definition of `kind` (plural, group and scope as given), with `versions` as YAML list items. */
const definition = ({ plural, kind, group = "example.com", scope = "Namespaced" }: { plural: string; kind: string; group?: string; scope?: string }, versions: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: ${plural}.${group}}
spec:
  group: ${group}
  scope: ${scope}
  names: {plural: ${plural}, singular: ${kind.toLowerCase()}, kind: ${kind}}
  versions:
${versions}
`;

const widget = (name: string, spec: string, metadata = "") => `apiVersion: example.com/v1
kind: Widget
metadata:
  name: ${name}
  namespace: ${TEAM}
${metadata}spec:
${spec}
`;

interface Widget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; generation: number; resourceVersion: string; finalizers?: string[]; deletionTimestamp?: string; managedFields?: { manager: string; operation: string; fieldsV1?: unknown }[] };
  spec: { size?: string; replicas?: number; colour?: string };
  status?: { ready?: boolean; replicas?: number };
}
const parsed = (stdout: string) => JSON.parse(stdout) as Widget;
const getWidget = async (name: string, extra: string[] = []) => parsed((await dev(["get", "widget", name, "-n", TEAM, "-o", "json", ...extra])).stdout);

describe("CustomResourceDefinitions", () => {
  test("an applied definition is Established with its names accepted, and its kind is in discovery, OpenAPI and kubectl explain", async () => {
    const [definition, resources, explained, explainedOld, all] = await Promise.all([
      dev(["get", "crd", "widgets.example.com", "-o", "json"]),
      dev(["api-resources", "--api-group=example.com", "--no-headers"]),
      // OpenAPI v3 for 1.33, v2 (protobuf) for 1.27.
      kube.kubectl(["explain", "widget.spec.size"], { as: "developer", binary: KUBECTL_133 }),
      kube.kubectl(["explain", "widgets.spec.replicas"], { as: "developer", binary: KUBECTL_127 }),
      dev(["get", "all", "-n", TEAM]),
    ]);
    const crd = JSON.parse(definition.stdout) as { status: { conditions: { type: string; status: string; reason: string }[]; acceptedNames: { kind: string; plural: string }; storedVersions: string[] } };
    expect(crd.status.conditions.map(({ type, status, reason }) => `${type}=${status} ${reason}`)).toEqual(["NamesAccepted=True NoConflicts", "Established=True InitialNamesAccepted"]);
    expect(crd.status.acceptedNames).toMatchObject({ kind: "Widget", plural: "widgets" });
    expect(crd.status.storedVersions).toEqual(["v1"]);
    // v2 is preferred, as kube's version priority orders them.
    expect(resources.stdout.trim().split(/\s+/)).toEqual(["widgets", "wd", "example.com/v2", "true", "Widget"]);
    const groups = JSON.parse((await dev(["get", "--raw", "/apis"])).stdout) as { groups: { name: string; versions: { groupVersion: string }[] }[] };
    expect(groups.groups.find((group) => group.name === "example.com")?.versions.map((version) => version.groupVersion)).toEqual(["example.com/v2", "example.com/v1"]);
    expect(explained.stderr).toBe("");
    expect(explained.stdout).toContain("How big the widget is.");
    expect(explainedOld.stderr).toBe("");
    expect(explainedOld.stdout).toContain("FIELD: replicas <integer>");
    expect(all.stderr).not.toContain("error");
  });

  test("a developer reads definitions but is refused creating, changing or deleting one, in kube's words", async () => {
    const [list, create, remove] = await Promise.all([
      dev(["get", "crd", "-o", "name"]),
      dev(["create", "-f", "-"], WIDGETS.replaceAll("widgets", "gadgets").replace("Widget", "Gadget").replace("[wd]", "[gd]")),
      dev(["delete", "crd", "widgets.example.com"]),
    ]);
    expect(list.stdout).toContain("customresourcedefinition.apiextensions.k8s.io/widgets.example.com");
    expect(create.stderr).toContain(
      'customresourcedefinitions.apiextensions.k8s.io is forbidden: User "dev" cannot create resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope',
    );
    expect(remove.stderr).toContain('User "dev" cannot delete resource "customresourcedefinitions"');
    expect((await dev(["get", "crd", "widgets.example.com", "-o", "name"])).stdout.trim()).toBe("customresourcedefinition.apiextensions.k8s.io/widgets.example.com");
  });

  test("an invalid definition is refused with 422 naming the field, and nothing is stored", async () => {
    const wrongName = await admin(["create", "-f", "-"], WIDGETS.replace("name: widgets.example.com", "name: widgets.other.com"));
    expect(wrongName.stderr).toContain('metadata.name: Invalid value: "widgets.other.com": must be spec.names.plural+"."+spec.group');
    expect((await admin(["get", "crd", "widgets.other.com"])).stderr).toContain("NotFound");
  });

  test("names another kind of the group already uses are not accepted, and such a definition is not served", async () => {
    const hosts = definition(
      { plural: "hosts", kind: "FakeHost", group: "skylight.io", scope: "Cluster" },
      "  - {name: v9, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}",
    );
    const shortName = WIDGETS.replaceAll("widgets", "gizmos").replace("Widget", "Gizmo").replace("singular: widget", "singular: gizmo");
    const sameKind = definition({ plural: "doohickeys", kind: "Widget" }, "  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}");
    expect((await dev(["create", "-f", "-"], widget("survivor", "  replicas: 1"))).stderr).toBe("");
    for (const manifest of [hosts, shortName, sameKind]) expect((await admin(["create", "-f", "-"], manifest)).stderr).toBe("");
    const conditionOf = async (name: string) =>
      waitFor(async () => {
        const { stdout } = await admin(["get", "crd", name, "-o", "jsonpath={.status.conditions[?(@.type=='NamesAccepted')]}"]);
        return stdout ? (JSON.parse(stdout) as { status: string; reason: string; message: string }) : null;
      }, `${name} NamesAccepted`);
    expect(await conditionOf("hosts.skylight.io")).toMatchObject({ status: "False", reason: "PluralConflict", message: '"hosts" is already in use' });
    expect(await conditionOf("gizmos.example.com")).toMatchObject({ status: "False", reason: "ShortNamesConflict", message: '"wd" is already in use' });
    const [version, hostsList] = await Promise.all([admin(["get", "--raw", "/apis/skylight.io/v9"]), admin(["get", "hosts", "-o", "name"])]);
    expect(version.stderr).toContain("NotFound");
    // The built-in kind is still the one served.
    expect(hostsList.stdout).toContain("host.skylight.io/");
    expect(await conditionOf("doohickeys.example.com")).toMatchObject({ status: "False", reason: "SingularConflict", message: '"widget" is already in use' });
    // Deleting a definition whose names were never accepted deletes no objects of the kind another serves.
    for (const result of await Promise.all(["hosts.skylight.io", "gizmos.example.com", "doohickeys.example.com"].map((name) => admin(["delete", "crd", name])))) expect(result.stderr).toBe("");
    expect((await getWidget("survivor")).metadata.name).toBe("survivor");
  });

  test("a changed definition is served at once: a new bound holds the next write, a new storage version is recorded", async () => {
    const knobVersion = (name: string, max: number, storage: boolean) =>
      `  - {name: ${name}, served: true, storage: ${storage}, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {turns: {type: integer, maximum: ${max}}}}}}}}`;
    const version = (max: number, storage: "v1" | "v2") => definition({ plural: "knobs", kind: "Knob" }, [knobVersion("v1", max, storage === "v1"), knobVersion("v2", max, storage === "v2")].join("\n"));
    expect((await admin(["apply", "-f", "-"], version(10, "v1"))).stderr).toBe("");
    expect((await admin(["wait", "--for=condition=Established", "crd/knobs.example.com", "--timeout=20s"])).stderr).toBe("");
    const knob = (turns: number) => `apiVersion: example.com/v1\nkind: Knob\nmetadata: {name: k1, namespace: ${TEAM}}\nspec: {turns: ${turns}}\n`;
    expect((await dev(["apply", "-f", "-"], knob(8))).stderr).toBe("");
    expect((await admin(["apply", "-f", "-"], version(5, "v2"))).stderr).toBe("");
    expect((await dev(["apply", "-f", "-"], knob(7))).stderr).toContain("spec.turns: Invalid value: 7: spec.turns in body should be less than or equal to 5");
    const storedVersions = await waitFor(async () => {
      const { stdout } = await admin(["get", "crd", "knobs.example.com", "-o", "jsonpath={.status.storedVersions}"]);
      return stdout === '["v1","v2"]' && stdout;
    }, "v2 recorded as stored");
    expect(storedVersions).toBe('["v1","v2"]');
  });

  test("a definition written by another process is served at the next request, without a restart", async () => {
    const spec: DefinitionSpec = {
      group: "other.example.com",
      scope: "Namespaced",
      names: { plural: "sprockets", singular: "sprocket", kind: "Sprocket" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
    };
    await createCustomResourceDefinition(ADMIN, { name: "sprockets.other.example.com", labels: {}, annotations: {}, spec }, kube.pool);
    await waitFor(async () => (await admin(["get", "--raw", "/apis/other.example.com/v1"])).stdout.includes('"sprockets"'), "sprockets served");
    const created = await dev(["create", "-f", "-"], `apiVersion: other.example.com/v1\nkind: Sprocket\nmetadata: {name: s1, namespace: ${TEAM}}\nanything: [1, 2]\nstatus: {phase: Spinning}\n`);
    expect(created.stdout.trim()).toBe("sprocket.other.example.com/s1 created");
    // Without a status subresource status is a field like any other: an apply that does not name it leaves it, and the generation moves with it.
    const applied = await dev(["apply", "--server-side", "--field-manager=sprocketeer", "-f", "-"], `apiVersion: other.example.com/v1\nkind: Sprocket\nmetadata: {name: s1, namespace: ${TEAM}}\nteeth: 12\n`);
    expect(applied.stderr).toBe("");
    const sprocket = JSON.parse((await dev(["get", "sprocket", "s1", "-n", TEAM, "-o", "json"])).stdout) as { anything: number[]; teeth: number; status: { phase: string }; metadata: { generation: number } };
    expect(sprocket).toMatchObject({ anything: [1, 2], teeth: 12, status: { phase: "Spinning" }, metadata: { generation: 2 } });
  });
});

describe("custom resources", () => {
  test("created by a namespace's editor, printed with the definition's columns and short name, defaulted, and served in each version", async () => {
    expect((await dev(["apply", "-f", "-"], widget("w1", "  replicas: 2"))).stdout.trim()).toBe("widget.example.com/w1 created");
    const [table, v2] = await Promise.all([dev(["get", "wd", "w1", "-n", TEAM]), dev(["get", "widgets.v2.example.com", "w1", "-n", TEAM, "-o", "json"])]);
    const [header, ...rows] = table.stdout.trim().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["NAME", "SIZE", "REPLICAS", "AGE"]);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 3))).toEqual([["w1", "small", "2"]]);
    const served = parsed(v2.stdout);
    expect(served).toMatchObject({ apiVersion: "example.com/v2", kind: "Widget", spec: { size: "small", replicas: 2 }, metadata: { generation: 1 } });
    expect(served.status).toBeUndefined();
  });

  test("a write that breaks the schema is refused with 422 in kube's words; unknown fields follow --validate", async () => {
    const [tooMany, wrongEnum] = await Promise.all([
      dev(["apply", "-f", "-"], widget("bad1", "  replicas: 20")),
      dev(["apply", "-f", "-"], widget("bad2", "  size: huge")),
    ]);
    expect(tooMany.stderr).toContain('Widget.example.com "bad1" is invalid: spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10');
    expect(wrongEnum.stderr).toContain('spec.size: Unsupported value: "huge": supported values: "small", "large"');
    const strict = await dev(["apply", "--validate=strict", "-f", "-"], widget("w-strict", "  colour: blue"));
    expect(strict.stderr).toContain('strict decoding error: unknown field "spec.colour"');
    const warned = await dev(["create", "--validate=warn", "-f", "-"], widget("w-warn", "  colour: blue"));
    expect(warned.stderr).toContain('unknown field "spec.colour"');
    expect((await getWidget("w-warn")).spec).toEqual({ size: "small", replicas: 1 });
    const missing = await Promise.all(["bad1", "bad2", "w-strict"].map((name) => dev(["get", "widget", name, "-n", TEAM])));
    for (const result of missing) expect(result.stderr).toContain("NotFound");
  });

  test("merge and JSON patches and server-side apply change a widget; generation moves with spec only; a strategic merge patch is 415", async () => {
    expect((await dev(["create", "-f", "-"], widget("w2", "  replicas: 1"))).stderr).toBe("");
    expect((await dev(["patch", "widget", "w2", "-n", TEAM, "--type=merge", "-p", '{"spec":{"replicas":3}}'])).stdout.trim()).toBe("widget.example.com/w2 patched");
    expect((await dev(["patch", "widget", "w2", "-n", TEAM, "--type=json", "-p", '[{"op":"replace","path":"/spec/size","value":"large"}]'])).stderr).toBe("");
    expect((await dev(["label", "widget", "w2", "-n", TEAM, "tier=gold"])).stderr).toBe("");
    const patched = await getWidget("w2");
    expect(patched.spec).toEqual({ size: "large", replicas: 3 });
    expect(patched.metadata.generation).toBe(3);

    const strategic = await dev(["patch", "widget", "w2", "-n", TEAM, "--type=strategic", "-p", '{"spec":{"replicas":4}}']);
    expect(strategic.stderr).toContain(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
    const applied = await dev(["apply", "--server-side", "--field-manager=widget-operator", "-f", "-"], widget("w2", "  replicas: 5"));
    expect(applied.stderr).toContain("conflict");
    const forced = await dev(["apply", "--server-side", "--force-conflicts", "--field-manager=widget-operator", "-f", "-"], widget("w2", "  replicas: 5"));
    expect(forced.stdout.trim()).toBe("widget.example.com/w2 serverside-applied");
    const createdByApply = await dev(["apply", "--server-side", "--field-manager=widget-operator", "-f", "-"], widget("w-applied", "  size: large"));
    expect(createdByApply.stdout.trim()).toBe("widget.example.com/w-applied serverside-applied");
    expect((await getWidget("w-applied")).spec).toEqual({ size: "large", replicas: 1 });
    const after = await getWidget("w2", ["--show-managed-fields"]);
    expect(after.spec.replicas).toBe(5);
    expect(after.metadata.managedFields?.map(({ manager, operation }) => `${manager}/${operation}`)).toContain("widget-operator/Apply");

    // A replace from a stale read is a conflict, not a lost update.
    const stale = { ...after, spec: { ...after.spec, replicas: 7 }, metadata: { ...after.metadata, managedFields: undefined } };
    expect((await dev(["patch", "widget", "w2", "-n", TEAM, "--type=merge", "-p", '{"spec":{"replicas":6}}'])).stderr).toBe("");
    const replaced = await dev(["replace", "-f", "-"], JSON.stringify(stale));
    expect(replaced.stderr).toContain("the object has been modified; please apply your changes to the latest version and try again");
    expect((await getWidget("w2")).spec.replicas).toBe(6);
  });

  test("status is written only through /status, which changes nothing else; kubectl scale changes spec.replicas", async () => {
    expect((await dev(["create", "-f", "-"], widget("w3", "  replicas: 1"))).stderr).toBe("");
    const status = await dev(["patch", "widget", "w3", "-n", TEAM, "--subresource=status", "--type=merge", "-p", '{"status":{"ready":true,"replicas":1},"spec":{"replicas":9}}']);
    expect(status.stderr).toBe("");
    expect(await dev(["patch", "widget", "w3", "-n", TEAM, "--type=merge", "-p", '{"status":{"ready":false}}'])).toMatchObject({ code: 0 });
    const current = await getWidget("w3", ["--show-managed-fields"]);
    expect(current.status).toEqual({ ready: true, replicas: 1 });
    expect(current.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: "kubectl-patch", operation: "Update", fieldsV1: { "f:status": { "f:ready": {}, "f:replicas": {} } } }));
    expect(current.spec.replicas).toBe(1);
    const badStatus = await dev(["patch", "widget", "w3", "-n", TEAM, "--subresource=status", "--type=merge", "-p", '{"status":{"replicas":"many"}}']);
    expect(badStatus.stderr).toContain("status.replicas: Invalid value");

    const scaled = await dev(["scale", "widget", "w3", "-n", TEAM, "--replicas=4"]);
    expect(scaled.stdout.trim()).toBe("widget.example.com/w3 scaled");
    expect((await getWidget("w3")).spec.replicas).toBe(4);
  });

  test("lists filter by label and field selectors and page with limit and continue; a watch from a list's version sees the next create", async () => {
    for (const [name, tier] of [["l1", "a"], ["l2", "b"], ["l3", "a"]] as const) {
      expect((await dev(["create", "-f", "-"], widget(name, "  replicas: 1", `  labels: {tier: ${tier}, listed: "yes"}\n`))).stderr).toBe("");
    }
    const [byLabel, byName, chunked] = await Promise.all([
      dev(["get", "widgets", "-n", TEAM, "-l", "tier=a,listed=yes", "-o", "name"]),
      dev(["get", "widgets", "-n", TEAM, "--field-selector", "metadata.name=l2", "-o", "name"]),
      dev(["get", "widgets", "-n", TEAM, "-l", "listed=yes", "--chunk-size=1", "-o", "name"]),
    ]);
    expect(byLabel.stdout.trim().split("\n")).toEqual(["widget.example.com/l1", "widget.example.com/l3"]);
    expect(byName.stdout.trim()).toBe("widget.example.com/l2");
    expect(chunked.stdout.trim().split("\n")).toEqual(["widget.example.com/l1", "widget.example.com/l2", "widget.example.com/l3"]);
    const page = (await kube.request("GET", `/apis/example.com/v1/namespaces/${TEAM}/widgets?labelSelector=listed%3Dyes&limit=2`, { as: "developer" })).json() as unknown as {
      kind: string;
      metadata: { continue?: string; resourceVersion: string };
      items: Widget[];
    };
    expect(page.kind).toBe("WidgetList");
    expect(page.items.map((item) => item.metadata.name)).toEqual(["l1", "l2"]);
    expect(page.metadata.continue).toBeTruthy();

    expect((await dev(["create", "-f", "-"], widget("l4", "  replicas: 2", '  labels: {listed: "yes"}\n'))).stderr).toBe("");
    const watched = await kube.request("GET", `/apis/example.com/v1/namespaces/${TEAM}/widgets?watch=1&labelSelector=listed%3Dyes&resourceVersion=${page.metadata.resourceVersion}&timeoutSeconds=1`, { as: "developer" });
    const events = watched.text.trim().split("\n").map((line) => JSON.parse(line) as { type: string; object: Widget });
    expect(events.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(["ADDED l4"]);
    expect(events[0]!.object).toMatchObject({ apiVersion: "example.com/v1", kind: "Widget", spec: { size: "small", replicas: 2 } });
  });

  test("concurrent writes lose no update: labels from eight patches and a status written meanwhile are all kept", async () => {
    expect((await dev(["create", "-f", "-"], widget("busy", "  replicas: 1"))).stderr).toBe("");
    const writes = await Promise.all([
      ...Array.from({ length: 8 }, (_, index) => dev(["label", "widget", "busy", "-n", TEAM, `writer-${index}=done`])),
      dev(["patch", "widget", "busy", "-n", TEAM, "--subresource=status", "--type=merge", "-p", '{"status":{"ready":true}}']),
      dev(["patch", "widget", "busy", "-n", TEAM, "--type=merge", "-p", '{"spec":{"replicas":7}}']),
    ]);
    for (const write of writes) expect(write.stderr).toBe("");
    const busy = await dev(["get", "widget", "busy", "-n", TEAM, "-o", "json"]);
    const object = JSON.parse(busy.stdout) as Widget & { metadata: { labels: Record<string, string> } };
    expect(Object.keys(object.metadata.labels).sort()).toEqual(Array.from({ length: 8 }, (_, index) => `writer-${index}`).sort());
    expect(object.status).toEqual({ ready: true });
    expect(object.spec.replicas).toBe(7);
  });

  test("a cluster-scoped kind: an operator's objects, which a developer neither sees nor writes", async () => {
    const regions = definition(
      { plural: "regions", kind: "Region", scope: "Cluster" },
      "  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {zone: {type: string}}}}}}}",
    );
    expect((await admin(["apply", "-f", "-"], regions)).stderr).toBe("");
    expect((await admin(["wait", "--for=condition=Established", "crd/regions.example.com", "--timeout=20s"])).stderr).toBe("");
    const region = "apiVersion: example.com/v1\nkind: Region\nmetadata: {name: north}\nspec: {zone: n1}\n";
    expect((await operator(["create", "-f", "-"], region)).stdout.trim()).toBe("region.example.com/north created");
    const [listed, mine, theirs, refused] = await Promise.all([
      operator(["get", "regions", "-o", "name"]),
      operator(["describe", "region", "north"]),
      dev(["get", "regions"]),
      dev(["create", "-f", "-"], region.replace("north", "south")),
    ]);
    expect(listed.stdout.trim()).toBe("region.example.com/north");
    expect(mine.stdout).toMatch(/Zone:\s+n1/);
    expect(theirs.stderr).toBe("No resources found\n");
    expect(refused.stderr).toContain('regions.example.com is forbidden: User "dev" cannot create resource "regions" in API group "example.com" at the cluster scope');
  });

  test("a finalizer holds a deleted widget until its operator releases it", async () => {
    expect((await dev(["create", "-f", "-"], widget("held", "  replicas: 1", "  finalizers: [example.com/cleanup]\n"))).stderr).toBe("");
    expect((await dev(["delete", "widget", "held", "-n", TEAM, "--wait=false"])).stderr).toBe("");
    const deleting = await getWidget("held");
    expect(deleting.metadata.deletionTimestamp).toBeTruthy();
    expect(deleting.metadata.finalizers).toEqual(["example.com/cleanup"]);
    const engines = await dev(["patch", "widget", "held", "-n", TEAM, "--type=merge", "-p", '{"metadata":{"finalizers":["skylight.io/pod"]}}']);
    expect(engines.stderr).toContain("skylight.io/pod is a finalizer of Skylight's controllers");
    expect((await dev(["patch", "widget", "held", "-n", TEAM, "--type=merge", "-p", '{"metadata":{"finalizers":null}}'])).stderr).toBe("");
    expect((await dev(["get", "widget", "held", "-n", TEAM])).stderr).toContain('widgets.example.com "held" not found');
  });
});

describe("who may do what with custom resources", () => {
  test("a viewer reads but may not write, refused before the body is read; can-i and the rules review agree", async () => {
    const [created, garbage, read, canTeam, canPeek, rules] = await Promise.all([
      dev(["create", "-f", "-"], widget("peeking", "  replicas: 1").replace(`namespace: ${TEAM}`, `namespace: ${PEEK}`)),
      kube.request("POST", `/apis/example.com/v1/namespaces/${PEEK}/widgets`, { as: "developer", body: "{ not json" }),
      dev(["get", "widgets", "-n", PEEK]),
      dev(["auth", "can-i", "create", "widgets", "-n", TEAM]),
      dev(["auth", "can-i", "create", "widgets.example.com", "-n", PEEK]),
      dev(["auth", "can-i", "--list", "-n", TEAM]),
    ]);
    expect(created.stderr).toContain(`widgets.example.com is forbidden: User "dev" cannot create resource "widgets" in API group "example.com" in the namespace "${PEEK}"`);
    expect(garbage.status).toBe(403);
    expect(read.stderr).toBe(`No resources found in ${PEEK} namespace.\n`);
    expect(canTeam.stdout.trim()).toBe("yes");
    expect(canPeek.stdout).toMatch(/^no - You can view namespace peek but not change it/);
    expect(rules.stdout).toMatch(/widgets\.example\.com\s+\[\]\s+\[\]\s+\[get list watch create update patch delete\]/);
  });

  test("an operator may not define kinds; a bad name, an engine-owned label or a webhook conversion is refused naming the field", async () => {
    const [operatorCreate, badName, engineLabel, webhook] = await Promise.all([
      operator(["create", "-f", "-"], WIDGETS.replaceAll("widgets", "sprites").replace("Widget", "Sprite").replace("singular: widget", "singular: sprite").replace("[wd]", "[sp]")),
      dev(["create", "-f", "-"], widget("Not_A_Name", "  replicas: 1")),
      dev(["create", "-f", "-"], widget("labelled", "  replicas: 1", "  labels: {skylight.io/cluster: elsewhere}\n")),
      admin(["create", "-f", "-"], WIDGETS.replaceAll("widgets", "hooks").replace("Widget", "Hook").replace("singular: widget", "singular: hook").replace("[wd]", "[hk]").replace("  scope: Namespaced", "  scope: Namespaced\n  conversion: {strategy: Webhook}")),
    ]);
    expect(operatorCreate.stderr).toContain('User "olivia" cannot create resource "customresourcedefinitions"');
    expect(badName.stderr).toContain('Widget.example.com "Not_A_Name" is invalid: metadata.name');
    expect(engineLabel.stderr).toContain("metadata.labels.skylight.io/cluster");
    expect(webhook.stderr).toContain("spec.conversion.strategy: Unsupported value");
    const stored = await Promise.all(["sprites.example.com", "hooks.example.com"].map((name) => admin(["get", "crd", name])));
    for (const result of stored) expect(result.stderr).toContain("NotFound");
  });

  test("a kind nobody defined is 404 for a list and a watch; a huge widget is 413 and a deep one 400", async () => {
    const [list, watch] = await Promise.all([
      kube.request("GET", `/apis/example.com/v1/namespaces/${TEAM}/doodads`, { as: "developer" }),
      kube.request("GET", `/apis/example.com/v1/namespaces/${TEAM}/doodads?watch=1`, { as: "developer" }),
    ]);
    expect([list.status, watch.status]).toEqual([404, 404]);
    const huge = JSON.stringify({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "huge" }, spec: { replicas: 1, size: "x".repeat(4 * 1024 * 1024) } });
    expect((await kube.request("POST", `/apis/example.com/v1/namespaces/${TEAM}/widgets`, { as: "developer", body: huge })).status).toBe(413);
    const deep = `{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"deep"},"spec":${'{"a":'.repeat(5000)}1${"}".repeat(5000)}}`;
    expect((await kube.request("POST", `/apis/example.com/v1/namespaces/${TEAM}/widgets`, { as: "developer", body: deep })).status).toBe(400);
  });
});

describe("deleting a definition", () => {
  test("deletes its objects (Terminating while a finalizer holds one), then its kind leaves discovery", async () => {
    const gadgets = WIDGETS.replaceAll("widgets", "gadgets").replace("kind: Widget", "kind: Gadget").replace("singular: widget", "singular: gadget").replace("[wd]", "[gd]").replace("categories: [all]", "categories: []");
    expect((await admin(["apply", "-f", "-"], gadgets)).stderr).toBe("");
    expect((await admin(["wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=20s"])).stderr).toBe("");
    const gadget = (name: string, metadata = "") => `apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: ${name}\n  namespace: ${TEAM}\n${metadata}spec: {replicas: 1}\n`;
    for (const manifest of [gadget("g1"), gadget("g2", "  finalizers: [example.com/cleanup]\n")]) expect((await dev(["create", "-f", "-"], manifest)).stderr).toBe("");

    // A watch of the kind, open across the definition's deletion, ends when the kind stops being served.
    const watched = kube.request("GET", `/apis/example.com/v1/namespaces/${TEAM}/gadgets?watch=1&timeoutSeconds=60`, { as: "developer" });
    const watchStarted = Date.now();
    expect((await admin(["delete", "crd", "gadgets.example.com", "--wait=false"])).stderr).toBe("");
    await waitFor(async () => (await dev(["get", "gadget", "g1", "-n", TEAM])).stderr.includes("not found"), "g1 deleted");
    const terminating = await admin(["get", "crd", "gadgets.example.com", "-o", "jsonpath={.status.conditions[?(@.type=='Terminating')].reason}"]);
    expect(terminating.stdout).toBe("InstanceDeletionInProgress");
    const refused = await dev(["create", "-f", "-"], gadget("g3"));
    expect(refused.stderr).toContain("create not allowed while custom resource definition is terminating");

    expect((await dev(["patch", "gadget", "g2", "-n", TEAM, "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]'])).stderr).toBe("");
    await waitFor(async () => (await admin(["get", "crd", "gadgets.example.com"])).stderr.includes("NotFound"), "gadgets.example.com gone", 30_000);
    const resources = await dev(["api-resources", "--api-group=example.com", "--no-headers"]);
    expect(resources.stdout).not.toContain("gadgets");
    const ended = await watched;
    expect(Date.now() - watchStarted).toBeLessThan(30_000);
    const events = ended.text.trim().split("\n").map((line) => JSON.parse(line) as { type: string; object: { metadata?: { name?: string }; message?: string } });
    expect(events.filter((event) => event.type === "DELETED").map((event) => event.object.metadata?.name).sort()).toEqual(["g1", "g2"]);
    expect(events.at(-1)).toMatchObject({ type: "ERROR", object: { message: "gadgets.example.com/v1 is no longer served" } });
    expect((await kube.request("GET", `/apis/example.com/v1/namespaces/${TEAM}/gadgets`, { as: "developer" })).status).toBe(404);
    expect(resources.stdout).toContain("widgets");
  });
});

describe("custom resources in the rest of Skylight", () => {
  test("kubectl get all lists them (category all); each write is a task, and kubectl events --for finds its events", async () => {
    expect((await dev(["create", "-f", "-"], widget("tasked", "  replicas: 1"))).stderr).toBe("");
    expect((await dev(["patch", "widget", "tasked", "-n", TEAM, "--type=merge", "-p", '{"spec":{"replicas":2}}'])).stderr).toBe("");
    const [all, events] = await Promise.all([dev(["get", "all", "-n", TEAM, "-o", "name"]), dev(["events", "-n", TEAM, "--for", "widget/tasked", "-o", "json"])]);
    expect(all.stdout).toContain("widget.example.com/tasked");
    expect(events.stderr).toBe("");
    const items = (JSON.parse(events.stdout) as { items: { involvedObject: { kind: string; apiVersion: string; name: string }; message: string }[] }).items;
    expect(items.map((event) => event.involvedObject)).toContainEqual(expect.objectContaining({ kind: "Widget", apiVersion: "example.com/v2", name: "tasked" }));
    expect(items.map((event) => event.message)).toContainEqual(expect.stringContaining(`created Widget ${TEAM}/tasked`));

    expect((await dev(["delete", "widget", "tasked", "-n", TEAM])).stderr).toBe("");
    const tasks = await admin(["get", "tasks", "-o", "jsonpath={range .items[*]}{.spec.description}{'\\n'}{end}"]);
    const described = tasks.stdout.split("\n");
    for (const task of ["Create Widget tasked", "Update Widget tasked", "Delete Widget tasked"]) expect(described).toContain(task);
  });

  test("the garbage collector deletes a widget's dependents, a VM and another widget, once the widget is gone", async () => {
    const inApps = (name: string, metadata = "") => widget(name, "  replicas: 1", metadata).replace(`namespace: ${TEAM}`, `namespace: ${NAMESPACE}`);
    expect((await operator(["create", "-f", "-"], inApps("owner"))).stderr).toBe("");
    const uid = (await operator(["get", "widget", "owner", "-n", NAMESPACE, "-o", "jsonpath={.metadata.uid}"])).stdout;
    const owned = `  ownerReferences: [{apiVersion: example.com/v1, kind: Widget, name: owner, uid: ${uid}}]\n`;
    expect((await operator(["create", "-f", "-"], inApps("dependent", owned))).stderr).toBe("");
    const vm = vmManifest("owned-vm", "PoweredOff").replace(`namespace: ${NAMESPACE}\n`, `namespace: ${NAMESPACE}\n${owned}`);
    expect((await operator(["create", "-f", "-"], vm)).stderr).toBe("");
    expect((await operator(["get", "vm", "owned-vm", "-n", NAMESPACE, "-o", "jsonpath={.metadata.ownerReferences[?(@.kind=='Widget')].name}"])).stdout).toBe("owner");

    expect((await operator(["delete", "widget", "owner", "-n", NAMESPACE])).stderr).toBe("");
    await waitFor(async () => {
      const [dependent, ownedVm] = await Promise.all([operator(["get", "widget", "dependent", "-n", NAMESPACE]), operator(["get", "vm", "owned-vm", "-n", NAMESPACE])]);
      return dependent.stderr.includes("not found") && ownedVm.stderr.includes("not found");
    }, "the widget's dependents collected", 30_000);
  });

  test("deleting a namespace deletes its custom resources, then the namespace goes", async () => {
    await createNamespace(ADMIN, { name: "doomed", cluster: CLUSTER, permissions: [] }, kube.pool);
    expect((await admin(["create", "-f", "-"], widget("doomed-widget", "  replicas: 1").replace(`namespace: ${TEAM}`, "namespace: doomed"))).stderr).toBe("");
    expect((await admin(["delete", "namespace", "doomed", "--wait=false"])).stderr).toBe("");
    await waitFor(async () => (await admin(["get", "namespace", "doomed"])).stderr.includes("not found"), "namespace doomed gone", 30_000);
    const { rows } = await kube.pool.query(`SELECT name FROM resources WHERE namespace = 'doomed'`);
    expect(rows).toEqual([]);
  });
});
