import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { productionBuildNeed } from "./production-build";

function checkout(): string {
  const root = mkdtempSync(path.join(tmpdir(), "skylight-build-"));
  mkdirSync(path.join(root, "app", "vms"), { recursive: true });
  writeFileSync(path.join(root, "app", "vms", "page.tsx"), "");
  writeFileSync(path.join(root, "app", "vms", "page.test.ts"), "");
  return root;
}

function build(root: string, at: Date): void {
  mkdirSync(path.join(root, ".next"), { recursive: true });
  writeFileSync(path.join(root, ".next", "BUILD_ID"), "x");
  utimesSync(path.join(root, ".next", "BUILD_ID"), at, at);
}

describe("npm start's production build", () => {
  it("is made on a fresh clone", () => {
    expect(productionBuildNeed(checkout())).toBe("there is no production build yet");
  });

  it("is reused while no source changed since, and made again after one did", () => {
    const root = checkout();
    build(root, new Date(Date.now() + 60_000));
    expect(productionBuildNeed(root)).toBeUndefined();

    const later = new Date(Date.now() + 120_000);
    utimesSync(path.join(root, "app", "vms", "page.tsx"), later, later);
    expect(productionBuildNeed(root)).toBe("the sources changed since the last build");
  });

  it("ignores test files, which the build does not compile", () => {
    const root = checkout();
    build(root, new Date(Date.now() + 60_000));
    const later = new Date(Date.now() + 120_000);
    utimesSync(path.join(root, "app", "vms", "page.test.ts"), later, later);
    expect(productionBuildNeed(root)).toBeUndefined();
  });
});
