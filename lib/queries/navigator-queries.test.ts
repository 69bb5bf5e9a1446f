// What a change notice refetches in the navigator: an object moving between folders changes the
// level it leaves and the level it joins, so both must depend on its kind's notices.
import { describe, expect, it } from "vitest";
import { noticeTouches, type ChangeNotice } from "@/lib/live/live-dependencies";
import type { PageKind } from "@/lib/inventory/kinds";
import type { NavigatorView } from "@/lib/inventory/navigator-views";
import { navigatorChildrenQuery } from "@/lib/queries/navigator-queries";

const moved = (kind: string): ChangeNotice => ({ source: "resources", kinds: [kind], uids: ["moved-object"], count: 1 });
const refetches = (view: NavigatorView, parentKind: PageKind, notice: ChangeNotice) =>
  navigatorChildrenQuery(view, { uid: "parent", kind: parentKind }).meta!.live!.some((dependency) => noticeTouches(notice, dependency));

describe("navigator levels' live dependencies", () => {
  it("refetch both the level a folder leaves and the one it joins, in either view", () => {
    for (const view of ["vms-and-templates", "hosts-and-clusters"] as const) {
      expect(refetches(view, "Datacenter", moved("Folder"))).toBe(true);
      expect(refetches(view, "Folder", moved("Folder"))).toBe(true);
    }
  });

  it("refetch a host folder's and a datacenter's level when a cluster moves, and a VM folder's when a VM does", () => {
    expect(refetches("hosts-and-clusters", "Datacenter", moved("Cluster"))).toBe(true);
    expect(refetches("hosts-and-clusters", "Folder", moved("Cluster"))).toBe(true);
    expect(refetches("vms-and-templates", "Folder", moved("VirtualMachine"))).toBe(true);
    expect(refetches("vms-and-templates", "Namespace", moved("VirtualMachine"))).toBe(true);
    expect(refetches("storage", "Datacenter", moved("Folder"))).toBe(false);
  });
});
