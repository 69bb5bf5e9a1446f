// core v1 ServiceAccounts and their tokens through the real kubectl: every namespace has
// `default`; owners create, read, patch, replace and delete service accounts, viewers read them;
// `kubectl create token` mints a token that authenticates as system:serviceaccount:<ns>:<name>
// (`kubectl auth whoami`), acts with the role the namespace's permissions give it and no more,
// and stops working when it expires or its service account or namespace is deleted. Hostile
// input: minting where one only views, absurd durations, a service account granting itself a
// role or minting for another, and system:-style names.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createNamespace, deleteNamespace } from "@/lib/engine/operations/namespace-operations";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { CLUSTER, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
/** dev owns TEAM and only views PEEK. */
const TEAM = "team";
const PEEK = "peek";

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0, watchRecheckIntervalMs: 300 });
  // The namespace controller removes a deleted namespace's service accounts.
  kube.startEngine();
  await createNamespace(ADMIN, { name: TEAM, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "owner" }] }, kube.pool);
  await createNamespace(ADMIN, { name: PEEK, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "view" }] }, kube.pool);
});
afterAll(async () => kube?.stopKube());

const dev = (args: string[], input?: string) => kube.kubectl(args, { as: "developer", input });

/** A kubeconfig holding a service account's token, as `npm run kubeconfig -- --service-account` writes one. */
function kubeconfigFor(token: string, namespace: string, file: string): string {
  const written = path.join(kube.scratchDir, `${file}.yaml`);
  writeFileSync(written, buildKubeconfig({ server: `https://127.0.0.1:${kube.server.port}`, certificateAuthorityPem: kube.server.certificateAuthorityPem, username: file, token, namespaces: [namespace] }));
  return written;
}

/** A new service account in TEAM and a token for it, minted by its owner through `kubectl create token`. */
async function serviceAccountWithToken(name: string, namespace = TEAM): Promise<{ token: string; kubeconfig: string }> {
  const created = await dev(["create", "serviceaccount", name, "-n", namespace]);
  expect(created.stderr).toBe("");
  const minted = await dev(["create", "token", name, "-n", namespace]);
  expect(minted.stderr).toBe("");
  const token = minted.stdout.trim();
  return { token, kubeconfig: kubeconfigFor(token, namespace, `${namespace}-${name}`) };
}

const as = (kubeconfig: string, args: string[], input?: string) => kube.kubectl(args, { kubeconfig, input });

async function grant(namespace: string, permissions: { kind: string; name: string; role: string }[]) {
  const patched = await dev(["patch", "namespace", namespace, "--type=merge", "-p", JSON.stringify({ spec: { permissions: [{ kind: "User", name: "dev", role: "owner" }, ...permissions] } })]);
  expect(patched.stderr).toBe("");
}

describe("ServiceAccounts", () => {
  test("every namespace has a default service account, the engine's from its creation", async () => {
    const [team, peek] = await Promise.all([dev(["get", "sa", "-n", TEAM, "-o", "name"]), dev(["get", "serviceaccounts", "-n", PEEK, "-o", "name"])]);
    expect(team.stdout.trim()).toBe("serviceaccount/default");
    expect(peek.stdout.trim()).toBe("serviceaccount/default");
  });

  test("a deleted default service account comes back, a new one", async () => {
    const uid = async () => (await kube.pool.query(`SELECT uid::text FROM resources WHERE kind = 'ServiceAccount' AND namespace = $1 AND name = 'default'`, [TEAM])).rows[0]?.uid as string | undefined;
    const before = await uid();
    // The delete answers with the account it deleted, never the one that may already be back (kubectl delete waits for that uid to go).
    const deleted = await kube.request("DELETE", `/api/v1/namespaces/${TEAM}/serviceaccounts/default`, { as: "developer", body: "{}" });
    expect((deleted.json().metadata as { uid: string }).uid).toBe(before);
    await waitFor(async () => (await uid()) !== undefined && (await uid()) !== before, "default to come back", 10_000);
    expect((await dev(["delete", "sa", "default", "-n", TEAM])).code).toBe(0);
    await waitFor(async () => (await uid()) !== undefined, "default to come back again", 10_000);
    expect((await dev(["get", "sa", "default", "-n", TEAM, "-o", "name"])).stdout.trim()).toBe("serviceaccount/default");
  });

  test("the default namespace, which existed before service accounts, has one from the migration", async () => {
    expect((await kube.kubectl(["get", "sa", "-n", "default", "-o", "name"], { as: "administrator" })).stdout.trim()).toBe("serviceaccount/default");
  });

  test("a watch from a list's resourceVersion streams a new service account to a viewer", async () => {
    const list = await kube.request("GET", `/api/v1/namespaces/${PEEK}/serviceaccounts`, { as: "developer" });
    const from = (list.json().metadata as { resourceVersion: string }).resourceVersion;
    const watch = kube.request("GET", `/api/v1/namespaces/${PEEK}/serviceaccounts?watch=true&timeoutSeconds=2&resourceVersion=${from}`, { as: "developer" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await kube.kubectl(["create", "sa", "watched", "-n", PEEK], { as: "administrator" })).code).toBe(0);
    const events = (await watch).text.trim().split("\n").map((line) => JSON.parse(line) as { type: string; object: { metadata: { name: string } } });
    expect(events.map((event) => `${event.type} ${event.object.metadata.name}`)).toContain("ADDED watched");
  });

  test("an owner creates, patches, applies, describes and deletes one; kubectl prints kube's columns and explains it", async () => {
    expect((await dev(["create", "sa", "builder", "-n", TEAM])).stdout).toBe("serviceaccount/builder created\n");
    const table = await dev(["get", "sa", "-n", TEAM]);
    expect(table.stdout).toMatch(/^NAME\s+SECRETS\s+AGE\n/);
    expect(table.stdout).toMatch(/\nbuilder\s+0\s+\d+s\n/);
    expect((await dev(["patch", "sa", "builder", "-n", TEAM, "-p", '{"imagePullSecrets":[{"name":"regcred"}]}'])).stderr).toBe("");
    const manifest = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: builder\n  namespace: ${TEAM}\n  labels: {team: ci}\nimagePullSecrets: [{name: regcred}]\nautomountServiceAccountToken: false\n`;
    expect((await dev(["apply", "--server-side", "-f", "-"], manifest)).stderr).toBe("");
    const read = JSON.parse((await dev(["get", "sa", "builder", "-n", TEAM, "-o", "json"])).stdout) as Record<string, unknown> & { metadata: { labels: Record<string, string> } };
    expect(read).toMatchObject({ apiVersion: "v1", kind: "ServiceAccount", imagePullSecrets: [{ name: "regcred" }], automountServiceAccountToken: false });
    expect(read.metadata.labels).toEqual({ team: "ci" });
    expect(read).not.toHaveProperty("spec");
    const [describe, explain] = await Promise.all([dev(["describe", "sa", "builder", "-n", TEAM]), dev(["explain", "serviceaccount.imagePullSecrets"])]);
    expect(describe.stdout).toContain("Image pull secrets:  regcred (not found)");
    expect(describe.stdout).toMatch(/ServiceAccount\.create .* dev created service account team\/builder/);
    expect(explain.stdout).toContain("FIELD: imagePullSecrets <[]Object>");
    expect((await dev(["delete", "sa", "builder", "-n", TEAM])).stdout).toBe('serviceaccount "builder" deleted\n');
    expect((await dev(["get", "sa", "builder", "-n", TEAM])).stderr).toContain('serviceaccounts "builder" not found');
  });

  test("a replace naming a stale resourceVersion is 409 and changes nothing", async () => {
    await dev(["create", "sa", "stale", "-n", TEAM]);
    const first = JSON.parse((await dev(["get", "sa", "stale", "-n", TEAM, "-o", "json"])).stdout) as { metadata: Record<string, unknown> };
    const put = (labels: Record<string, string>) =>
      kube.request("PUT", `/api/v1/namespaces/${TEAM}/serviceaccounts/stale`, { as: "administrator", body: JSON.stringify({ apiVersion: "v1", kind: "ServiceAccount", metadata: { ...first.metadata, labels } }) });
    expect((await put({ round: "one" })).status).toBe(200);
    const refused = await put({ round: "two" });
    expect(refused.status).toBe(409);
    const now = JSON.parse((await dev(["get", "sa", "stale", "-n", TEAM, "-o", "json"])).stdout) as { metadata: { labels: Record<string, string> } };
    expect(now.metadata.labels).toEqual({ round: "one" });
  });

  test("a viewer reads a namespace's service accounts but neither writes them nor mints their tokens", async () => {
    const [read, created, minted, deleted] = await Promise.all([
      dev(["get", "sa", "default", "-n", PEEK, "-o", "name"]),
      dev(["create", "sa", "mine", "-n", PEEK]),
      dev(["create", "token", "default", "-n", PEEK]),
      dev(["delete", "sa", "default", "-n", PEEK]),
    ]);
    expect(read.stdout.trim()).toBe("serviceaccount/default");
    expect(created.stderr).toContain('User "dev" cannot create resource "serviceaccounts" in API group "" in the namespace "peek"');
    expect(minted.stderr).toContain('User "dev" cannot create resource "serviceaccounts/token" in API group "" in the namespace "peek"');
    expect(deleted.stderr).toContain("is forbidden");
    const { rows } = await kube.pool.query(`SELECT count(*)::int AS n FROM service_account_tokens t JOIN resources sa ON sa.uid = t.service_account_uid WHERE sa.namespace = $1`, [PEEK]);
    expect(rows[0].n).toBe(0);
    expect((await dev(["get", "sa", "mine", "-n", PEEK])).stderr).toContain('serviceaccounts "mine" not found');
  });

  test("bad service accounts are refused naming the field", async () => {
    const manifest = (body: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: bad\n  namespace: ${TEAM}\n${body}`;
    const [pulls, automount, name] = await Promise.all([
      dev(["apply", "-f", "-"], manifest("imagePullSecrets: [{name: Not_A_Name}]\n")),
      kube.request("POST", `/api/v1/namespaces/${TEAM}/serviceaccounts`, { as: "administrator", body: JSON.stringify({ metadata: { name: "bad" }, automountServiceAccountToken: "yes" }) }),
      dev(["create", "sa", "system:admin", "-n", TEAM]),
    ]);
    expect(pulls.stderr).toContain('The ServiceAccount "bad" is invalid: imagePullSecrets[0].name: must be lowercase RFC 1123');
    expect(automount.status).toBe(422);
    expect(automount.json().message).toContain("automountServiceAccountToken");
    expect(name.stderr).toContain("metadata.name");
    const { rows } = await kube.pool.query(`SELECT name FROM resources WHERE kind = 'ServiceAccount' AND namespace = $1 ORDER BY name`, [TEAM]);
    expect(rows.map((row: { name: string }) => row.name)).not.toContain("bad");
  });
});

describe("service account tokens", () => {
  test("kubectl create token mints a token that is the service account to kubectl auth whoami", async () => {
    const minted = await dev(["create", "token", "default", "-n", TEAM, "--duration=2h"]);
    expect(minted.stdout).toMatch(/^skylight-sa_[\w-]{43}$/);
    const whoami = await as(kubeconfigFor(minted.stdout.trim(), TEAM, "team-default"), ["auth", "whoami", "-o", "json"]);
    expect(JSON.parse(whoami.stdout).status.userInfo).toMatchObject({ username: `system:serviceaccount:${TEAM}:default`, groups: ["system:serviceaccounts", `system:serviceaccounts:${TEAM}`, "system:authenticated"] });
    const { rows } = await kube.pool.query(`SELECT token_hash, round(extract(epoch FROM expires_at - created_at))::int AS seconds FROM service_account_tokens ORDER BY created_at DESC LIMIT 1`);
    expect(rows[0].seconds).toBe(7200);
    expect(rows[0].token_hash).not.toContain(minted.stdout.trim());
  });

  test("a token acts with the role its namespace's permissions give the service account, and no more", async () => {
    const { kubeconfig } = await serviceAccountWithToken("operator-bot");
    expect((await as(kubeconfig, ["get", "configmaps", "-n", TEAM])).stderr).toContain(`User "system:serviceaccount:${TEAM}:operator-bot" cannot list resource "configmaps"`);
    await grant(TEAM, [{ kind: "ServiceAccount", name: "operator-bot", role: "edit" }]);
    const created = await as(kubeconfig, ["create", "configmap", "settings", "-n", TEAM, "--from-literal=mode=fast"]);
    expect(created.stdout).toBe("configmap/settings created\n");
    const [hosts, peek, otherNamespace] = await Promise.all([
      as(kubeconfig, ["get", "hosts"]),
      as(kubeconfig, ["get", "configmaps", "-n", PEEK]),
      as(kubeconfig, ["create", "namespace", "bots-own"]),
    ]);
    expect(hosts.stderr).toContain("is forbidden");
    expect(peek.stderr).toContain("is forbidden");
    expect(otherNamespace.stderr).toContain("is forbidden");
  });

  test("a permission may name only a service account of the namespace that exists", async () => {
    const before = (await kube.pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE kind = 'Namespace' AND name = $1`, [TEAM])).rows[0].permissions;
    const [ghost, foreign] = await Promise.all([
      dev(["patch", "namespace", TEAM, "--type=merge", "-p", JSON.stringify({ spec: { permissions: [{ kind: "User", name: "dev", role: "owner" }, { kind: "ServiceAccount", name: "ghost", role: "edit" }] } })]),
      dev(["patch", "namespace", TEAM, "--type=merge", "-p", JSON.stringify({ spec: { permissions: [{ kind: "User", name: "dev", role: "owner" }, { kind: "ServiceAccount", name: `system:serviceaccount:${PEEK}:default`, role: "owner" }] } })]),
    ]);
    expect(ghost.stderr).toContain(`There is no service account named "ghost" in namespace ${TEAM}.`);
    expect(foreign.stderr).toContain("There is no service account named");
    expect((await kube.pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE kind = 'Namespace' AND name = $1`, [TEAM])).rows[0].permissions).toEqual(before);
  });

  test("only an administrator gives a service account of another namespace a role; an owner keeps it when saving", async () => {
    const { kubeconfig } = await serviceAccountWithToken("cross-ns-operator");
    const foreign = { kind: "ServiceAccount", name: "cross-ns-operator", namespace: TEAM, role: "view" };
    const patchPeek = (as: "developer" | "administrator", permissions: unknown[]) =>
      kube.kubectl(["patch", "namespace", PEEK, "--type=merge", "-p", JSON.stringify({ spec: { permissions } })], { as });
    const viewers = [{ kind: "User", name: "dev", role: "view" }];
    // dev does not own peek; as an owner of team they still may not reach into peek.
    expect((await patchPeek("developer", [...viewers, foreign])).stderr).toContain("is forbidden");
    expect((await as(kubeconfig, ["get", "configmaps", "-n", PEEK])).stderr).toContain("is forbidden");
    expect((await patchPeek("administrator", [...viewers, foreign])).stderr).toBe("");
    expect((await as(kubeconfig, ["get", "configmaps", "-n", PEEK])).stderr).toBe("No resources found in peek namespace.\n");
    expect((await as(kubeconfig, ["create", "configmap", "x", "-n", PEEK])).stderr).toContain("is forbidden");
    const ghost = await patchPeek("administrator", [...viewers, { ...foreign, name: "ghost" }]);
    expect(ghost.stderr).toContain(`There is no service account named "ghost" in namespace ${TEAM}.`);
    // The owner of team, granting in team: another namespace's account is the administrators' to give, an existing grant stays.
    const cross = { kind: "ServiceAccount", name: "default", namespace: PEEK, role: "view" };
    expect((await dev(["patch", "namespace", TEAM, "--type=merge", "-p", JSON.stringify({ spec: { permissions: [{ kind: "User", name: "dev", role: "owner" }, cross] } })])).stderr).toContain(
      `Only administrators can give a service account of another namespace (${PEEK}/default) a role in ${TEAM}.`,
    );
    const withCross = [{ kind: "User", name: "dev", role: "owner" }, cross];
    expect((await kube.kubectl(["patch", "namespace", TEAM, "--type=merge", "-p", JSON.stringify({ spec: { permissions: withCross } })], { as: "administrator" })).stderr).toBe("");
    expect((await dev(["patch", "namespace", TEAM, "--type=merge", "-p", JSON.stringify({ spec: { permissions: [...withCross, { kind: "ServiceAccount", name: "default", role: "view" }] } })])).stderr).toBe("");
    const stored = (await kube.pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE kind = 'Namespace' AND name = $1`, [TEAM])).rows[0].permissions;
    expect(stored).toEqual([...withCross, { kind: "ServiceAccount", name: "default", role: "view" }]);
    await grant(TEAM, []);
  });

  test("an administrator asks what a service account may do, and acts as it, with --as", async () => {
    await dev(["create", "sa", "reviewed", "-n", TEAM]);
    await grant(TEAM, [{ kind: "ServiceAccount", name: "reviewed", role: "view" }]);
    const account = `--as=system:serviceaccount:${TEAM}:reviewed`;
    const [reads, writes, whoami, ghost] = await Promise.all([
      kube.kubectl(["auth", "can-i", "list", "configmaps", "-n", TEAM, account], { as: "administrator" }),
      kube.kubectl(["auth", "can-i", "create", "configmaps", "-n", TEAM, account], { as: "administrator" }),
      kube.kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.groups}", account], { as: "administrator" }),
      kube.kubectl(["get", "sa", "-n", TEAM, `--as=system:serviceaccount:${TEAM}:ghost`], { as: "administrator" }),
    ]);
    expect(reads.stdout.trim()).toBe("yes");
    expect(writes.stdout.trim()).toBe("no - You can view namespace team but not change it: operating its config maps needs the edit or owner role.");
    expect(whoami.stdout).toBe(`["system:serviceaccounts","system:serviceaccounts:${TEAM}","system:authenticated"]`);
    expect(ghost.stderr).toContain("there is no enabled Skylight user of that name");
  });

  test("a service account with the edit role can neither grant itself a role nor mint tokens for another", async () => {
    const { kubeconfig } = await serviceAccountWithToken("climber");
    await grant(TEAM, [{ kind: "ServiceAccount", name: "climber", role: "edit" }]);
    const before = (await kube.pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE kind = 'Namespace' AND name = $1`, [TEAM])).rows[0].permissions;
    const [promote, mint, newAccount] = await Promise.all([
      as(kubeconfig, ["patch", "namespace", TEAM, "--type=merge", "-p", JSON.stringify({ spec: { permissions: [{ kind: "ServiceAccount", name: "climber", role: "owner" }] } })]),
      as(kubeconfig, ["create", "token", "default", "-n", TEAM]),
      as(kubeconfig, ["create", "sa", "accomplice", "-n", TEAM]),
    ]);
    expect(promote.stderr).toContain("is forbidden");
    expect(mint.stderr).toContain(`User "system:serviceaccount:${TEAM}:climber" cannot create resource "serviceaccounts/token"`);
    expect(newAccount.stderr).toContain("is forbidden");
    const after = (await kube.pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE kind = 'Namespace' AND name = $1`, [TEAM])).rows[0].permissions;
    expect(after).toEqual(before);
  });

  test("a token stops working when it expires and when its service account is deleted (401)", async () => {
    const expiring = await serviceAccountWithToken("short-lived");
    const deleted = await serviceAccountWithToken("doomed");
    expect((await as(expiring.kubeconfig, ["auth", "whoami"])).code).toBe(0);
    // Ten minutes is kube's shortest token: the clock is moved, not waited for.
    await kube.pool.query(`UPDATE service_account_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [expiring.token]);
    expect((await dev(["delete", "sa", "doomed", "-n", TEAM])).code).toBe(0);
    for (const token of [expiring.token, deleted.token]) {
      const refused = await kube.request("GET", `/api/v1/namespaces/${TEAM}/serviceaccounts`, { token });
      expect(refused.status).toBe(401);
    }
    expect((await as(deleted.kubeconfig, ["get", "sa"])).stderr).toContain("You must be logged in to the server");
    const { rows } = await kube.pool.query(`SELECT count(*)::int AS n FROM service_account_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [deleted.token]);
    expect(rows[0].n).toBe(0);
  });

  test("an open watch with a token ends when its service account is deleted", async () => {
    const { token } = await serviceAccountWithToken("watcher");
    await grant(TEAM, [{ kind: "ServiceAccount", name: "watcher", role: "view" }]);
    const started = Date.now();
    const watch = kube.request("GET", `/api/v1/namespaces/${TEAM}/configmaps?watch=true&timeoutSeconds=30`, { token });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await dev(["delete", "sa", "watcher", "-n", TEAM])).code).toBe(0);
    const ended = await watch;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ended.text).toContain('"type":"ERROR"');
    expect(ended.text).toContain("Unauthorized");
  });

  test("a token stops working when its namespace is deleted", async () => {
    await createNamespace(ADMIN, { name: "short", cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "owner" }] }, kube.pool);
    const { token } = await serviceAccountWithToken("worker", "short");
    const whoami = () => kube.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { token, body: "{}" });
    expect((await whoami()).status).toBe(201);
    await deleteNamespace(ADMIN, { name: "short" }, kube.pool);
    expect((await whoami()).status).toBe(401);
    // Once the namespace is gone its service accounts are, and their tokens with them.
    await waitFor(async () => (await kube.pool.query(`SELECT 1 FROM resources WHERE name = 'short' AND kind = 'Namespace'`)).rowCount === 0, "the namespace to go", 15_000);
    const { rows } = await kube.pool.query(`SELECT (SELECT count(*) FROM resources WHERE kind = 'ServiceAccount' AND namespace = 'short')::int AS accounts, (SELECT count(*) FROM service_account_tokens WHERE token_hash = encode(sha256($1::bytea), 'hex'))::int AS tokens`, [token]);
    expect(rows[0]).toEqual({ accounts: 0, tokens: 0 });
  });

  test("absurd durations, bound objects and malformed requests are refused naming the field, and mint nothing", async () => {
    const count = async () => (await kube.pool.query(`SELECT count(*)::int AS n FROM service_account_tokens`)).rows[0].n as number;
    const before = await count();
    const post = (body: unknown) => kube.request("POST", `/api/v1/namespaces/${TEAM}/serviceaccounts/default/token`, { as: "developer", body: JSON.stringify(body) });
    const [tooLong, tooShort, fraction, bound, audiences] = await Promise.all([
      dev(["create", "token", "default", "-n", TEAM, "--duration=100000h"]),
      dev(["create", "token", "default", "-n", TEAM, "--duration=1m"]),
      post({ spec: { expirationSeconds: 3600.5 } }),
      dev(["create", "token", "default", "-n", TEAM, "--bound-object-kind=Pod", "--bound-object-name=web", "--bound-object-uid=0c9c2d4e-0000-4000-8000-000000000000"]),
      post({ spec: { audiences: Array.from({ length: 17 }, (_, index) => `aud-${index}`) } }),
    ]);
    expect(tooLong.stderr).toContain("spec.expirationSeconds: Invalid value: 360000000: may not specify a duration larger than one year (31536000 seconds)");
    expect(tooShort.stderr).toContain("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes");
    expect(fraction.status).toBe(422);
    expect(fraction.json().details?.causes?.[0]?.field).toBe("spec.expirationSeconds");
    expect(bound.stderr).toContain("spec.boundObjectRef");
    expect(audiences.status).toBe(422);
    expect(audiences.json().message).toContain("spec.audiences");
    expect(await count()).toBe(before);
  });

  test("a dry run mints nothing, and one service account holds at most 100 live tokens", async () => {
    await dev(["create", "sa", "hoarder", "-n", TEAM]);
    const path = `/api/v1/namespaces/${TEAM}/serviceaccounts/hoarder/token`;
    const dry = await kube.request("POST", `${path}?dryRun=All`, { as: "developer", body: "{}" });
    expect(dry.status).toBe(201);
    expect((dry.json().status as { token: string }).token).toBe("");
    const uid = (await kube.pool.query(`SELECT uid::text FROM resources WHERE kind = 'ServiceAccount' AND namespace = $1 AND name = 'hoarder'`, [TEAM])).rows[0].uid as string;
    const count = async () => (await kube.pool.query(`SELECT count(*)::int AS n FROM service_account_tokens WHERE service_account_uid = $1`, [uid])).rows[0].n as number;
    expect(await count()).toBe(0);
    // 99 live tokens, one expired (swept, not counted), then the 100th through the API and a refused 101st.
    await kube.pool.query(
      `INSERT INTO service_account_tokens (service_account_uid, namespace_uid, token_hash, expires_at)
       SELECT $1, (SELECT uid FROM resources WHERE kind = 'Namespace' AND name = $2), md5(random()::text) || n, now() + CASE WHEN n = 0 THEN interval '-1 second' ELSE interval '1 hour' END
         FROM generate_series(0, 99) AS n`,
      [uid, TEAM],
    );
    expect((await kube.request("POST", path, { as: "developer", body: "{}" })).status).toBe(201);
    const refused = await kube.request("POST", path, { as: "developer", body: "{}" });
    expect(refused.status).toBe(403);
    expect(refused.json().message).toBe("service account hoarder already has 100 live tokens, the most one may hold: let some expire, or delete and re-create it to revoke them all");
    expect(await count()).toBe(100);
  });

  test("system:-style and unknown names are not found, not served", async () => {
    const [system, unknown, encoded] = await Promise.all([
      dev(["create", "token", "system:admin", "-n", TEAM]),
      dev(["create", "token", "nobody", "-n", TEAM]),
      kube.request("POST", `/api/v1/namespaces/${TEAM}/serviceaccounts/system%3Aserviceaccount%3A${TEAM}%3Adefault/token`, { as: "developer", body: "{}" }),
    ]);
    expect(system.stderr).toContain('serviceaccounts "system:admin" not found');
    expect(unknown.stderr).toContain('serviceaccounts "nobody" not found');
    expect(encoded.status).toBe(404);
  });
});
