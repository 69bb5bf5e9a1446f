import { describe, expect, it } from "vitest";
import { prepareInstallation } from "@/lib/boot/prepare-installation";
import { readConfig } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { sessionUsername, signInAs } from "@/lib/testing/test-auth";

const url = () => process.env.DATABASE_URL!;

describe("prepareInstallation", () => {
  it("creates admin with a generated password printed once, seeds the demo once, and is idempotent", async () => {
    const logs: string[] = [];
    const config = readConfig({});
    const [first, second] = await Promise.all([
      prepareInstallation(url(), config, (line) => logs.push(line)),
      prepareInstallation(url(), config, (line) => logs.push(line)),
    ]);
    expect(first.authSecret).toBe(second.authSecret);

    const passwordLines = logs.filter((line) => line.includes("generated password"));
    expect(passwordLines).toHaveLength(1);
    const password = /generated password: (\S+)/.exec(passwordLines[0]!)![1]!;
    expect(await sessionUsername(await signInAs("admin", password))).toBe("admin");

    const counts = await prisma.resource.groupBy({ by: ["kind"], _count: true });
    const count = (kind: string) => counts.find((row) => row.kind === kind)?._count;
    // The demo's three namespaces and default.
    expect([count("Datacenter"), count("Cluster"), count("Host"), count("VirtualMachine"), count("Namespace")]).toEqual([2, 3, 12, 60, 4]);
    expect(count("VirtualMachineClass")).toBe(16);
    expect(await prisma.user.count()).toBe(4);

    // Emptied by a user, the inventory is not seeded again on the next start.
    await prisma.resource.deleteMany({ where: { kind: "VirtualMachine" } });
    await prepareInstallation(url(), config, () => {});
    expect(await prisma.resource.count({ where: { kind: "VirtualMachine" } })).toBe(0);
  });
});
