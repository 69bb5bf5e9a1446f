// kubectl's identity and authorization questions, with kubectl 1.27 and 1.33: `auth can-i` for an
// administrator, an operator and developers who own, edit, view or hold nothing in web-team, each
// answer checked against what the same request really gets from the API (no second table of
// expectations: the server's own decision on the real request is the truth); `can-i --list`
// agrees with can-i; `auth whoami`; impersonation (`--as`) as an administrator shows exactly what
// that user sees and records the write as "admin as <user>", and is refused to everyone else;
// SubjectAccessReview for administrators only; hostile Impersonate-* headers never raise
// privilege and change nothing; and the same reviews through @kubernetes/client-node.
import { Agent, request as httpsRequest } from "node:https";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { addAgentHost } from "@/lib/engine/operations/host-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { createPod } from "@/lib/engine/operations/pod-operations";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { CLUSTER, DATASTORE, NAMESPACE as APPS, OPERATOR, vmSpec, waitFor } from "@/lib/testing/engine-harness";
import { recheckWatches } from "@/lib/kube/watch-registry";
import { createKubeHarness, type KubeHarness } from "@/lib/testing/kube-harness";
import { ROLES, seedWebTeamAccess, USERNAMES, WEB_TEAM, type Role } from "@/lib/testing/web-team-access";

const RELEASES = { "1.27": "/usr/lib/google-cloud-sdk/bin/kubectl.1.27", "1.33": "/usr/lib/google-cloud-sdk/bin/kubectl.1.33" };
const VMS = "/apis/vmoperator.vmware.com/v1alpha3";

let kube: KubeHarness;
let agent: Agent;
let tokens: Record<Role, string>;
let kubeconfigs: Record<Role, string>;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 0 });
  agent = new Agent({ keepAlive: true, ca: kube.server.certificateAuthorityPem });
  ({ tokens, kubeconfigs } = await seedWebTeamAccess(kube));
  await createVirtualMachine(OPERATOR, { namespace: WEB_TEAM, name: "web-01", spec: vmSpec() }, kube.pool);
  await createPod(OPERATOR, { namespace: WEB_TEAM, name: "web-pod", spec: { containers: [{ name: "main", image: "busybox:1" }] } }, kube.pool);
  await createVirtualMachine(OPERATOR, { namespace: APPS, name: "apps-01", spec: vmSpec() }, kube.pool);
});

afterAll(async () => {
  agent?.destroy();
  await kube?.stopKube();
});

interface Answer {
  status: number;
  text: string;
  json: () => Record<string, unknown>;
}

/** One HTTPS request with a role's token (or none) and any headers, as a hostile client would send it. */
function send(method: string, path: string, options: { as?: Role; token?: string; headers?: Record<string, string | string[]>; body?: unknown; contentType?: string } = {}): Promise<Answer> {
  const payload = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: "127.0.0.1",
        port: kube.server.port,
        agent,
        method,
        path,
        headers: {
          authorization: `Bearer ${options.token ?? tokens[options.as ?? "administrator"]}`,
          accept: "application/json",
          ...(payload !== undefined && { "content-type": options.contentType ?? "application/json", "content-length": Buffer.byteLength(payload) }),
          ...options.headers,
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text, json: () => JSON.parse(text) as Record<string, unknown> }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

const names = (stdout: string) => stdout.trim().split("\n").filter(Boolean).sort();
const kubectl = (role: Role, args: string[], release: keyof typeof RELEASES = "1.33") => kube.kubectl(args, { kubeconfig: kubeconfigs[role], binary: RELEASES[release] });

// ---- auth can-i, against the real request ----

interface Question {
  /** What follows `kubectl auth can-i`. */
  canI: string[];
  /** What kubectl sends for it. */
  attributes: Record<string, string>;
  /** The same request made for real: a dry run for a write. */
  request: { method: string; path: string; body?: unknown; contentType?: string };
  /** The kubectl releases that ask it (each kubectl run costs a process, so not every release asks every question). */
  releases?: (keyof typeof RELEASES)[];
}

const dryRun = "?dryRun=All";
const MERGE = "application/merge-patch+json";
const VM_GROUP = { group: "vmoperator.vmware.com", resource: "virtualmachines" };
const QUESTIONS: Question[] = [
  {
    canI: ["create", "vm", "-n", WEB_TEAM],
    attributes: { verb: "create", ...VM_GROUP, namespace: WEB_TEAM },
    request: { method: "POST", path: `${VMS}/namespaces/${WEB_TEAM}/virtualmachines${dryRun}`, body: { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", metadata: { name: "new-vm" }, spec: { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: DATASTORE } } },
    releases: ["1.33"],
  },
  { canI: ["delete", "vm/web-01", "-n", WEB_TEAM], attributes: { verb: "delete", ...VM_GROUP, namespace: WEB_TEAM, name: "web-01" }, request: { method: "DELETE", path: `${VMS}/namespaces/${WEB_TEAM}/virtualmachines/web-01${dryRun}` } },
  {
    canI: ["patch", "vm/web-01", "-n", WEB_TEAM],
    attributes: { verb: "patch", ...VM_GROUP, namespace: WEB_TEAM, name: "web-01" },
    request: { method: "PATCH", path: `${VMS}/namespaces/${WEB_TEAM}/virtualmachines/web-01${dryRun}`, body: { metadata: { labels: { tier: "gold" } } }, contentType: MERGE },
    releases: ["1.27"],
  },
  { canI: ["get", "vm/apps-01", "-n", APPS], attributes: { verb: "get", ...VM_GROUP, namespace: APPS, name: "apps-01" }, request: { method: "GET", path: `${VMS}/namespaces/${APPS}/virtualmachines/apps-01` } },
  { canI: ["list", "vm", "-A"], attributes: { verb: "list", ...VM_GROUP }, request: { method: "GET", path: `${VMS}/virtualmachines` } },
  {
    canI: ["get", "vm/web-01", "--subresource=status", "-n", WEB_TEAM],
    attributes: { verb: "get", ...VM_GROUP, subresource: "status", namespace: WEB_TEAM, name: "web-01" },
    request: { method: "GET", path: `${VMS}/namespaces/${WEB_TEAM}/virtualmachines/web-01/status` },
  },
  { canI: ["get", "ns/apps"], attributes: { verb: "get", resource: "namespaces", name: APPS }, request: { method: "GET", path: `/api/v1/namespaces/${APPS}` } },
  { canI: ["delete", `ns/${WEB_TEAM}`], attributes: { verb: "delete", resource: "namespaces", name: WEB_TEAM }, request: { method: "DELETE", path: `/api/v1/namespaces/${WEB_TEAM}${dryRun}` }, releases: ["1.33"] },
  {
    canI: ["patch", `ns/${WEB_TEAM}`],
    attributes: { verb: "patch", resource: "namespaces", name: WEB_TEAM },
    request: { method: "PATCH", path: `/api/v1/namespaces/${WEB_TEAM}${dryRun}`, body: { metadata: { labels: { tier: "gold" } } }, contentType: MERGE },
  },
  {
    canI: ["create", "namespaces"],
    attributes: { verb: "create", resource: "namespaces" },
    request: { method: "POST", path: `/api/v1/namespaces${dryRun}`, body: { apiVersion: "v1", kind: "Namespace", metadata: { name: "new-ns" }, spec: { cluster: CLUSTER } } },
  },
  { canI: ["list", "hosts"], attributes: { verb: "list", group: "skylight.io", resource: "hosts" }, request: { method: "GET", path: "/apis/skylight.io/v1alpha1/hosts" } },
  {
    canI: ["patch", `clusters/${CLUSTER}`],
    attributes: { verb: "patch", group: "skylight.io", resource: "clusters", name: CLUSTER },
    request: { method: "PATCH", path: `/apis/skylight.io/v1alpha1/clusters/${CLUSTER}${dryRun}`, body: { spec: { ha: { enabled: false } } }, contentType: MERGE },
  },
  { canI: ["create", "clusters"], attributes: { verb: "create", group: "skylight.io", resource: "clusters" }, request: { method: "POST", path: "/apis/skylight.io/v1alpha1/clusters", body: { metadata: { name: "new-cluster" } } } },
  {
    canI: ["get", "pods/web-pod", "--subresource=log", "-n", WEB_TEAM],
    attributes: { verb: "get", resource: "pods", subresource: "log", namespace: WEB_TEAM, name: "web-pod" },
    request: { method: "GET", path: `/api/v1/namespaces/${WEB_TEAM}/pods/web-pod/log` },
  },
];

/** Refused for who asks (403), hidden from them (404), or not served at all (405). */
const REFUSED = [403, 404, 405];
const SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
const askFor = (role: Role, resourceAttributes: Record<string, string>) => send("POST", SSAR, { as: role, body: { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", spec: { resourceAttributes } } });
const allowedIn = (review: Answer) => (review.json().status as { allowed: boolean }).allowed;

describe("auth can-i answers as the request itself is answered", () => {
  for (const role of ROLES) {
    it(`${role} (${USERNAMES[role]}): every question, as a SelfSubjectAccessReview and through kubectl`, async () => {
      const truths = await Promise.all(QUESTIONS.map(({ request }) => send(request.method, request.path, { as: role, body: request.body, contentType: request.contentType })));
      const reviews = await Promise.all(QUESTIONS.map(({ attributes }) => askFor(role, attributes)));
      const asked = QUESTIONS.flatMap((question, index) => (question.releases ?? []).map((release) => ({ question, index, release })));
      const answers = await Promise.all(asked.map(({ question, release }) => kubectl(role, ["auth", "can-i", ...question.canI], release)));
      const truthOf = (index: number) => !REFUSED.includes(truths[index]!.status);
      QUESTIONS.forEach(({ request }, index) => {
        expect(allowedIn(reviews[index]!), `${request.method} ${request.path} → ${truths[index]!.status} ${truths[index]!.text.slice(0, 200)}; review ${reviews[index]!.text}`).toBe(truthOf(index));
      });
      asked.forEach(({ question, index, release }, at) => {
        const answer = answers[at]!;
        const what = `kubectl ${release} auth can-i ${question.canI.join(" ")} → ${answer.stdout.trim()} ${answer.stderr.trim()}; real request → ${truths[index]!.status}`;
        expect(answer.stdout.trim().split(" ")[0], what).toBe(truthOf(index) ? "yes" : "no");
        expect(answer.code, what).toBe(truthOf(index) ? 0 : 1);
      });
    });
  }

  it("kubectl prints yes, or no with the rule's words", async () => {
    const [editorVm, viewerVm, everything] = await Promise.all([
      kubectl("editor", ["auth", "can-i", "patch", "vm/web-01", "-n", WEB_TEAM]),
      kubectl("administrator", ["auth", "can-i", "patch", "vm/web-01", "-n", WEB_TEAM, "--as=vera"]),
      kubectl("operator", ["auth", "can-i", "*", "*"]),
    ]);
    expect(editorVm.stdout.trim()).toBe("yes");
    // Asked by an administrator as vera, the answer is vera's.
    expect(viewerVm.stdout.trim()).toBe(`no - You can view namespace ${WEB_TEAM} but not change it: operating its VMs needs the edit or owner role.`);
    // Operators operate everything but may not delete namespaces, so "everything" is no.
    expect(everything.stdout.trim()).toMatch(/^no - /);
    const [all, unknown] = await Promise.all([askFor("administrator", { verb: "*", group: "*", resource: "*" }), askFor("administrator", { verb: "get", resource: "widgets" })]);
    expect(all.json().status).toEqual({ allowed: true });
    expect(unknown.json().status).toEqual({ allowed: false, denied: true, reason: 'Skylight serves no resource "widgets" in API group ""' });
  });

  it("paths that are no resource: discovery and health yes, anything else no", async () => {
    const healthz = await kubectl("outsider", ["auth", "can-i", "get", "/healthz"]);
    expect(healthz.stdout.trim()).toBe("yes");
    const metrics = await send("POST", SSAR, { as: "administrator", body: { spec: { nonResourceAttributes: { path: "/metrics", verb: "get" } } } });
    expect(metrics.json().status).toEqual({ allowed: false, denied: true, reason: "Skylight serves nothing at /metrics" });
  });
});

// ---- auth can-i --list ----

/** kubectl auth can-i --list's rows: resource (and names) → verbs. */
function rulesTable(stdout: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of stdout.trim().split("\n").slice(1)) {
    const match = /^(\S*)\s+\[([^\]]*)\]\s+\[([^\]]*)\]\s+\[([^\]]*)\]$/.exec(line.trim().startsWith("[") ? ` ${line.trim()}` : line.trim());
    if (!match) continue;
    const key = match[1] ? `${match[1]}${match[3] ? ` [${match[3]}]` : ""}` : match[2]!;
    rows.set(key, match[4]!.split(" ").filter(Boolean));
  }
  return rows;
}

const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete"];

describe("kubectl auth can-i --list", () => {
  it("the verbs listed for VMs and pods in web-team are those a review allows, for each role", async () => {
    const throughKubectl: [Role, keyof typeof RELEASES][] = [["administrator", "1.33"], ["editor", "1.33"], ["viewer", "1.33"], ["viewer", "1.27"]];
    const listings = await Promise.all(throughKubectl.map(([role, release]) => kubectl(role, ["auth", "can-i", "--list", "-n", WEB_TEAM], release)));
    const tables = new Map<Role, Map<string, string[]>>();
    throughKubectl.forEach(([role], at) => {
      expect(listings[at]!.code, listings[at]!.stderr).toBe(0);
      tables.set(role, rulesTable(listings[at]!.stdout));
    });
    for (const role of ROLES.filter((candidate) => !tables.has(candidate))) {
      const review = await send("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", { as: role, body: { spec: { namespace: WEB_TEAM } } });
      const rules = (review.json().status as { resourceRules: { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }[] }).resourceRules;
      tables.set(role, new Map(rules.filter((rule) => !rule.resourceNames).map((rule) => [`${rule.resources[0]}${rule.apiGroups[0] ? `.${rule.apiGroups[0]}` : ""}`, rule.verbs])));
    }
    for (const [role, rules] of tables) {
      for (const [resource, group, plural] of [["virtualmachines.vmoperator.vmware.com", "vmoperator.vmware.com", "virtualmachines"], ["pods", "", "pods"]] as const) {
        const reviews = await Promise.all(VERBS.map((verb) => askFor(role, { namespace: WEB_TEAM, verb, group, resource: plural })));
        expect(rules.get(resource) ?? [], `${role} ${resource}`).toEqual(VERBS.filter((_, index) => allowedIn(reviews[index]!)));
      }
      expect(rules.has("users"), "only administrators impersonate").toBe(role === "administrator");
    }
    // A developer's namespaces by name, with what they may do to each.
    const owner = await send("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", { as: "owner", body: { spec: { namespace: WEB_TEAM } } });
    expect((owner.json().status as { resourceRules: unknown[] }).resourceRules).toContainEqual({ verbs: ["get", "update", "patch"], apiGroups: [""], resources: ["namespaces"], resourceNames: [WEB_TEAM] });
    const viewer = tables.get("viewer")!;
    expect(viewer.get(`namespaces [${WEB_TEAM}]`)).toEqual(["get"]);
    expect(viewer.get("namespaces")).toEqual(["list", "watch", "create"]);
    const review = await send("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", { as: "viewer", body: { spec: { namespace: WEB_TEAM } } });
    expect(review.json().status).toMatchObject({ incomplete: false });
  });
});

describe("discovery and OpenAPI", () => {
  it("kubectl lists the reviews among the API's resources and explains them (1.33 from OpenAPI v3, 1.27 from v2)", async () => {
    const [resources, explained, explainedOld] = await Promise.all([
      kubectl("viewer", ["api-resources", "--api-group=authorization.k8s.io", "-o", "name"]),
      kubectl("viewer", ["explain", "selfsubjectaccessreview.spec.resourceAttributes"]),
      kubectl("viewer", ["explain", "selfsubjectreviews.status.userInfo"], "1.27"),
    ]);
    expect(names(resources.stdout)).toEqual(["selfsubjectaccessreviews.authorization.k8s.io", "selfsubjectrulesreviews.authorization.k8s.io", "subjectaccessreviews.authorization.k8s.io"]);
    expect(explained.stdout).toContain("subresource\t<string>");
    expect(explainedOld.stdout).toContain("groups\t<[]string>");
  });
});

// ---- auth whoami ----

describe("kubectl auth whoami", () => {
  const GROUPS: Record<Role, string[]> = {
    administrator: ["skylight:administrators", "system:authenticated"],
    operator: ["skylight:operators", "system:authenticated"],
    owner: ["skylight:developers", "developers", "system:authenticated"],
    editor: ["skylight:developers", "developers", "web-editors", "system:authenticated"],
    viewer: ["skylight:developers", "developers", "system:authenticated"],
    outsider: ["skylight:developers", "system:authenticated"],
  };
  it("each role's name and groups: kubectl 1.33 (v1) and 1.27 (v1beta1), and the review itself", async () => {
    const throughKubectl: [Role, keyof typeof RELEASES][] = [["administrator", "1.33"], ["operator", "1.33"], ["editor", "1.33"], ["viewer", "1.27"]];
    const answers = await Promise.all(throughKubectl.map(([role, release]) => kubectl(role, ["auth", "whoami", "-o", "json"], release)));
    const infos = new Map<Role, unknown>();
    throughKubectl.forEach(([role], index) => {
      expect(answers[index]!.code, answers[index]!.stderr).toBe(0);
      infos.set(role, (JSON.parse(answers[index]!.stdout) as { status: { userInfo: unknown } }).status.userInfo);
    });
    for (const role of ROLES.filter((candidate) => !infos.has(candidate))) {
      infos.set(role, ((await send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { as: role, body: {} })).json().status as { userInfo: unknown }).userInfo);
    }
    for (const role of ROLES) expect(infos.get(role), role).toEqual({ username: USERNAMES[role], uid: `user-${USERNAMES[role]}`, groups: GROUPS[role] });
  });
});

// ---- impersonation ----

describe("whoami --as", () => {
  it("is the impersonated user, with the extra attributes the administrator sent", async () => {
    const whoami = await send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { headers: { "impersonate-user": "dana", "impersonate-extra-reason": ["audit", "ticket-7"] }, body: {} });
    expect((whoami.json().status as { userInfo: unknown }).userInfo).toEqual({
      username: "dana",
      uid: "user-dana",
      groups: ["skylight:developers", "developers", "web-editors", "system:authenticated"],
      extra: { reason: ["audit", "ticket-7"] },
    });
  });
});

describe("kubectl --as", () => {
  it.each(["1.27", "1.33"] as const)("kubectl %s: an administrator --as=dana sees exactly what dana sees", async (release) => {
    const [vmsAs, nsAs] = await Promise.all([
      kubectl("administrator", ["get", "vm", "-A", "-o", "name", "--as=dana"], release),
      kubectl("administrator", ["get", "ns", "-o", "name", "--as=dana", "--as-group=web-editors"], release),
    ]);
    const listed = async (role: Role, path: string) => ((await send("GET", path, { as: role })).json().items as { metadata: { name: string } }[]).map((item) => item.metadata.name).sort();
    expect(names(vmsAs.stdout)).toEqual((await listed("editor", `${VMS}/virtualmachines`)).map((name) => `virtualmachine.vmoperator.vmware.com/${name}`));
    expect(names(vmsAs.stdout)).toEqual(["virtualmachine.vmoperator.vmware.com/web-01"]);
    expect(await listed("administrator", `${VMS}/virtualmachines`)).toContain("apps-01");
    expect(names(nsAs.stdout)).toEqual((await listed("editor", "/api/v1/namespaces")).map((name) => `namespace/${name}`));
    // Every signed-in user reads `default`; of the rest, dana sees only the namespace she holds a role in.
    expect(names(nsAs.stdout)).toEqual(["namespace/default", `namespace/${WEB_TEAM}`]);
  });

  it.each(["1.27", "1.33"] as const)("kubectl %s: an operator --as=dana is refused in kube's words", async (release) => {
    const refused = await kubectl("operator", ["get", "vm", "-A", "--as=dana"], release);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('Error from server (Forbidden): users "dana" is forbidden: User "olivia" cannot impersonate resource "users" in API group "" at the cluster scope: only administrators may act as another user');
  });

  it("a write --as runs as that user: refused to a viewer, and recorded as the administrator acting as the editor", async () => {
    const asViewer = await kubectl("administrator", ["label", "vm", "web-01", "-n", WEB_TEAM, "tier=gold", "--as=vera"]);
    expect(asViewer.stderr).toContain(`User "vera" cannot patch resource "virtualmachines"`);
    const asEditor = await kubectl("administrator", ["label", "vm", "web-01", "-n", WEB_TEAM, "tier=gold", "--as=dana"]);
    expect(asEditor.stderr).toBe("");
    const { rows } = await kube.pool.query<{ initiator: string; actor: string }>(
      `SELECT t.initiator, e.actor FROM tasks t JOIN events e ON e.task_id = t.id WHERE t.target_name = 'web-01' AND t.queued_at > now() - interval '1 minute' AND t.initiator <> $1`,
      [OPERATOR.username],
    );
    expect(rows).toEqual([{ initiator: "admin as dana", actor: "admin as dana" }]);
    const vm = (await send("GET", `${VMS}/namespaces/${WEB_TEAM}/virtualmachines/web-01`)).json() as { metadata: { managedFields: { manager: string }[] } };
    expect(vm.metadata.managedFields.map((entry) => entry.manager)).toContain("kubectl-label");
  });

  it("a watch --as shows only what that user may see", async () => {
    const watch = await send("GET", `${VMS}/virtualmachines?watch=true&timeoutSeconds=1`, { as: "administrator", headers: { "impersonate-user": "dana" } });
    const watched = watch.text.split("\n").filter(Boolean).map((line) => (JSON.parse(line) as { object: { metadata: { name: string } } }).object.metadata.name);
    expect(watched).toEqual(["web-01"]);
  });

  it("a pod's log --as is decided for that user, as every pod stream is", async () => {
    const path = `/api/v1/namespaces/${WEB_TEAM}/pods/web-pod/log`;
    const [asOutsider, asViewer] = await Promise.all([send("GET", path, { headers: { "impersonate-user": "eve" } }), send("GET", path, { headers: { "impersonate-user": "vera" } })]);
    expect(asOutsider.status).toBe(403);
    expect(asOutsider.json().message).toBe(`pods "web-pod" is forbidden: User "eve" cannot get resource "pods/log" in API group "" in the namespace "${WEB_TEAM}": You have no access to namespace ${WEB_TEAM}.`);
    expect(asViewer.status, asViewer.text).not.toBe(403);
  });

  it("an open watch --as ends once its administrator may no longer act as another user", async () => {
    const { token } = await kube.addUser("ada", "administrator");
    let text = "";
    const watching = new Promise<void>((resolve, reject) => {
      const path = `${VMS}/virtualmachines?watch=true&timeoutSeconds=10`;
      httpsRequest({ host: "127.0.0.1", port: kube.server.port, agent, path, headers: { authorization: `Bearer ${token}`, "impersonate-user": "dana" } }, (response) => {
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", resolve);
      })
        .on("error", reject)
        .end();
    });
    await waitFor(async () => text.includes('"name":"web-01"'), "the watch's first event", 10_000);
    await kube.pool.query(`UPDATE users SET role = 'operator' WHERE username = 'ada'`);
    // The watch re-checks every 5 s and on a notice of access changes; this re-checks every watch at once.
    await recheckWatches();
    await watching;
    const events = text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { type: string; object: { message?: string } });
    expect(events.at(-1)).toMatchObject({ type: "ERROR", object: { message: expect.stringContaining('User "ada" cannot impersonate resource "users"') } });
  });
});

// ---- SubjectAccessReview ----

const SAR = "/apis/authorization.k8s.io/v1/subjectaccessreviews";
const sar = (user: string, verb: string, extra: Record<string, unknown> = {}) => ({
  kind: "SubjectAccessReview",
  apiVersion: "authorization.k8s.io/v1",
  spec: { user, resourceAttributes: { namespace: WEB_TEAM, verb, group: "vmoperator.vmware.com", resource: "virtualmachines" }, ...extra },
});

describe("SubjectAccessReview", () => {
  it("answers an administrator for another user, by that user's rules", async () => {
    const [dana, vera, ghost, foreignGroup] = await Promise.all([
      send("POST", SAR, { body: sar("dana", "update") }),
      send("POST", SAR, { body: sar("vera", "update") }),
      send("POST", SAR, { body: sar("ghost", "get") }),
      send("POST", SAR, { body: sar("vera", "get", { groups: ["system:masters"] }) }),
    ]);
    expect(dana.json().status).toEqual({ allowed: true });
    expect(vera.json().status).toMatchObject({ allowed: false, denied: true, reason: `You can view namespace ${WEB_TEAM} but not change it: operating its VMs needs the edit or owner role.` });
    expect(ghost.json().status).toMatchObject({ allowed: false, reason: "there is no enabled Skylight user ghost" });
    expect(foreignGroup.json().status).toMatchObject({ allowed: false, evaluationError: "vera is not in group system:masters, and Skylight decides by a user's own groups" });
  });

  it("is refused to everyone else before the body is read", async () => {
    for (const role of ["operator", "owner"] as const) {
      const refused = await send("POST", SAR, { as: role, body: "{not json" });
      expect(refused.status).toBe(403);
      expect(refused.json().message).toBe(
        `subjectaccessreviews.authorization.k8s.io is forbidden: User "${USERNAMES[role]}" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope: only administrators may ask what others may do`,
      );
    }
    const developer = await kubectl("owner", ["auth", "can-i", "get", "vm", "-n", WEB_TEAM, "--as=vera"]);
    expect(developer.stderr).toContain('users "vera" is forbidden: User "dev" cannot impersonate resource "users"');
  });

  it("a review that is not one is refused naming the field", async () => {
    const both = await send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", { body: { spec: { resourceAttributes: { verb: 1 }, nonResourceAttributes: { path: "/api" } } } });
    expect(both.status).toBe(422);
    expect(both.json().message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
    const wrongType = await send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", { body: { spec: { resourceAttributes: { verb: 1 } } } });
    expect(wrongType.json().message).toBe('SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.verb: must be a string');
  });
});

// ---- hostile impersonation ----

describe("Impersonate-* headers never raise privilege", () => {
  const HOSTILE: { label: string; as: Role; headers: Record<string, string | string[]>; status: number; message: string }[] = [
    { label: "a developer acting as an administrator", as: "owner", headers: { "impersonate-user": "admin" }, status: 403, message: 'users "admin" is forbidden: User "dev" cannot impersonate resource "users"' },
    { label: "a developer asking for system:masters alone", as: "owner", headers: { "impersonate-group": "system:masters" }, status: 403, message: 'User "dev" cannot impersonate resource "users"' },
    { label: "an operator acting as itself", as: "operator", headers: { "impersonate-user": "olivia" }, status: 403, message: 'User "olivia" cannot impersonate resource "users"' },
    { label: "an empty user", as: "administrator", headers: { "impersonate-user": "" }, status: 400, message: "Impersonate-User: must name exactly one user" },
    { label: "two users", as: "administrator", headers: { "impersonate-user": ["dev", "admin"] }, status: 400, message: "Impersonate-User: must name exactly one user" },
    { label: "a very long user", as: "administrator", headers: { "impersonate-user": "x".repeat(8000) }, status: 403, message: "there is no enabled Skylight user of that name" },
    { label: "a user with system:masters", as: "administrator", headers: { "impersonate-user": "dev", "impersonate-group": ["developers", "system:masters"] }, status: 403, message: 'groups "system:masters" is forbidden' },
    { label: "a host agent's identity", as: "administrator", headers: { "impersonate-user": "system:node:esx-1.test" }, status: 403, message: "a host agent's identity cannot be impersonated" },
    { label: "another user's uid", as: "administrator", headers: { "impersonate-user": "dev", "impersonate-uid": "user-admin" }, status: 403, message: 'uids.authentication.k8s.io "user-admin" is forbidden' },
    { label: "an extra attribute named __proto__", as: "administrator", headers: { "impersonate-user": "dev", "impersonate-extra-__proto__": "x" }, status: 400, message: "__proto__ cannot be an extra attribute's key" },
    { label: "a header that is no impersonation header", as: "administrator", headers: { "impersonate-user": "dev", "impersonate-everything": "yes" }, status: 400, message: "impersonate-everything: not an impersonation header" },
  ];

  for (const { label, as, headers, status, message } of HOSTILE) {
    it(`${label}: ${status}, and nothing changes`, async () => {
      const before = await kube.pool.query(`SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT labels FROM resources WHERE kind = 'VirtualMachine' AND name = 'apps-01') AS labels`);
      const write = await send("PATCH", `${VMS}/namespaces/${APPS}/virtualmachines/apps-01`, { as, headers, body: { metadata: { labels: { owned: "yes" } } }, contentType: MERGE });
      expect(write.status, write.text).toBe(status);
      expect(write.json().message).toContain(message);
      const read = await send("GET", `${VMS}/namespaces/${APPS}/virtualmachines`, { as, headers });
      expect(read.status).toBe(status);
      const after = await kube.pool.query(`SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT labels FROM resources WHERE kind = 'VirtualMachine' AND name = 'apps-01') AS labels`);
      expect(after.rows).toEqual(before.rows);
    });
  }
});

describe("a host agent", () => {
  it("is system:node:<host> in system:nodes, may only ask who it is, and never impersonates", async () => {
    // A cluster holds either simulated hosts or agents' hosts: this one is the agents'.
    const spec = { datacenter: "dc-test", drs: { enabled: false, automationLevel: "manual", migrationThreshold: 3 }, ha: { enabled: false, hostFailuresToTolerate: 1 }, overcommit: { cpu: 4, memory: 1.25 } };
    await insertObject(kube.pool, { apiVersion: KIND_API_VERSIONS.Cluster, kind: "Cluster", namespace: "", name: "agents", labels: {}, spec });
    const { token } = await addAgentHost(OPERATOR, { name: "real-1", cluster: "agents", otherDatastores: [] }, kube.pool);
    const whoami = await send("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { token, body: {} });
    expect((whoami.json().status as { userInfo: unknown }).userInfo).toEqual({ username: "system:node:real-1", uid: "host:real-1", groups: ["system:nodes", "system:authenticated"] });
    const canI = await send("POST", SSAR, { token, body: { spec: { resourceAttributes: { verb: "get", resource: "nodes" } } } });
    expect(canI.status).toBe(403);
    expect(canI.json().message).toContain("a host agent may only ask who it is");
    const asAdmin = await send("GET", "/api/v1/nodes/real-1", { token, headers: { "impersonate-user": "admin" } });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.json().message).toBe('users "admin" is forbidden: User "system:node:real-1" cannot impersonate resource "users" in API group "" at the cluster scope: only administrators may act as another user');
  });
});

// ---- @kubernetes/client-node ----

describe("@kubernetes/client-node", () => {
  const client = <T extends k8s.ApiType>(role: Role, api: new (config: k8s.Configuration) => T) => {
    const config = new k8s.KubeConfig();
    config.loadFromFile(kubeconfigs[role]);
    return config.makeApiClient(api);
  };
  const review = (verb: string): k8s.V1SelfSubjectAccessReview => ({ spec: { resourceAttributes: { namespace: WEB_TEAM, verb, group: "vmoperator.vmware.com", resource: "virtualmachines" } } });

  it("AuthorizationV1Api.createSelfSubjectAccessReview and AuthenticationV1Api.createSelfSubjectReview", async () => {
    const [editor, viewer] = [client("editor", k8s.AuthorizationV1Api), client("viewer", k8s.AuthorizationV1Api)];
    expect((await editor.createSelfSubjectAccessReview({ body: review("delete") })).status).toMatchObject({ allowed: true });
    expect((await viewer.createSelfSubjectAccessReview({ body: review("delete") })).status).toMatchObject({ allowed: false, denied: true });
    const rules = await viewer.createSelfSubjectRulesReview({ body: { spec: { namespace: WEB_TEAM } } });
    expect(rules.status?.resourceRules.find((rule) => rule.resources?.includes("virtualmachines"))?.verbs).toEqual(["get", "list", "watch"]);
    const whoami = await client("viewer", k8s.AuthenticationV1Api).createSelfSubjectReview({ body: {} });
    expect(whoami.status?.userInfo?.username).toBe("vera");
  });
});
