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
    expect(() => readConfig({ SKYLIGHT_SIGN_IN_LOCKOUT_SECONDS: "0" })).toThrow(/SKYLIGHT_SIGN_IN_LOCKOUT_SECONDS/);
    expect(() => readConfig({ SKYLIGHT_SIGN_IN_MAX_FAILURES: "10", SKYLIGHT_SIGN_IN_MAX_ACCOUNT_FAILURES: "5" })).toThrow(
      /SKYLIGHT_SIGN_IN_MAX_ACCOUNT_FAILURES: must be at least SKYLIGHT_SIGN_IN_MAX_FAILURES/,
    );
    expect(() => readConfig({ SKYLIGHT_TRUSTED_PROXIES: "10.0.0.0/8, proxy.example" })).toThrow(/SKYLIGHT_TRUSTED_PROXIES: must be IP addresses/);
    expect(() => readConfig({ SKYLIGHT_REGISTRY_MAX_BLOB_MIB: "0" })).toThrow(/SKYLIGHT_REGISTRY_MAX_BLOB_MIB/);
    expect(() => readConfig({ SKYLIGHT_REGISTRY_NAMESPACE_MIB: "lots" })).toThrow(/SKYLIGHT_REGISTRY_NAMESPACE_MIB/);
  });

  it("bounds the registry's blobs at 2 GiB and a namespace's images at 20 GiB unless told otherwise", () => {
    expect(readConfig({})).toMatchObject({ registryMaxBlobBytes: 2 * 1024 ** 3, registryNamespaceQuotaBytes: 20 * 1024 ** 3 });
    expect(readConfig({ SKYLIGHT_REGISTRY_MAX_BLOB_MIB: "64" }).registryMaxBlobBytes).toBe(64 * 1024 ** 2);
  });

  it("defaults to vCenter's sign-in lockout policy and trusts no proxy", () => {
    const config = readConfig({});
    expect(config.signInLimits).toEqual({ attemptsPerMinute: 10, maxFailures: 5, maxAccountFailures: 20, failureWindowSeconds: 180, lockoutSeconds: 300 });
    expect(config.trustedProxies).toEqual([]);
    expect(readConfig({ SKYLIGHT_TRUSTED_PROXIES: "loopback, 10.0.0.0/8" }).trustedProxies).toEqual(["loopback", "10.0.0.0/8"]);
  });
});
