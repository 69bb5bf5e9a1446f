import { describe, expect, it } from "vitest";
import { live, noticeTouches, type ChangeNotice } from "@/lib/live/live-dependencies";

const vmChange: ChangeNotice = { source: "resources", kinds: ["VirtualMachine"], uids: ["vm-1"], count: 1 };

describe("which queries a change notice touches", () => {
  it("touches the changed object's page and its kind's lists, not other objects or kinds", () => {
    expect(noticeTouches(vmChange, live.object("vm-1"))).toBe(true);
    expect(noticeTouches(vmChange, live.objects("VirtualMachine"))).toBe(true);
    expect(noticeTouches(vmChange, live.objects())).toBe(true);
    expect(noticeTouches(vmChange, live.object("vm-2"))).toBe(false);
    expect(noticeTouches(vmChange, live.objects("Host"))).toBe(false);
    expect(noticeTouches(vmChange, live.tasks())).toBe(false);
  });

  it("touches every object of the kinds named when a bulk statement listed no uids", () => {
    const bulk: ChangeNotice = { ...vmChange, uids: null, count: 45_000 };
    expect(noticeTouches(bulk, live.object("vm-2", "VirtualMachine"))).toBe(true);
    expect(noticeTouches(bulk, live.object("host-1", "Host"))).toBe(false);
  });

  it("touches one task's page when that task changed, or when a notice could not list its tasks", () => {
    const taskChange: ChangeNotice = { source: "tasks", kinds: ["Host"], uids: ["host-1"], ids: ["task-1"], count: 1 };
    expect(noticeTouches(taskChange, live.task("task-1"))).toBe(true);
    expect(noticeTouches(taskChange, live.task("task-2"))).toBe(false);
    expect(noticeTouches({ ...taskChange, ids: null, count: 500 }, live.task("task-2"))).toBe(true);
  });
});
