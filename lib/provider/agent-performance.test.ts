// A real VM's rates come from two of its agent's reports: CPU seconds over the time between them as
// a share of its vCPUs, resident memory as consumed, disk bytes as throughput; its host sums them.
import { expect, test } from "vitest";
import { machinePerformance } from "@/lib/provider/agent-performance";
import type { ProviderHost } from "@/lib/provider/provider";

const host: ProviderHost = {
  name: "lab-1",
  cluster: "lab",
  connectionState: "connected",
  lastHeartbeat: new Date("2026-12-06T10:00:00Z"),
  heartbeatExpiresAt: new Date("2026-12-06T10:00:40Z"),
  cpuCores: 4,
  cpuMhz: 2000,
  memoryMiB: 8192,
  datastores: ["lab-ds"],
  version: "v1.32.0-spherelet",
  reportsOwnNode: true,
  liveMigration: false,
};

const sample = (sampledAt: string, cpuSeconds: number, diskWriteBytes: number) => ({
  ownerKey: "apps/web-1",
  host: "lab-1",
  cpus: 2,
  memoryMiB: 1024,
  counters: { sampledAt, cpuSeconds, rssBytes: 256 * 1024 * 1024, diskReadBytes: 0, diskWriteBytes, netRxBytes: 0, netTxBytes: 0 },
});

test("the second report gives rates: half a core of two vCPUs is 25 %, its MHz count on the host, written bytes are disk KBps", () => {
  const at = new Date("2026-12-06T10:00:30Z");
  const first = machinePerformance(at, [host], [sample("2026-12-06T10:00:00Z", 10, 0)], []);
  expect(first.vms[0]).toMatchObject({ ownerKey: "apps/web-1", cpuPercent: 0, memoryConsumedMiB: 256 });

  const second = machinePerformance(at, [host], [sample("2026-12-06T10:00:20Z", 20, 20 * 1024 * 1024)], []);
  expect(second.vms[0]).toMatchObject({ cpuPercent: 25, cpuMhz: 1000, memoryConsumedMiB: 256, memoryPercent: 25, diskKBps: 1024 });
  expect(second.hosts[0]).toMatchObject({ name: "lab-1", cpuCapacityMhz: 8000, cpuMhz: 1000, cpuPercent: 12.5, memoryConsumedMiB: 256 });
});

test("a host whose Lease expired reports nothing, as a simulated host that stopped heartbeating", () => {
  const report = machinePerformance(new Date("2026-12-06T10:01:00Z"), [host], [], []);
  expect(report.hosts).toEqual([]);
});
