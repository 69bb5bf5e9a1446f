import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { EVERYTHING } from "@/lib/auth/authorize";
import { createTask, finishTasks, recordEvent } from "@/lib/engine/activity";
import { insertObject } from "@/lib/engine/object-store";
import { readRecentTasks, readTaskDetail } from "@/lib/inventory/task-reads";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL! });
afterAll(() => pool.end());

const host = (name: string) => insertObject(pool, { apiVersion: "skylight.io/v1alpha1", kind: "Host", namespace: "", name, spec: {} });

describe("task reads", () => {
  it("lists everyone's newest tasks, or only mine, and links a target only while it exists", async () => {
    const kept = await host("esx-kept");
    const removed = await host("esx-removed");
    const first = await createTask(pool, { operation: "Host.enterMaintenanceMode", description: "Enter maintenance mode on esx-kept", target: kept, initiator: "olivia" });
    await pool.query("UPDATE tasks SET queued_at = queued_at - interval '1 second' WHERE id = $1", [first]);
    const second = await createTask(pool, { operation: "Host.remove", description: "Remove host esx-removed", target: removed, initiator: "admin" });
    await pool.query("DELETE FROM resources WHERE uid = $1", [removed.uid]);

    const all = await readRecentTasks({ access: EVERYTHING });
    expect(all.map((task) => task.id)).toEqual([second, first]);
    expect(all[0]).toMatchObject({ targetName: "esx-removed", targetUid: null, state: "queued" });
    expect(all[1]).toMatchObject({ targetName: "esx-kept", targetUid: kept.uid });
    expect((await readRecentTasks({ initiator: "olivia", access: EVERYTHING })).map((task) => task.id)).toEqual([first]);
  });

  it("shows a task with the events it wrote and those of its target meanwhile, not other objects' events", async () => {
    const target = await host("esx-events");
    const other = await host("esx-other");
    const id = await createTask(pool, { operation: "Host.enterMaintenanceMode", description: "Enter maintenance mode on esx-events", target, initiator: "olivia" });
    await recordEvent(pool, { reason: "Host.enterMaintenanceMode", message: "olivia asked for maintenance mode", object: target, actor: "olivia", taskId: id });
    await recordEvent(pool, { reason: "Host.notResponding", message: "esx-events stopped heartbeating", object: target, severity: "warning" });
    await recordEvent(pool, { reason: "Host.notResponding", message: "esx-other stopped heartbeating", object: other, severity: "warning" });
    await finishTasks(pool, [id], { error: "Not enough capacity on the other hosts for 3 VMs." });

    const detail = await readTaskDetail(id, EVERYTHING);
    expect(detail?.task).toMatchObject({ state: "error", error: "Not enough capacity on the other hosts for 3 VMs.", initiator: "olivia" });
    expect(detail?.events.map((event) => [event.message, event.fromThisTask])).toEqual([
      ["olivia asked for maintenance mode", true],
      ["esx-events stopped heartbeating", false],
    ]);
  });

  it("finds no task for an unknown or malformed id", async () => {
    expect(await readTaskDetail(randomUUID(), EVERYTHING)).toBeNull();
    expect(await readTaskDetail("not-a-task", EVERYTHING)).toBeNull();
  });
});
