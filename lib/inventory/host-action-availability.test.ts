import { describe, expect, it } from "vitest";
import { unavailableHostActions } from "@/lib/inventory/host-action-availability";

describe("which host actions apply, and why the others do not", () => {
  it("offers Enter Maintenance Mode and Disconnect on a connected host in service", () => {
    const reasons = unavailableHostActions({ spec: { maintenanceMode: false }, status: { connectionState: "connected" } });
    expect(Object.keys(reasons).sort()).toEqual(["connect", "exitMaintenanceMode", "remove"]);
    expect(reasons.remove).toBe("Only a host in maintenance mode can be removed. Enter maintenance mode first.");
  });

  it("offers Exit Maintenance Mode (to cancel) while the host is still entering it", () => {
    const reasons = unavailableHostActions({ spec: { maintenanceMode: true }, status: { inMaintenanceMode: false } });
    expect(reasons.enterMaintenanceMode).toBe("The host is entering maintenance mode.");
    expect(reasons.exitMaintenanceMode).toBeUndefined();
    expect(reasons.disconnect).toBe("Wait until the host is in maintenance mode, or exit it.");
  });

  it("offers Remove from Inventory only in maintenance mode, and Connect only when disconnected", () => {
    expect(unavailableHostActions({ spec: { maintenanceMode: true }, status: { inMaintenanceMode: true } }).remove).toBeUndefined();
    const disconnected = unavailableHostActions({ spec: { maintenanceMode: false, disconnected: true }, status: {} });
    expect(disconnected.connect).toBeUndefined();
    expect(disconnected.enterMaintenanceMode).toBe("Connect the host first, so its VMs can be migrated.");
  });
});
