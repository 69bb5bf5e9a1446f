import { describe, expect, it } from "vitest";
import { assertFinalizersKept, finalizersForDeletion, withEngineOwned, withEngineOwnedReferences } from "@/lib/vocabulary/engine-owned-metadata";

const written = { app: "web", "skylight.io/cluster": "prod", "skylight.io/requested-host": "esx-1" };

describe("a client's labels and annotations against the engine's", () => {
  it("keeps the engine's keys a client leaves out or repeats, and takes the client's own as asked", () => {
    expect(withEngineOwned("labels", { tier: "gold" }, written)).toEqual({ tier: "gold", "skylight.io/cluster": "prod", "skylight.io/requested-host": "esx-1" });
    expect(withEngineOwned("labels", { ...written, app: "shop" }, written)).toEqual({ ...written, app: "shop" });
    expect(withEngineOwned("annotations", undefined, written)).toEqual({ "skylight.io/cluster": "prod", "skylight.io/requested-host": "esx-1" });
  });

  it("refuses adding or changing one, naming the field and the value the engine wrote", () => {
    expect(() => withEngineOwned("annotations", { "skylight.io/clone-of": "1234" }, {})).toThrow(
      expect.objectContaining({ field: "metadata.annotations.skylight.io/clone-of", message: expect.stringContaining("skylight.io/clone-of cannot be set by a client: labels and annotations under skylight.io/ are written only by Skylight's engine. Leave it out.") }),
    );
    expect(() => withEngineOwned("labels", { "skylight.io/cluster": "dev" }, written)).toThrow(
      expect.objectContaining({ field: "metadata.labels.skylight.io/cluster", message: expect.stringContaining('(it is "prod")') }),
    );
  });

  it("refuses values that are not strings, and keys that only look like the prefix are the client's", () => {
    expect(() => withEngineOwned("labels", { app: 1 }, written)).toThrow(expect.objectContaining({ field: "metadata.labels" }));
    expect(() => withEngineOwned("labels", ["skylight.io/cluster"], written)).toThrow(expect.objectContaining({ field: "metadata.labels" }));
    expect(withEngineOwned("labels", { "example.com/skylight.io": "x" }, {})).toEqual({ "example.com/skylight.io": "x" });
  });
});

describe("finalizers", () => {
  it("may be left out or repeated, never added or dropped; a create or an apply may name fewer than held", () => {
    const held = ["vmoperator.vmware.com/virtualmachine"];
    expect(() => assertFinalizersKept(undefined, held)).not.toThrow();
    expect(() => assertFinalizersKept([...held], held)).not.toThrow();
    expect(() => assertFinalizersKept([], held, { partial: true })).not.toThrow();
    expect(() => assertFinalizersKept([...held, "example.com/hold"], held, { partial: true })).toThrow(expect.objectContaining({ field: "metadata.finalizers" }));
    expect(() => assertFinalizersKept([], held)).toThrow(expect.objectContaining({ field: "metadata.finalizers" }));
    expect(() => assertFinalizersKept([...held, "example.com/hold"], held)).toThrow(expect.objectContaining({ field: "metadata.finalizers" }));
    expect(() => assertFinalizersKept("vmoperator.vmware.com/virtualmachine", held)).toThrow(expect.objectContaining({ message: "must be a list of strings." }));
  });
});

describe("ownerReferences against the engine's", () => {
  const namespace = { apiVersion: "v1", kind: "Namespace", name: "apps", uid: "11111111-1111-4111-8111-111111111111", blockOwnerDeletion: true };
  const replicaSet = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-x", uid: "22222222-2222-4222-8222-222222222222", controller: true, blockOwnerDeletion: true };
  const database = { apiVersion: "example.com/v1", kind: "Database", name: "db", uid: "33333333-3333-4333-8333-333333333333", controller: true };

  it("keeps the engine's a client leaves out or repeats, and takes the client's own as asked", () => {
    expect(withEngineOwnedReferences([database], [namespace])).toEqual([namespace, database]);
    expect(withEngineOwnedReferences([namespace, database], [namespace])).toEqual([namespace, database]);
    expect(withEngineOwnedReferences([], [replicaSet])).toEqual([replicaSet]);
  });

  it("refuses adding or changing one, and a second controller beside the engine's", () => {
    expect(() => withEngineOwnedReferences([replicaSet], [])).toThrow(expect.objectContaining({ field: "metadata.ownerReferences[0]", message: expect.stringContaining("cannot be set by a client") }));
    expect(() => withEngineOwnedReferences([{ ...namespace, blockOwnerDeletion: false }], [namespace])).toThrow(expect.objectContaining({ message: expect.stringContaining("cannot be changed by a client") }));
    expect(() => withEngineOwnedReferences([database], [replicaSet])).toThrow(
      expect.objectContaining({ field: "metadata.ownerReferences", message: expect.stringContaining('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/web-x and Database/db') }),
    );
  });

  it("a Foreground or Orphan delete adds kube's finalizer once; a Background one adds none", () => {
    expect(finalizersForDeletion(["skylight.io/pod"], "Foreground")).toEqual(["skylight.io/pod", "foregroundDeletion"]);
    expect(finalizersForDeletion(["orphan"], "Orphan")).toEqual(["orphan"]);
    expect(finalizersForDeletion(["skylight.io/pod"], "Background")).toEqual(["skylight.io/pod"]);
    expect(finalizersForDeletion([], undefined)).toEqual([]);
  });
});
