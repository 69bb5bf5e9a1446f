import { describe, expect, it } from "vitest";
import { prepareInstallation } from "@/lib/boot/prepare-installation";
import { readConfig } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { sessionUsername, signInAs } from "@/lib/testing/test-auth";

describe("prepareInstallation with SKYLIGHT_DEMO=0", () => {
  it("seeds nothing beyond the default namespace (with its default service account) and gives admin the password from SKYLIGHT_ADMIN_PASSWORD", async () => {
    const logs: string[] = [];
    const config = readConfig({ SKYLIGHT_DEMO: "0", SKYLIGHT_ADMIN_PASSWORD: "chosen-password" });
    await prepareInstallation(process.env.DATABASE_URL!, config, (line) => logs.push(line));
    expect(await prisma.resource.findMany({ select: { kind: true, namespace: true, name: true }, orderBy: { kind: "asc" } })).toEqual([
      { kind: "Namespace", namespace: "", name: "default" },
      { kind: "ServiceAccount", namespace: "default", name: "default" },
    ]);
    expect(await prisma.user.count()).toBe(1);
    expect(logs.join("\n")).not.toContain("chosen-password");
    expect(await sessionUsername(await signInAs("admin", "chosen-password"))).toBe("admin");
  });
});
