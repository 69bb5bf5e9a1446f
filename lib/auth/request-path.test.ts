import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/request-path";

describe("safeNextPath", () => {
  it("keeps paths on this site and drops everything else", () => {
    expect(safeNextPath("/admin/users?tab=1")).toBe("/admin/users?tab=1");
    expect(safeNextPath("https://evil.example/")).toBe("/");
    expect(safeNextPath("//evil.example/")).toBe("/");
    expect(safeNextPath("/\\evil.example")).toBe("/");
    expect(safeNextPath("/login?next=/x")).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
  });
});
