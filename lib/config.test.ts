import { describe, expect, it } from "vitest";
import { readConfig } from "@/lib/config";

describe("readConfig", () => {
  it("defaults to the embedded database under .data on port 3000", () => {
    const config = readConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.port).toBe(3000);
    expect(config.seedDemoInventory).toBe(true);
  });

  it("names the variable and the rule when a value is wrong", () => {
    expect(() => readConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => readConfig({ SKYLIGHT_DEMO: "maybe" })).toThrow(/SKYLIGHT_DEMO/);
    expect(() => readConfig({ SKYLIGHT_ADMIN_PASSWORD: "short" })).toThrow(/SKYLIGHT_ADMIN_PASSWORD: must be at least 8 characters/);
    expect(() => readConfig({ DATABASE_URL: "mysql://x/y" })).toThrow(/DATABASE_URL/);
  });
});
