// A definition's versions in kube's priority order, the first being the one discovery prefers.
import { describe, expect, test } from "vitest";
import { byVersionPriority } from "@/lib/kube/served-custom-kinds";

describe("byVersionPriority", () => {
  test("orders versions as kube-apiserver's discovery does (the example of the CRD versioning docs)", () => {
    const shuffled = ["foo10", "v1", "v11alpha2", "v3beta1", "v12alpha1", "foo1", "v10beta3", "v2", "v11beta2", "v10"];
    expect(shuffled.sort(byVersionPriority)).toEqual(["v10", "v2", "v1", "v11beta2", "v10beta3", "v3beta1", "v12alpha1", "v11alpha2", "foo1", "foo10"]);
  });
});
