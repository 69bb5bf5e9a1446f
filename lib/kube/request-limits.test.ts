// The work one request to the Kubernetes API can cause is bounded (lib/kube/api-limits.ts), and
// each bound answers as kube-apiserver answers: JSON patches (operations, copies, size and depth
// of the result), bodies (size, nesting, YAML aliases and values), list and watch parameters,
// watches from a resourceVersion not reached yet, and watches per user.
import { request as httpsRequest } from "node:https";
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { MAX_WATCHES_PER_USER } from "@/lib/kube/api-limits";
import { NAMESPACE, OPERATOR, vmSpec } from "@/lib/testing/engine-harness";
import { createKubeHarness, type KubeHarness, type KubeUser } from "@/lib/testing/kube-harness";

let kube: KubeHarness;
const VM = "limits-vm";
const VMS = `/apis/vmoperator.vmware.com/v1alpha3/namespaces/${NAMESPACE}/virtualmachines`;

beforeAll(async () => {
  kube = await createKubeHarness({ port: 6562 });
  await createVirtualMachine(OPERATOR, { namespace: NAMESPACE, name: VM, spec: vmSpec() }, kube.pool);
});
afterAll(async () => kube?.stopKube());

const jsonPatch = (operations: unknown[], as: KubeUser = "administrator", path = `${VMS}/${VM}`) =>
  kube.request("PATCH", path, { as, body: JSON.stringify(operations), contentType: "application/json-patch+json" });

async function vmVersion() {
  const { rows } = await kube.pool.query<{ resource_version: string }>(`SELECT resource_version::text FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [VM]);
  return rows[0]!.resource_version;
}

/** 40 copies of the spec into itself: each doubles it (the 2 KB patch that froze the process at 7 GB). */
const doublingCopies = Array.from({ length: 40 }, (_, index) => ({ op: "copy", from: "/spec", path: `/spec/copy${index}` }));

describe("JSON patches are bounded as they apply", () => {
  test("the doubling copies from a developer with no access are Forbidden before the patch is read", async () => {
    const started = Date.now();
    for (const path of [`${VMS}/${VM}`, `/api/v1/namespaces/${NAMESPACE}`]) {
      const refused = await jsonPatch(doublingCopies, "developer", path);
      expect(refused.status).toBe(403);
    }
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test("an administrator's doubling copies stop at 3 MiB of copies with 413, quickly and without the heap growing", async () => {
    const version = await vmVersion();
    const heap = process.memoryUsage().heapUsed;
    const started = Date.now();
    const refused = await jsonPatch(doublingCopies);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(200 * 1024 * 1024);
    expect(refused.status).toBe(413);
    expect(refused.json()).toMatchObject({ reason: "RequestEntityTooLarge", message: expect.stringMatching(/^Unable to complete the copy, the accumulated size increase of copy is \d+, exceeding the limit 3145728$/) });
    expect(await vmVersion()).toBe(version);
  });

  test("adds that grow the object past 3 MiB are refused as they apply, not at the end", async () => {
    const refused = await jsonPatch([
      { op: "add", path: "/spec/a", value: "x".repeat(1024 * 1024) },
      { op: "copy", from: "/spec/a", path: "/spec/b" },
      { op: "copy", from: "/spec/a", path: "/spec/c" },
    ]);
    expect(refused.status).toBe(413);
    expect(refused.json().message).toBe("Request entity too large: the patched object would be larger than the limit of 3145728 bytes");
  });

  test("an object of more than 10,000 values is refused on create, replace, patch and apply, quickly", async () => {
    const volumes = Array.from({ length: 3_000 }, (_, index) => ({ name: `v${index}`, persistentVolumeClaim: { claimName: `c${index}` } }));
    const manifest = (name: string) => JSON.stringify({ apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", metadata: { name }, spec: { ...vmSpec(), volumes } });
    const started = Date.now();
    for (const [method, path, body, contentType, what] of [
      ["POST", VMS, manifest("many-values"), "application/json", "the object"],
      ["PUT", `${VMS}/${VM}`, manifest(VM), "application/json", "the object"],
      ["PATCH", `${VMS}/${VM}`, JSON.stringify({ spec: { volumes } }), "application/strategic-merge-patch+json", "the patched object"],
      ["PATCH", `${VMS}/${VM}?fieldManager=limits`, manifest(VM), "application/apply-patch+yaml", "the apply configuration"],
    ] as const) {
      const refused = await kube.request(method, path, { body, contentType });
      expect([method, refused.status, refused.json().message]).toEqual([method, 413, `Request entity too large: ${what} would hold more than 10000 values`]);
    }
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  test("more than 10,000 operations are 413, as kube-apiserver answers", async () => {
    const refused = await jsonPatch(Array.from({ length: 10_001 }, () => ({ op: "test", path: "/kind", value: "VirtualMachine" })));
    expect(refused.status).toBe(413);
    expect(refused.json().message).toBe("The allowed maximum operations in a JSON patch is 10000, got 10001");
  });

  test("a patch cannot nest the object deeper than 100 levels", async () => {
    const deep = (levels: number): unknown => (levels === 0 ? 1 : { a: deep(levels - 1) });
    const viaCopy = await jsonPatch([
      { op: "add", path: "/spec/deep", value: deep(60) },
      { op: "copy", from: "/spec/deep", path: `/spec/deep${"/a".repeat(59)}` },
    ]);
    expect(viaCopy.status).toBe(422);
    expect(viaCopy.json().message).toContain("would nest the object deeper than 100 levels");
    const longPointer = await jsonPatch([{ op: "add", path: "/spec/a".repeat(101), value: 1 }]);
    expect(longPointer.status).toBe(400);
    expect(longPointer.json().message).toContain("is deeper than 100 levels");
  });
});

describe("bodies are bounded before they are parsed", () => {
  test("nesting over 100 levels is 400 whatever the size; more than 3 MiB is 413", async () => {
    const started = Date.now();
    const nested = await kube.request("PATCH", `${VMS}/${VM}`, { body: `${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`, contentType: "application/merge-patch+json" });
    expect(nested.status).toBe(400);
    expect(Date.now() - started).toBeLessThan(2_000);
    const large = await kube.request("PATCH", `${VMS}/${VM}`, { body: JSON.stringify({ spec: { x: "x".repeat(3 * 1024 * 1024) } }), contentType: "application/merge-patch+json" });
    expect([large.status, large.json().message]).toEqual([413, "Request entity too large: limit is 3145728"]);
    const deep = await kube.request("PATCH", `${VMS}/${VM}`, { body: `{"spec":${'{"a":'.repeat(150)}1${"}".repeat(150)}}`, contentType: "application/merge-patch+json" });
    expect(deep.status).toBe(400);
    expect(deep.json().message).toBe("the server rejected our request due to an error in our request: the input nests deeper than 100 levels");
  });

  test("a merge patch that is not an object, and a JSON patch that leaves no object, are refused rather than failing with 500", async () => {
    for (const contentType of ["application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"]) {
      const refused = await kube.request("PATCH", `${VMS}/${VM}?fieldManager=limits`, { body: "null", contentType });
      expect([contentType, refused.status, refused.json().message]).toEqual([contentType, 400, "the server rejected our request due to an error in our request: the patch must be a JSON object"]);
    }
    const emptied = await jsonPatch([{ op: "replace", path: "", value: 5 }]);
    expect([emptied.status, emptied.json().message]).toEqual([422, "the server rejected our request due to an error in our request: the patched object must be a JSON object"]);
    const spec = await jsonPatch([{ op: "replace", path: "/spec", value: [1] }]);
    expect([spec.status, spec.json().message]).toEqual([422, "the server rejected our request due to an error in our request: spec must be a JSON object"]);
  });

  test("YAML: aliases that multiply, too many values, deep flow collections and duplicate keys are 400", async () => {
    const laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, index) => `a${index + 1}: &a${index + 1} [${Array(10).fill(`*a${index}`).join(", ")}]`)].join("\n");
    const cases: [string, string][] = [
      [laughs, "Excessive alias count indicates a resource exhaustion attack"],
      [`spec:\n  list:\n${"  - 1\n".repeat(6_000)}`, "the YAML holds more than 5000 values"],
      [`spec: ${"[".repeat(500_000)}`, "the YAML nests deeper than 100 levels"],
      ["metadata:\n  name: a\nmetadata:\n  name: b\n", 'metadata: the key "metadata" appears twice in one mapping'],
    ];
    for (const [body, message] of cases) {
      const started = Date.now();
      const refused = await kube.request("PATCH", `${VMS}/${VM}?fieldManager=limits`, { body, contentType: "application/apply-patch+yaml" });
      expect([refused.status, refused.json().message]).toEqual([400, `the server rejected our request due to an error in our request: ${message}`]);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });
});

describe("list and watch parameters", () => {
  test("limit, continue, resourceVersion and timeoutSeconds that name nothing are 400 naming the parameter", async () => {
    const continueWith = (token: object) => Buffer.from(JSON.stringify(token)).toString("base64url");
    for (const [query, message] of [
      ["limit=1e21", 'invalid value for limit: "1e21": must be a whole number, 0 or more'],
      ["limit=0.5", 'invalid value for limit: "0.5": must be a whole number, 0 or more'],
      ["limit=-1", 'invalid value for limit: "-1": must be a whole number, 0 or more'],
      [`continue=${continueWith({ rv: "abc", ns: "", name: "" })}`, "continue key is not valid: the token was not issued by this server"],
      ["resourceVersion=abc", 'invalid value for resourceVersion: "abc": must be a resourceVersion this server issued'],
      ["resourceVersion=99999999999999999999", 'invalid value for resourceVersion: "99999999999999999999": must be a resourceVersion this server issued'],
      ["watch=1&timeoutSeconds=-5", 'invalid value for timeoutSeconds: "-5": must be a whole number, 0 or more'],
    ]) {
      const refused = await kube.request("GET", `${VMS}?${query}`);
      expect([query, refused.status, refused.json().message]).toEqual([query, 400, message]);
    }
    const events = await kube.request("GET", `/api/v1/namespaces/${NAMESPACE}/events?limit=1&continue=${Buffer.from("1e20").toString("base64url")}`);
    expect(events.status).toBe(400);
    const paged = await kube.request("GET", `${VMS}?limit=100000`);
    expect(paged.status).toBe(200);
  });

  test("a list or watch from a resourceVersion not reached yet is 504 'Too large resource version' after a short wait", async () => {
    const { resourceVersion } = (await kube.request("GET", VMS)).json().metadata as { resourceVersion: string };
    const future = String(BigInt(resourceVersion) + 1_000_000n);
    for (const query of [`resourceVersion=${future}`, `watch=1&resourceVersion=${future}`]) {
      const started = Date.now();
      const refused = await kube.request("GET", `${VMS}?${query}`);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
      expect(refused.status).toBe(504);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.json()).toMatchObject({
        reason: "Timeout",
        message: expect.stringMatching(new RegExp(`^Too large resource version: ${future}, current: \\d+$`)),
        details: { causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }], retryAfterSeconds: 1 },
      });
    }
  });
});

/** Opens a watch and resolves once its response has begun; `close` ends it. */
function openWatch(as: KubeUser): Promise<{ response: IncomingMessage; close(): void }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      { host: "127.0.0.1", port: kube.server.port, path: "/apis/vmoperator.vmware.com/v1alpha3/virtualmachines?watch=1", ca: kube.server.certificateAuthorityPem, agent: false, headers: { authorization: `Bearer ${kube.tokens[as]}` } },
      (response) => resolve({ response, close: () => outgoing.destroy() }),
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("watches per user", () => {
  test(`one user holds at most ${MAX_WATCHES_PER_USER} watches; one more is 429 with Retry-After, and another user is not held back`, async () => {
    const open = await Promise.all(Array.from({ length: MAX_WATCHES_PER_USER }, () => openWatch("operator")));
    try {
      expect(open.map((watch) => watch.response.statusCode)).toEqual(Array(MAX_WATCHES_PER_USER).fill(200));
      const refused = await kube.request("GET", `${VMS}?watch=1`, { as: "operator" });
      expect(refused.status).toBe(429);
      expect(refused.headers["retry-after"]).toBe("1");
      expect(refused.json()).toMatchObject({ reason: "TooManyRequests", details: { retryAfterSeconds: 1 } });

      const other = await openWatch("administrator");
      expect(other.response.statusCode).toBe(200);
      other.close();

      // A closed watch frees its place.
      open.pop()!.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await openWatch("operator");
      expect(again.response.statusCode).toBe(200);
      open.push(again);
    } finally {
      for (const watch of open) watch.close();
      // Let the server see the connections go before the database does.
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
});
