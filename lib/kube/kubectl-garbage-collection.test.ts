// ownerReferences and the garbage collector through the real kubectl (1.27 and 1.33) on a simulated
// inventory: a VM's or pod's owner deleted in the background takes them along; one deleted in the
// foreground stays, with its deletionTimestamp and the foregroundDeletion finalizer, until its
// blocking dependent is gone; one deleted with Orphan leaves its dependent without the reference;
// a dependent with another live owner survives; a dangling owner uid (never there, or another
// object's) is collected. As an attacker with a developer's token: an owner in another namespace,
// two controllers, blockOwnerDeletion on a host the developer cannot change, and 10,000 references
// are refused, and nothing is created.
// The one stand-in: the blocking dependent of the foreground test is a pod on a host registered as
// running the agent, whose stop this test reports itself (releasePod, as the pod routes do when an
// agent reports it), since no agent runs here; that is what keeps the dependent there for as long
// as the test needs to look at its owner.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { releasePod } from "@/lib/engine/controllers/pod-controller";
import { getObject, insertObject } from "@/lib/engine/object-store";
import { createNamespace } from "@/lib/engine/operations/namespace-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { CLUSTER, DATASTORE, NAMESPACE, waitFor } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness, type KubeUser } from "@/lib/testing/kube-harness";
import { CLUSTER_LABEL, type OwnerReferenceShape } from "@/lib/vocabulary/engine-owned-metadata";

const ADMIN = { id: "user-admin", username: "admin", role: "administrator" } as const;
const KUBECTL_1_27 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27";
const KUBECTL_1_33 = "/usr/lib/google-cloud-sdk/bin/kubectl.1.33";
/** The developer's own namespace (edit role); NAMESPACE is one they cannot see. */
const DEV_SPACE = "dev-space";
/** A host registered as running the agent: its pods stay Terminating until their stop is reported. */
const AGENT_HOST = "agent-1.test";

type Reference = OwnerReferenceShape;
interface Served {
  metadata: { uid: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: Reference[] };
}

let kube: KubeHarness;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6621 });
  await kube.pool.query(`INSERT INTO spherelet_hosts (name, cluster, datastore, token_hash) VALUES ($1, $2, $3, 'not-a-token')`, [AGENT_HOST, CLUSTER, DATASTORE]);
  await insertObject(kube.pool, { apiVersion: KIND_API_VERSIONS.Host, kind: "Host", namespace: "", name: AGENT_HOST, labels: { [CLUSTER_LABEL]: CLUSTER }, spec: { cluster: CLUSTER, maintenanceMode: true } });
  await createNamespace(ADMIN, { name: DEV_SPACE, cluster: CLUSTER, permissions: [{ kind: "User", name: "dev", role: "edit" }] }, kube.pool);
  kube.startEngine();
});
afterAll(async () => kube?.stopKube());

const vm = (name: string, ownerReferences: Reference[] = [], namespace = NAMESPACE) =>
  JSON.stringify({
    apiVersion: "vmoperator.vmware.com/v1alpha3",
    kind: "VirtualMachine",
    metadata: { name, namespace, ...(ownerReferences.length > 0 && { ownerReferences }) },
    spec: { className: "best-effort-small", imageName: "ubuntu-24.04-server", storageClass: DATASTORE, powerState: "PoweredOff" },
  });

const pod = (name: string, ownerReferences: Reference[], nodeName?: string) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: NAMESPACE, ownerReferences },
    spec: { containers: [{ name: "main", image: "busybox:1", command: ["sleep", "3600"] }], ...(nodeName && { nodeName }) },
  });

const vmPath = (name: string, namespace = NAMESPACE) => `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${namespace}/virtualmachines/${name}`;
const podPath = (name: string) => `/api/v1/namespaces/${NAMESPACE}/pods/${name}`;

async function read(path: string): Promise<Served | null> {
  const response = await kube.request("GET", path);
  if (response.status === 404) return null;
  expect(response.status).toBe(200);
  return response.json() as unknown as Served;
}

/** Creates the object over HTTP (kubectl's start-up is the slow part of this file) and returns its uid. */
async function create(manifest: string, as: KubeUser = "operator") {
  const { kind, metadata } = JSON.parse(manifest) as { kind: string; metadata: { namespace: string } };
  const collection = kind === "Pod" ? `/api/v1/namespaces/${metadata.namespace}/pods` : `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${metadata.namespace}/virtualmachines`;
  const created = await kube.request("POST", collection, { as, body: manifest });
  expect(created.status, created.text).toBe(201);
  return (created.json() as unknown as Served).metadata.uid;
}

/** A reference to the VM `name` with `uid`, as an operator's controller writes one. */
const ownedBy = (name: string, uid: string, flags: Partial<Reference> = {}): Reference => ({ apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", name, uid, ...flags });

const gone = (path: string, what: string) => waitFor(async () => (await read(path)) === null, `${what} to be gone`, 15_000);

// Each test has objects of its own names, so the tests of a block run at once: they wait on kubectl and the engine, not on each other.
describe.concurrent("deletion with propagation", () => {
  test("background (kubectl 1.27's default, 1.33's --cascade=background): the owner goes, then its dependent VMs and pods, each deleted as garbage-collector", async () => {
    const [old, current] = await Promise.all([create(vm("bg-old")), create(vm("bg-new"))]);
    await Promise.all([create(vm("bg-old-child", [ownedBy("bg-old", old)])), create(pod("bg-old-pod", [ownedBy("bg-old", old, { controller: true })])), create(vm("bg-new-child", [ownedBy("bg-new", current, { blockOwnerDeletion: true })]))]);

    const [deletedOld, deletedNew] = await Promise.all([
      kube.kubectl(["delete", "vm", "bg-old", "-n", NAMESPACE], { binary: KUBECTL_1_27 }),
      kube.kubectl(["delete", "vm", "bg-new", "-n", NAMESPACE, "--cascade=background"], { binary: KUBECTL_1_33 }),
    ]);
    expect(deletedOld.stderr).toBe("");
    expect(deletedNew.stderr).toBe("");
    await Promise.all([gone(vmPath("bg-old-child"), "bg-old-child"), gone(podPath("bg-old-pod"), "bg-old-pod"), gone(vmPath("bg-new-child"), "bg-new-child")]);

    // Each went through the engine's own delete, with its task in Recent Tasks.
    const { rows } = await kube.pool.query<{ target_name: string; initiator: string }>(
      `SELECT target_name, initiator FROM tasks WHERE target_name = ANY($1) AND operation LIKE '%delete%' ORDER BY target_name`,
      [["bg-new-child", "bg-old-child", "bg-old-pod"]],
    );
    expect(rows).toEqual([
      { target_name: "bg-new-child", initiator: "garbage-collector" },
      { target_name: "bg-old-child", initiator: "garbage-collector" },
      { target_name: "bg-old-pod", initiator: "garbage-collector" },
    ]);
  });

  test("a ConfigMap and a Secret an operator gives an owner go with it; the Secret's owner is kept through a merge patch of its data", async () => {
    const owner = await create(vm("cfg-owner"));
    const config = (kind: "ConfigMap" | "Secret", name: string) =>
      JSON.stringify({ apiVersion: "v1", kind, metadata: { name, namespace: NAMESPACE, ownerReferences: [ownedBy("cfg-owner", owner, { controller: true })] }, data: { k: kind === "Secret" ? "dg==" : "v" } });
    for (const [kind, name] of [["ConfigMap", "cfg-owned"], ["Secret", "secret-owned"]] as const) {
      const created = await kube.request("POST", `/api/v1/namespaces/${NAMESPACE}/${kind.toLowerCase()}s`, { as: "operator", body: config(kind, name) });
      expect(created.status, created.text).toBe(201);
      expect((created.json() as unknown as Served).metadata.ownerReferences).toEqual([ownedBy("cfg-owner", owner, { controller: true })]);
    }
    const patched = await kube.kubectl(["patch", "secret", "secret-owned", "-n", NAMESPACE, "--type=merge", "-p", '{"data":{"k":"dzI="}}', "-o", "jsonpath={.metadata.ownerReferences[0].name}"]);
    expect(patched.stdout).toBe("cfg-owner");

    expect((await kube.kubectl(["delete", "vm", "cfg-owner", "-n", NAMESPACE])).stderr).toBe("");
    await Promise.all([gone(`/api/v1/namespaces/${NAMESPACE}/configmaps/cfg-owned`, "cfg-owned"), gone(`/api/v1/namespaces/${NAMESPACE}/secrets/secret-owned`, "secret-owned")]);
  });

  test("foreground (kubectl 1.27 --cascade=foreground): the owner keeps its deletionTimestamp and the foregroundDeletion finalizer until its blocking dependent is gone", async () => {
    const owner = await create(vm("fg-owner"));
    await create(pod("fg-pod", [ownedBy("fg-owner", owner, { blockOwnerDeletion: true })], AGENT_HOST));

    const deleted = await kube.kubectl(["delete", "vm", "fg-owner", "-n", NAMESPACE, "--cascade=foreground", "--wait=false"], { binary: KUBECTL_1_27 });
    expect(deleted.stderr).toBe("");
    // The dependent is being deleted (its host has not stopped it), the owner's own finalizer is
    // done (its VM is off the simulator), and the collector's holds it.
    await waitFor(async () => (await read(podPath("fg-pod")))?.metadata.deletionTimestamp, "fg-pod to be deleted");
    const held = await waitFor(async () => {
      const served = await read(vmPath("fg-owner"));
      return served && JSON.stringify(served.metadata.finalizers) === JSON.stringify(["foregroundDeletion"]) ? served : null;
    }, "fg-owner held by foregroundDeletion alone");
    expect(held.metadata.deletionTimestamp).toBeTruthy();
    expect(await kube.provider.findVm(`${NAMESPACE}/fg-owner`)).toBeNull();
    // It stays while the dependent does.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await read(vmPath("fg-owner")))?.metadata.finalizers).toEqual(["foregroundDeletion"]);

    // The pod's host reports it stopped: it goes, and its owner right after.
    await releasePod(kube.pool, (await getObject(kube.pool, { kind: "Pod", namespace: NAMESPACE, name: "fg-pod" }))!);
    await gone(podPath("fg-pod"), "fg-pod");
    await gone(vmPath("fg-owner"), "fg-owner");
  });

  test("orphan (kubectl 1.33 --cascade=orphan): the owner goes, its dependent stays without the reference to it", async () => {
    const owner = await create(vm("or-owner"));
    await create(vm("or-child", [ownedBy("or-owner", owner, { blockOwnerDeletion: true, controller: true })]));
    expect((await read(vmPath("or-child")))!.metadata.ownerReferences?.map((reference) => reference.uid)).toContain(owner);

    const deleted = await kube.kubectl(["delete", "vm", "or-owner", "-n", NAMESPACE, "--cascade=orphan"], { binary: KUBECTL_1_33 });
    expect(deleted.stderr).toBe("");
    await gone(vmPath("or-owner"), "or-owner");
    const child = (await read(vmPath("or-child")))!;
    expect(child.metadata.deletionTimestamp).toBeUndefined();
    expect(child.metadata.ownerReferences?.map((reference) => reference.kind)).toEqual(["Namespace"]);
  });

  test("a dependent with two owners (the second applied server-side) survives one's deletion, which only takes that reference away", async () => {
    const [first, second] = await Promise.all([create(vm("two-a")), create(vm("two-b"))]);
    for (const owners of [[ownedBy("two-a", first)], [ownedBy("two-a", first), ownedBy("two-b", second)]]) {
      const applied = await kube.kubectl(["apply", "--server-side", "-f", "-"], { input: vm("two-child", owners) });
      expect(applied.stderr).toBe("");
    }
    expect((await read(vmPath("two-child")))?.metadata.ownerReferences).toHaveLength(3);

    expect((await kube.kubectl(["delete", "vm", "two-a", "-n", NAMESPACE])).stderr).toBe("");
    await gone(vmPath("two-a"), "two-a");
    const child = await waitFor(async () => {
      const served = await read(vmPath("two-child"));
      return served?.metadata.ownerReferences?.every((reference) => reference.uid !== first) ? served : null;
    }, "two-child to lose its reference to two-a");
    expect(child.metadata.deletionTimestamp).toBeUndefined();
    expect(child.metadata.ownerReferences?.filter((reference) => reference.kind !== "Namespace")).toEqual([ownedBy("two-b", second)]);
  });

  test("a dangling owner is collected: a uid nothing has (created so), and one the named VM does not have (JSON-patched on)", async () => {
    const real = await create(vm("real-owner"));
    await create(vm("ghost-child", [ownedBy("ghost", randomUUID())]));
    await create(vm("mismatch-child"));
    const patched = await kube.kubectl(["patch", "vm", "mismatch-child", "-n", NAMESPACE, "--type=json", "-p", JSON.stringify([{ op: "add", path: "/metadata/ownerReferences/-", value: ownedBy("real-owner", randomUUID()) }])]);
    expect(patched.stderr).toBe("");
    await Promise.all([gone(vmPath("ghost-child"), "ghost-child"), gone(vmPath("mismatch-child"), "mismatch-child")]);
    expect((await read(vmPath("real-owner")))?.metadata.uid).toBe(real);
  });
});

describe.concurrent("ownerReferences a client may not write", () => {
  test("an owner in another namespace is refused in the garbage collector's words; a namespace cannot have a namespaced owner", async () => {
    const victim = await create(vm("victim"));
    const [crossed, namespaced] = await Promise.all([
      kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("squatter", [ownedBy("victim", victim)], DEV_SPACE) }),
      kube.kubectl(["create", "-f", "-"], { as: "administrator", input: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "owned-space", ownerReferences: [ownedBy("victim", victim)] } }) }),
    ]);
    expect(crossed.stderr).toContain(`The VirtualMachine "squatter" is invalid: metadata.ownerReferences[0]: Invalid value: "VirtualMachine/victim": ownerRef [vmoperator.vmware.com/v1alpha3/VirtualMachine, namespace: ${DEV_SPACE}, name: victim, uid: ${victim}] does not exist in namespace "${DEV_SPACE}"`);
    expect(namespaced.stderr).toContain(`The Namespace "owned-space" is invalid: metadata.ownerReferences[0]: `);
    expect(namespaced.stderr).toContain("a cluster-scoped object cannot have a namespaced owner");
    expect(await read(vmPath("squatter", DEV_SPACE))).toBeNull();
    expect((await kube.request("GET", "/api/v1/namespaces/owned-space")).status).toBe(404);
  });

  test("two controllers are refused on create and on a merge patch, in kube's words", async () => {
    const [a, b] = await Promise.all([create(vm("ctl-a", [], DEV_SPACE), "developer"), create(vm("ctl-b", [], DEV_SPACE), "developer")]);
    const both = [ownedBy("ctl-a", a, { controller: true }), ownedBy("ctl-b", b, { controller: true })];
    const [created, patched] = await Promise.all([
      kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("ctl-two", both, DEV_SPACE) }),
      kube.kubectl(["patch", "vm", "ctl-b", "-n", DEV_SPACE, "--type=merge", "-p", JSON.stringify({ metadata: { ownerReferences: both } })], { as: "developer" }),
    ]);
    const words = `metadata.ownerReferences: Invalid value: 2 controllers: Only one reference can have Controller set to true. Found "true" in references for VirtualMachine/ctl-a and VirtualMachine/ctl-b`;
    expect(created.stderr).toContain(`The VirtualMachine "ctl-two" is invalid: ${words}`);
    expect(patched.stderr).toContain(`The VirtualMachine "ctl-b" is invalid: ${words}`);
    expect(await read(vmPath("ctl-two", DEV_SPACE))).toBeNull();
    expect((await read(vmPath("ctl-b", DEV_SPACE)))?.metadata.ownerReferences?.map((reference) => reference.kind)).toEqual(["Namespace"]);
  });

  test("a developer cannot block the deletion of a host they may not change; the same reference without blockOwnerDeletion is theirs to write", async () => {
    const host = (await getObject(kube.pool, { kind: "Host", namespace: "", name: "esx-1.test" }))!;
    const onHost = (flags: Partial<Reference>) => [{ apiVersion: KIND_API_VERSIONS.Host, kind: "Host", name: "esx-1.test", uid: host.uid, ...flags }];
    const [blocking, plain] = await Promise.all([
      kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("blocker", onHost({ blockOwnerDeletion: true }), DEV_SPACE) }),
      kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("follower", onHost({}), DEV_SPACE) }),
    ]);
    expect(blocking.stderr).toContain(`Error from server (Forbidden): error when creating "STDIN": virtualmachines.vmoperator.vmware.com "blocker" is forbidden: cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: User "dev" cannot update resource "hosts/finalizers" in API group "skylight.io" at the cluster scope`);
    expect(plain.stderr).toBe("");
    expect(await read(vmPath("blocker", DEV_SPACE))).toBeNull();
  });

  test("the engine's references cannot be changed, taken over or dropped: a VM's to its namespace, a controller reference to a ReplicaSet", async () => {
    await create(vm("keeper", [], DEV_SPACE), "developer");
    const namespaceReference = (await read(vmPath("keeper", DEV_SPACE)))!.metadata.ownerReferences!;
    const replicaSet = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-abcde", uid: randomUUID(), controller: true };
    const [changed, takenOver, dropped] = await Promise.all([
      kube.kubectl(["patch", "vm", "keeper", "-n", DEV_SPACE, "--type=json", "-p", JSON.stringify([{ op: "replace", path: "/metadata/ownerReferences/0/blockOwnerDeletion", value: false }])], { as: "developer" }),
      kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("adopted", [replicaSet], DEV_SPACE) }),
      kube.kubectl(["patch", "vm", "keeper", "-n", DEV_SPACE, "--type=merge", "-p", JSON.stringify({ metadata: { ownerReferences: null } })], { as: "developer" }),
    ]);
    expect(changed.stderr).toContain(`The VirtualMachine "keeper" is invalid: metadata.ownerReferences[0]: Forbidden: this reference to Namespace ${DEV_SPACE} cannot be changed by a client`);
    expect(takenOver.stderr).toContain(`The VirtualMachine "adopted" is invalid: metadata.ownerReferences[0]: Forbidden: this reference to ReplicaSet web-abcde cannot be set by a client`);
    expect(dropped.stderr).toBe("");
    expect((await read(vmPath("keeper", DEV_SPACE)))!.metadata.ownerReferences).toEqual(namespaceReference);
    expect(await read(vmPath("adopted", DEV_SPACE))).toBeNull();
    // Repeated as the engine wrote it (a VM exported and created again), the namespace's reference is fine, and there once.
    await create(vm("copy", namespaceReference, DEV_SPACE), "developer");
    expect((await read(vmPath("copy", DEV_SPACE)))!.metadata.ownerReferences).toEqual(namespaceReference);
  });

  test("10,000 ownerReferences are refused by the object bound, and 65 by the references' own, naming the field; nothing is created", async () => {
    const references = (count: number) => Array.from({ length: count }, (_, index) => ownedBy(`owner-${index}`, randomUUID()));
    const [huge, many] = await Promise.all([
      kube.request("POST", `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${DEV_SPACE}/virtualmachines`, { as: "developer", body: vm("hoarder", references(10_000), DEV_SPACE) }),
      kube.kubectl(["create", "-f", "-"], { as: "developer", input: vm("collector", references(65), DEV_SPACE) }),
    ]);
    expect(huge.status).toBe(413);
    expect(many.stderr).toContain(`The VirtualMachine "collector" is invalid: metadata.ownerReferences: Too many: 65: must have at most 64 items`);
    expect(await read(vmPath("hoarder", DEV_SPACE))).toBeNull();
    expect(await read(vmPath("collector", DEV_SPACE))).toBeNull();
  });
});
