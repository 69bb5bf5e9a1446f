// core v1 ConfigMaps and Secrets through the real kubectl (1.27 and 1.33): create configmap
// --from-literal and --from-file, create secret generic, tls and docker-registry, get with kube's
// columns and -o yaml with the fields at the top level, patches of each type and server-side apply
// (managedFields name keys, never values), immutable and type refusals in kube's words, validation
// refusals naming the field; and who reads them: a namespace's viewer reads its ConfigMaps but is
// refused its Secrets by get, list and watch, and nothing of a Secret's value reaches a log line,
// an audit event or a refusal. And Events an operator writes about its objects, shown by
// `kubectl events --for` with the writer as actor.
import { mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { selfSignedServingCertificate } from "@/lib/kube/certificate-authority";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { CLUSTER } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
/** dev edits TEAM and only views PEEK. */
const TEAM = "team";
const PEEK = "peek";
const KUBECTL_127 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27";
const KUBECTL_133 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
/** Values no log line, event or refusal may carry, in the clear or base64-encoded. */
const SECRET_VALUES = ["hunter2-Zq8vX1", "tok-3fd9a0c1e7", "registry-pass-K2m9"];
const LEAKS = SECRET_VALUES.flatMap((value) => [value, Buffer.from(value).toString("base64")]);

let kube: KubeHarness;
let files: string;
const logged: string[] = [];

beforeAll(async () => {
  // Everything the server process writes during this file, to look for secret values in.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : String(arg))).join(" ")));
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: never[]) => {
      logged.push(String(chunk));
      return write(chunk as string, ...rest);
    }) as typeof stream.write);
  }
  kube = await createKubeHarness({ port: 0 });
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  await createNamespace(ADMIN, { name: PEEK, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "view" }] }, kube.pool);
  files = mkdtempSync(path.join(kube.scratchDir, "files-"));
});
afterAll(async () => {
  vi.restoreAllMocks();
  await kube?.stopKube();
});

const dev = (args: string[], options: { binary?: string; input?: string } = {}) => kube.kubectl(args, { as: "developer", ...options });

interface ConfigObject {
  metadata: { name: string; managedFields?: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
  type?: string;
  spec?: unknown;
  stringData?: unknown;
}
const json = (stdout: string) => JSON.parse(stdout) as ConfigObject;
const decoded = (data: Record<string, string> | undefined) => Object.fromEntries(Object.entries(data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]));

describe("ConfigMaps", () => {
  test("kubectl 1.27 and 1.33 create configmaps from literals and files; get prints NAME DATA AGE and -o yaml has data at the top level", async () => {
    const settings = path.join(files, "app.properties");
    writeFileSync(settings, "color=blue\nsize=3\n");
    const [old, recent] = await Promise.all([
      dev(["create", "configmap", "settings-127", "-n", TEAM, "--from-literal=mode=fast", `--from-file=${settings}`], { binary: KUBECTL_127 }),
      dev(["create", "configmap", "settings-133", "-n", TEAM, "--from-literal=mode=fast", `--from-file=${settings}`], { binary: KUBECTL_133 }),
    ]);
    expect(old.stderr).toBe("");
    expect(old.stdout.trim()).toBe("configmap/settings-127 created");
    expect(recent.stdout.trim()).toBe("configmap/settings-133 created");

    const [table, object, viewer, explained, explainedOld] = await Promise.all([
      dev(["get", "cm", "-n", TEAM]),
      dev(["get", "configmap", "settings-133", "-n", TEAM, "-o", "json"], { binary: KUBECTL_133 }),
      dev(["get", "configmaps", "-n", PEEK]),
      // OpenAPI v3 for 1.33, v2 (protobuf) for 1.27.
      dev(["explain", "configmap.binaryData"], { binary: KUBECTL_133 }),
      dev(["explain", "secret.stringData"], { binary: KUBECTL_127 }),
    ]);
    expect(explained.stdout).toContain("Binary configuration data, each value base64-encoded.");
    expect(explainedOld.stdout).toContain("Write-only: values as strings, merged into data on write");
    const [header, ...rows] = table.stdout.trim().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["NAME", "DATA", "AGE"]);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 2))).toEqual([["settings-127", "2"], ["settings-133", "2"]]);
    const configMap = json(object.stdout);
    expect(configMap).toMatchObject({ apiVersion: "v1", kind: "ConfigMap", data: { mode: "fast", "app.properties": "color=blue\nsize=3\n" } });
    expect(configMap.spec).toBeUndefined();
    // A viewer reads a namespace's ConfigMaps, as Kubernetes' view role does.
    expect(viewer.stderr).toBe("No resources found in peek namespace.\n");
  });

  test("merge, JSON and strategic patches and server-side apply change data; managedFields name the keys", async () => {
    for (const created of await Promise.all([
      dev(["create", "configmap", "tuned", "-n", TEAM, "--from-literal=a=1"]),
      dev(["create", "configmap", "listed", "-n", TEAM, "--from-literal=x=1"]),
    ])) expect(created.stderr).toBe("");
    // Patches naming no resourceVersion apply to whatever is current, so these may race.
    const [merge, ...steps] = await Promise.all([
      dev(["patch", "cm", "tuned", "-n", TEAM, "--type=merge", "-p", '{"data":{"b":"2"}}']),
      dev(["patch", "cm", "tuned", "-n", TEAM, "--type=json", "-p", '[{"op":"replace","path":"/data/a","value":"10"}]']),
      dev(["patch", "cm", "listed", "-n", TEAM, "-p", '{"data":{"y":"2"},"binaryData":{"blob":"AAEC"}}']),
    ]);
    expect(merge!.stdout.trim()).toBe("configmap/tuned patched");
    for (const step of steps) expect(step.stderr).toBe("");
    const applied = await dev(["apply", "--server-side", "--field-manager=operator", "-f", "-"], {
      input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tuned\n  namespace: ${TEAM}\ndata:\n  c: "3"\n`,
    });
    expect(applied.stderr).toBe("");
    expect(applied.stdout.trim()).toBe("configmap/tuned serverside-applied");

    const [tuned, listed, table] = await Promise.all([
      dev(["get", "cm", "tuned", "-n", TEAM, "-o", "json", "--show-managed-fields"]),
      dev(["get", "cm", "listed", "-n", TEAM, "-o", "json"]),
      dev(["get", "cm", "listed", "-n", TEAM, "--no-headers"]),
    ]);
    const object = json(tuned.stdout);
    expect(object.data).toEqual({ a: "10", b: "2", c: "3" });
    expect(object.metadata.managedFields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ manager: "operator", operation: "Apply", fieldsV1: { "f:data": { "f:c": {} } } }),
        expect.objectContaining({ manager: "kubectl-patch", operation: "Update", fieldsV1: { "f:data": { "f:a": {}, "f:b": {} } } }),
      ]),
    );
    expect(json(listed.stdout)).toMatchObject({ data: { x: "1", y: "2" }, binaryData: { blob: "AAEC" } });
    // The table counts data and binaryData keys.
    expect(table.stdout).toMatch(/^listed\s+3\s+\d+s/);
  });

  test("an immutable ConfigMap refuses changes to its data in kube's words, and keeps its labels writable", async () => {
    const created = await dev(["apply", "-f", "-"], { input: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: frozen\n  namespace: ${TEAM}\nimmutable: true\ndata:\n  k: v\n` });
    expect(created.stderr).toBe("");
    const [data, thaw, label] = await Promise.all([
      dev(["patch", "cm", "frozen", "-n", TEAM, "--type=merge", "-p", '{"data":{"k":"changed"}}']),
      dev(["patch", "cm", "frozen", "-n", TEAM, "--type=merge", "-p", '{"immutable":false}']),
      dev(["label", "cm", "frozen", "-n", TEAM, "tier=gold"]),
    ]);
    expect(data.stderr.trim()).toBe('The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    expect(thaw.stderr.trim()).toBe('The ConfigMap "frozen" is invalid: immutable: Forbidden: field is immutable when `immutable` is set');
    expect(label.stdout.trim()).toBe("configmap/frozen labeled");
    const object = json((await dev(["get", "cm", "frozen", "-n", TEAM, "-o", "json"])).stdout);
    expect(object).toMatchObject({ immutable: true, data: { k: "v" } });
  });

  test("bad keys, a key in both data and binaryData, bad base64 and more than 1 MiB are refused naming the field; nothing is created", async () => {
    const manifest = (name: string, body: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${TEAM}\n${body}`;
    const big = "x".repeat(600 * 1024);
    const results = await Promise.all([
      dev(["apply", "-f", "-"], { input: manifest("bad-key", 'data:\n  "a b": v\n') }),
      dev(["apply", "-f", "-"], { input: manifest("both", "data:\n  k: v\nbinaryData:\n  k: AAEC\n") }),
      dev(["apply", "-f", "-"], { input: manifest("not-base64", "binaryData:\n  k: '!!!'\n") }),
      dev(["create", "-f", "-"], { input: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "too-big", namespace: TEAM }, data: { a: big, b: big } }) }),
    ]);
    expect(results[0]!.stderr).toContain(`The ConfigMap "bad-key" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.'`);
    expect(results[1]!.stderr).toContain('The ConfigMap "both" is invalid: binaryData[k]: Invalid value: "k": duplicate of key present in data');
    expect(results[2]!.stderr).toMatch(/binaryData\[k\]|illegal base64/);
    expect(results[3]!.stderr).toContain('The ConfigMap "too-big" is invalid: data: Too long: must have at most 1048576 bytes');
    const { rows } = await kube.pool.query(`SELECT name FROM resources WHERE kind = 'ConfigMap' AND name = ANY($1::text[])`, [["bad-key", "both", "not-base64", "too-big"]]);
    expect(rows).toEqual([]);
  });
});

describe("Events written by clients", () => {
  const post = (namespace: string, involvedObject: object, message: string) =>
    kube.request("POST", `/api/v1/namespaces/${namespace}/events`, { as: "developer", body: JSON.stringify({ metadata: { name: "refused" }, involvedObject, reason: "Reconciled", message }) });
  const event = (body: string) => `apiVersion: v1\nkind: Event\nmetadata:\n  name: settings-133.reconciled\n  namespace: ${TEAM}\n${body}`;

  test("an editor's Event about its ConfigMap is listed by kubectl events --for with the writer as actor; another namespace's object, a long message and a viewer are refused", async () => {
    const [created, elsewhere, long, viewer] = await Promise.all([
      dev(["create", "-f", "-"], { input: event("involvedObject:\n  kind: ConfigMap\n  name: settings-133\n  namespace: team\nreason: Reconciled\nmessage: settings applied to 3 replicas\ntype: Normal\nsource:\n  component: settings-operator\n") }),
      // The refusals over HTTP: a kubectl process costs more than this whole request.
      post(TEAM, { kind: "ConfigMap", name: "other", namespace: PEEK }, "elsewhere"),
      post(TEAM, { kind: "ConfigMap", name: "settings-133" }, "x".repeat(1025)),
      post(PEEK, { kind: "ConfigMap", name: "x" }, "no"),
    ]);
    expect(created.stderr).toBe("");
    expect(created.stdout).toMatch(/^event\/settings-133\.\d+ created/);
    expect([elsewhere.status, long.status, viewer.status]).toEqual([422, 422, 403]);
    expect(elsewhere.json().message).toContain('involvedObject.namespace: Invalid value: "peek": does not match event.namespace');
    expect(long.json().message).toContain("message: Too long: may not be more than 1024 bytes");
    expect(viewer.json().message).toContain('User "dev" cannot create resource "events" in API group "" in the namespace "peek"');

    // The newer shape too: events.k8s.io/v1, as client-go's events recorder writes it.
    const newer = await kube.request("POST", `/apis/events.k8s.io/v1/namespaces/${TEAM}/events`, {
      as: "developer",
      body: JSON.stringify({ metadata: { name: "synced" }, regarding: { kind: "ConfigMap", name: "settings-133", namespace: TEAM }, reason: "Synced", note: "mounted by 3 pods", type: "Normal", action: "Sync", reportingController: "settings-operator" }),
    });
    expect(newer.status).toBe(201);
    expect(newer.json()).toMatchObject({ apiVersion: "events.k8s.io/v1", regarding: { kind: "ConfigMap", name: "settings-133" }, note: "mounted by 3 pods" });

    const [events, listed] = await Promise.all([
      dev(["events", "--for", "configmap/settings-133", "-n", TEAM], { binary: KUBECTL_133 }),
      kube.request("GET", `/api/v1/namespaces/${TEAM}/events?fieldSelector=reason%3DReconciled`, { as: "developer" }),
    ]);
    expect(events.stdout).toMatch(/Normal\s+Reconciled\s+ConfigMap\/settings-133\s+settings applied to 3 replicas/);
    expect(events.stdout).toMatch(/Normal\s+Synced\s+ConfigMap\/settings-133\s+mounted by 3 pods/);
    const items = (listed.json() as { items: { source: { component: string }; involvedObject: { uid?: string } }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]!.source.component).toBe("skylight (dev)");
    const { rows } = await kube.pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'ConfigMap' AND namespace = $1 AND name = 'settings-133'`, [TEAM]);
    expect(items[0]!.involvedObject.uid).toBe(rows[0]!.uid);
  });
});

describe("Secrets", () => {
  test("generic, tls and docker-registry secrets: the editor's -o yaml shows base64 data, get prints NAME TYPE DATA AGE", async () => {
    const pair = selfSignedServingCertificate("web.example", ["web.example"]);
    writeFileSync(path.join(files, "tls.crt"), pair.certificatePem);
    writeFileSync(path.join(files, "tls.key"), pair.privateKeyPem);
    const results = await Promise.all([
      dev(["create", "secret", "generic", "db", "-n", TEAM, `--from-literal=password=${SECRET_VALUES[0]}`], { binary: KUBECTL_127 }),
      dev(["create", "secret", "tls", "web-tls", "-n", TEAM, `--cert=${path.join(files, "tls.crt")}`, `--key=${path.join(files, "tls.key")}`], { binary: KUBECTL_133 }),
      dev(["create", "secret", "docker-registry", "pull", "-n", TEAM, "--docker-server=registry.example", "--docker-username=bot", `--docker-password=${SECRET_VALUES[2]}`]),
      dev(["apply", "-f", "-"], { input: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: ${TEAM}\nstringData:\n  token: ${SECRET_VALUES[1]}\n` }),
    ]);
    expect(results.map((result) => result.stdout.trim())).toEqual(["secret/db created", "secret/web-tls created", "secret/pull created", "secret/api created"]);

    const [table, db, api, tls] = await Promise.all([
      dev(["get", "secrets", "-n", TEAM]),
      dev(["get", "secret", "db", "-n", TEAM, "-o", "json"], { binary: KUBECTL_127 }),
      dev(["get", "secret", "api", "-n", TEAM, "-o", "json", "--show-managed-fields"], { binary: KUBECTL_133 }),
      dev(["get", "secret", "web-tls", "-n", TEAM, "-o", "json"]),
    ]);
    const [header, ...rows] = table.stdout.trim().split("\n");
    expect(header!.split(/\s{2,}/)).toEqual(["NAME", "TYPE", "DATA", "AGE"]);
    expect(rows.map((row) => row.split(/\s+/).slice(0, 3))).toEqual([
      ["api", "Opaque", "1"],
      ["db", "Opaque", "1"],
      ["pull", "kubernetes.io/dockerconfigjson", "1"],
      ["web-tls", "kubernetes.io/tls", "2"],
    ]);
    expect(decoded(json(db.stdout).data)).toEqual({ password: SECRET_VALUES[0] });
    // stringData is merged into data on write and never read back; managedFields name the key, not its value.
    const apiSecret = json(api.stdout);
    expect(decoded(apiSecret.data)).toEqual({ token: SECRET_VALUES[1] });
    expect(apiSecret.stringData).toBeUndefined();
    expect(JSON.stringify(apiSecret.metadata.managedFields)).not.toContain(Buffer.from(SECRET_VALUES[1]!).toString("base64"));
    expect(apiSecret.metadata.managedFields?.[0]?.fieldsV1).toMatchObject({ "f:data": { "f:token": {} } });
    expect(decoded(json(tls.stdout).data)).toEqual({ "tls.crt": pair.certificatePem, "tls.key": pair.privateKeyPem });
  });

  test("a Secret's type is immutable; tls without tls.key, bad base64 and a dockerconfigjson that is not JSON are refused without echoing the value", async () => {
    const secret = (name: string, body: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${TEAM}\n${body}`;
    const encoded = Buffer.from(SECRET_VALUES[0]!).toString("base64");
    const results = await Promise.all([
      dev(["patch", "secret", "db", "-n", TEAM, "--type=merge", "-p", '{"type":"kubernetes.io/tls"}']),
      dev(["apply", "-f", "-"], { input: secret("half-tls", `type: kubernetes.io/tls\ndata:\n  tls.crt: ${encoded}\n`) }),
      kube.request("POST", `/api/v1/namespaces/${TEAM}/secrets`, { as: "administrator", body: JSON.stringify({ metadata: { name: "bad64" }, data: { k: `${SECRET_VALUES[0]}!` } }) }),
      dev(["apply", "-f", "-"], { input: secret("docker", `type: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: ${SECRET_VALUES[2]}\n`) }),
    ]);
    expect(results[0]!.stderr.trim()).toBe('The Secret "db" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable');
    expect((results[1] as { stderr: string }).stderr.trim()).toBe('The Secret "half-tls" is invalid: data[tls.key]: Required value');
    const bad64 = results[2] as Awaited<ReturnType<KubeHarness["request"]>>;
    expect(bad64.status).toBe(422);
    expect(bad64.json().details?.causes?.[0]?.field).toBe("data[k]");
    expect(bad64.text).not.toContain(SECRET_VALUES[0]);
    expect((results[3] as { stderr: string }).stderr.trim()).toBe('The Secret "docker" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": must be a JSON object');
    for (const result of results) expect(JSON.stringify(result)).not.toContain(SECRET_VALUES[2]);

    // A body that does not parse is refused naming where, not quoting it: JSON (as V8 would) and YAML (as the parser would).
    const [jsonBody, yamlBody] = await Promise.all([
      kube.request("POST", `/api/v1/namespaces/${TEAM}/secrets`, { as: "developer", body: `{"metadata":{"name":"broken"},"stringData":{"k":${SECRET_VALUES[0]}}}` }),
      kube.request("POST", `/api/v1/namespaces/${TEAM}/secrets`, { as: "developer", contentType: "application/yaml", body: `metadata:\n  name: broken\nstringData:\n  k: "${SECRET_VALUES[0]}\n` }),
    ]);
    expect([jsonBody.status, yamlBody.status]).toEqual([400, 400]);
    expect(jsonBody.json().message).toContain("Unexpected token 'h': the input is not valid JSON");
    expect(yamlBody.json().message).toMatch(/at line \d+, column \d+$/);
    for (const refused of [jsonBody, yamlBody]) expect(refused.text).not.toContain(SECRET_VALUES[0]);
  });

  test("a namespace's viewer is refused its Secrets by get, list and watch (403), and -A lists only where they edit; the operator reads all", async () => {
    await kube.kubectl(["create", "secret", "generic", "peek-db", "-n", PEEK, `--from-literal=password=${SECRET_VALUES[0]}`], { as: "administrator" });
    const [get, list, watch, all, operator, canI] = await Promise.all([
      dev(["get", "secret", "peek-db", "-n", PEEK, "-o", "yaml"]),
      dev(["get", "secrets", "-n", PEEK, "-o", "wide"]),
      kube.request("GET", `/api/v1/namespaces/${PEEK}/secrets?watch=true&timeoutSeconds=1`, { as: "developer" }),
      dev(["get", "secrets", "-A", "--no-headers"]),
      kube.request("GET", `/api/v1/namespaces/${PEEK}/secrets/peek-db`, { as: "operator" }),
      dev(["auth", "can-i", "get", "secrets", "-n", PEEK]),
    ]);
    const refusal = 'secrets "peek-db" is forbidden: User "dev" cannot get resource "secrets" in API group "" in the namespace "peek": You can view namespace peek but not its secrets: reading secrets needs the edit or owner role.';
    expect(get.stderr.trim()).toBe(`Error from server (Forbidden): ${refusal}`);
    expect(list.stderr).toContain('User "dev" cannot list resource "secrets" in API group "" in the namespace "peek"');
    expect(watch.status).toBe(403);
    expect(list.stdout).not.toContain("peek-db");
    for (const output of [get, list]) expect(output.stdout + output.stderr).not.toContain(Buffer.from(SECRET_VALUES[0]!).toString("base64"));
    expect(all.stdout.split("\n").filter(Boolean).every((row) => row.startsWith(`${TEAM} `))).toBe(true);
    expect(Buffer.from((operator.json() as { data: { password: string } }).data.password, "base64").toString("utf8")).toBe(SECRET_VALUES[0]);
    expect(canI.stdout.trim()).toBe("no - You can view namespace peek but not its secrets: reading secrets needs the edit or owner role.");
  });

  test("a watch across namespaces brings the editor's Secrets only, and a viewer never a Secret's value", async () => {
    const listed = (await kube.request("GET", "/api/v1/secrets", { as: "developer" })).json() as { metadata?: { resourceVersion?: string } };
    const watch = kube.request("GET", `/api/v1/secrets?watch=true&timeoutSeconds=2&resourceVersion=${listed.metadata!.resourceVersion}`, { as: "developer" });
    const secret = (name: string) => JSON.stringify({ metadata: { name }, stringData: { password: SECRET_VALUES[1] } });
    await Promise.all([
      kube.request("POST", `/api/v1/namespaces/${TEAM}/secrets`, { body: secret("watched") }),
      kube.request("POST", `/api/v1/namespaces/${PEEK}/secrets`, { body: secret("unseen") }),
    ]);
    await kube.request("DELETE", `/api/v1/namespaces/${PEEK}/secrets/unseen`);
    const events = (await watch).text.trim().split("\n").map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string; namespace: string } } });
    const names = events.map((event) => `${event.object.metadata.namespace}/${event.object.metadata.name}`);
    expect(names).toContain(`${TEAM}/watched`);
    expect(names.filter((name) => name.startsWith(`${PEEK}/`))).toEqual([]);
  });

  test("no Secret value is in any log line, audit event or task written during this file, kubectl apply's annotation included", async () => {
    // A second client-side apply is an update: its audit event records the changed annotation kubectl keeps the manifest in.
    const reapplied = await dev(["apply", "-f", "-"], { input: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\n  namespace: ${TEAM}\nstringData:\n  token: ${SECRET_VALUES[1]}-v2\n` });
    expect(reapplied.stdout.trim()).toBe("secret/api configured");
    const { rows } = await kube.pool.query<{ text: string }>(
      `SELECT concat_ws(' ', message, before::text, after::text) AS text FROM events WHERE object_kind = 'Secret'
       UNION ALL SELECT description FROM tasks WHERE target_kind = 'Secret'`,
    );
    expect(rows.length).toBeGreaterThan(5);
    const written = [...logged, ...rows.map((row) => row.text)].join("\n");
    for (const leak of LEAKS) expect(written).not.toContain(leak);
    // The audit event says which keys changed, and how large their values are.
    const { rows: created } = await kube.pool.query<{ after: unknown }>(`SELECT after FROM events WHERE object_kind = 'Secret' AND object_name = 'db' AND reason = 'Secret.create'`);
    expect(created[0]!.after).toEqual({ spec: { data: { password: `${SECRET_VALUES[0]!.length} bytes` }, type: "Opaque" } });
  });
});
