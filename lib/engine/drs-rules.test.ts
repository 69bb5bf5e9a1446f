import { describe, expect, it } from "vitest";
import { breaksRule, hostChoice, mustRuleRefusal, ruleViolations } from "@/lib/engine/drs-rules";
import type { DrsRule } from "@/lib/engine/schemas";

const HOSTS = ["esx-1", "esx-2", "esx-3"];
const together: DrsRule = { name: "together", enabled: true, type: "affinity", vms: ["a/x", "a/y"] };
const apart: DrsRule = { name: "apart", enabled: true, type: "antiAffinity", vms: ["a/x", "a/y", "a/z"] };
const vmHost = (policy: DrsRule["policy"]): DrsRule => ({ name: policy!, enabled: true, type: "vmHost", vms: ["a/x"], hosts: ["esx-1"], policy });

describe("VM/Host rules", () => {
  it("breaks a VM–VM rule only where its placed peers make it so", () => {
    const locations = new Map([["a/y", "esx-2"]]);
    expect(HOSTS.filter((host) => breaksRule(together, "a/x", host, locations))).toEqual(["esx-1", "esx-3"]);
    expect(HOSTS.filter((host) => breaksRule(apart, "a/x", host, locations))).toEqual(["esx-2"]);
    // Peers not running anywhere constrain nothing; a VM not in the rule is never bound by it.
    expect(HOSTS.filter((host) => breaksRule(together, "a/x", host, new Map()))).toEqual([]);
    expect(HOSTS.filter((host) => breaksRule(apart, "a/other", host, locations))).toEqual([]);
    expect(HOSTS.filter((host) => breaksRule({ ...apart, enabled: false }, "a/x", host, locations))).toEqual([]);
  });

  it("reads each VM–Host policy the way vSphere does", () => {
    const broken = (policy: DrsRule["policy"]) => HOSTS.filter((host) => breaksRule(vmHost(policy), "a/x", host, new Map()));
    expect(broken("mustRunOn")).toEqual(["esx-2", "esx-3"]);
    expect(broken("shouldRunOn")).toEqual(["esx-2", "esx-3"]);
    expect(broken("mustNotRunOn")).toEqual(["esx-1"]);
    expect(broken("shouldNotRunOn")).toEqual(["esx-1"]);
  });

  it("excludes the hosts a must rule forbids and prefers those that break no rule", () => {
    const choice = hostChoice([apart, vmHost("shouldNotRunOn")], "a/x", HOSTS, new Map([["a/y", "esx-2"]]));
    expect([...choice.excluded]).toEqual([["esx-2", "apart"]]);
    expect(choice.preferred).toEqual(["esx-3"]);
    expect(mustRuleRefusal([apart], "a/x", "esx-2", new Map([["a/y", "esx-2"]]))).toBe('violates rule "apart" (Separate Virtual Machines)');
    expect(mustRuleRefusal([vmHost("shouldRunOn")], "a/x", "esx-2", new Map())).toBeNull();
  });

  it("says which rules the running VMs violate, and how", () => {
    const locations = new Map([
      ["a/x", "esx-1"],
      ["a/y", "esx-2"],
      ["a/z", "esx-2"],
    ]);
    expect(ruleViolations([together, apart, vmHost("mustNotRunOn"), vmHost("mustRunOn")], locations)).toEqual([
      { rule: "together", message: 'Rule "together" (Keep Virtual Machines Together) is violated: its VMs run on 2 hosts (esx-1, esx-2) instead of one.' },
      { rule: "apart", message: 'Rule "apart" (Separate Virtual Machines) is violated: a/y and a/z run on the same host esx-2.' },
      { rule: "mustNotRunOn", message: 'Rule "mustNotRunOn" (Must not run on hosts in group) is violated: a/x runs on esx-1.' },
    ]);
  });
});
