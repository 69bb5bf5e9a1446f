import { describe, expect, it } from "vitest";
import { assertFinalizersKept, withEngineOwned } from "@/lib/vocabulary/engine-owned-metadata";

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
