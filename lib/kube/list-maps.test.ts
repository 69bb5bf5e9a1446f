import { describe, expect, test } from "vitest";
import { listMapKeys } from "@/lib/kube/list-maps";
import { strategicMergePatch } from "@/lib/kube/patches";

describe("list-map lists", () => {
  test("a VM's volumes merge by name; a list named after an Object.prototype member is atomic", () => {
    expect(listMapKeys("VirtualMachine", ["spec", "volumes"])).toEqual(["name"]);
    for (const field of ["hasOwnProperty", "constructor", "toString", "valueOf"]) expect(listMapKeys("VirtualMachine", [field])).toBeUndefined();
    expect(listMapKeys("hasOwnProperty", ["spec", "volumes"])).toBeUndefined();
  });

  test("a strategic merge patch with a list under hasOwnProperty replaces that list like any atomic one", () => {
    const keysAt = (path: string[]) => listMapKeys("VirtualMachine", path);
    expect(strategicMergePatch({ spec: {} }, { hasOwnProperty: ["", "x"] }, keysAt)).toEqual({ spec: {}, hasOwnProperty: ["", "x"] });
  });
});
