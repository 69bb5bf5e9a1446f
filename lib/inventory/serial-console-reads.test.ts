// The Monitor tab's serial console of a VM on a real host, read as the agent last reported it, and
// the change notice that refreshes it live: a new serial line or guest address notifies under the
// VM's uid; a report that changes only counters does not.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertObject } from "@/lib/engine/object-store";
import { readSerialConsole, serialLines } from "@/lib/inventory/serial-console-reads";
import { createLiveHub, type LiveHub, type LiveMessage } from "@/lib/live/live-hub";

const url = process.env.DATABASE_URL!;
const pool = new pg.Pool({ connectionString: url, max: 4 });
let hub: LiveHub;
let realVm: string;
let simulatedVm: string;

const vm = (name: string) =>
  insertObject(pool, { apiVersion: "vmoperator.vmware.com/v1alpha3", kind: "VirtualMachine", namespace: "apps", name, spec: { className: "best-effort-xsmall", imageName: "skylight-tiny" } }).then(
    (object) => object.uid,
  );
const report = (status: object) => pool.query(`UPDATE agent_machines SET status = status || $1::jsonb WHERE owner_key = 'apps/tiny-01'`, [JSON.stringify(status)]);

beforeAll(async () => {
  hub = createLiveHub({ connectionString: url, windowMs: 50 });
  await hub.ready;
  realVm = await vm("tiny-01");
  simulatedVm = await vm("web-01");
  await pool.query(`INSERT INTO agent_machines (id, owner_key, host, spec, status) VALUES ('qm-0001', 'apps/tiny-01', 'qemu-01.lab', '{}', $1)`, [
    JSON.stringify({ powerState: "PoweredOn", ipAddress: null, serialTail: "\u001b[0;32mbooting\u001b[0m\r\nSKYLIGHT-GUEST-READY address=10.0.2.15\r\n", counters: null }),
  ]);
});
afterAll(async () => {
  hub.close();
  await pool.end();
});

describe("a VM's serial console", () => {
  it("shows a real host's VM its log as readable lines, newest last, and a simulated VM none", async () => {
    expect(await readSerialConsole(realVm)).toEqual({ host: "qemu-01.lab", powerState: "PoweredOn", ipAddress: null, lines: ["booting", "SKYLIGHT-GUEST-READY address=10.0.2.15"] });
    expect(await readSerialConsole(simulatedVm)).toBeNull();
    expect(await readSerialConsole("not-a-uid")).toBeNull();
    const long = Array.from({ length: 250 }, (_, index) => `tick ${index}`).join("\n");
    expect(serialLines(long)).toHaveLength(200);
    expect(serialLines(long).at(-1)).toBe("tick 249");
  });

  it("notifies the VM's page when the agent reports a new line or address, not when only counters move", async () => {
    const messages: LiveMessage[] = [];
    hub.subscribe((message) => messages.push(message));
    const machineNotices = () => messages.flatMap((message) => (message.type === "change" && message.notice.source === "machines" ? [message.notice] : []));

    await report({ counters: { sampledAt: new Date().toISOString(), cpuSeconds: 1, rssBytes: 1, diskReadBytes: 0, diskWriteBytes: 0, netRxBytes: 0, netTxBytes: 0 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(machineNotices()).toEqual([]);

    await report({ serialTail: "booting\nSKYLIGHT-GUEST-READY address=10.0.2.15\ntick\n", ipAddress: "10.0.2.15" });
    await expect.poll(machineNotices).toEqual([{ source: "machines", kinds: ["VirtualMachine"], uids: [realVm], count: 1 }]);
    expect(await readSerialConsole(realVm)).toMatchObject({ ipAddress: "10.0.2.15", lines: ["booting", "SKYLIGHT-GUEST-READY address=10.0.2.15", "tick"] });
  });
});
