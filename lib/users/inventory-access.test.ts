import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/authorize";
import { ForbiddenError } from "@/lib/errors";
import { readInventoryAccess } from "@/lib/users/inventory-access";
import { createUser, setUserDisabled } from "@/lib/users/user-admin";

let administrator: Actor;
let operator: Actor;
let developer: Actor;

beforeAll(async () => {
  administrator = { id: (await createUser("system", { username: "root", name: "Root", role: "administrator", password: "root-password" })).id, role: "administrator" };
  operator = { id: (await createUser("system", { username: "ops", name: "Ops", role: "operator", password: "ops-password" })).id, role: "operator" };
  developer = { id: (await createUser("system", { username: "devon", name: "Devon", role: "developer", password: "devon-password" })).id, role: "developer" };
  const retired = await createUser("system", { username: "retired", name: "Retired", role: "operator", password: "retired-password" });
  await setUserDisabled(administrator, { userId: retired.id, disabled: true });
});

describe("who has access to inventory objects", () => {
  it("lists enabled administrators, then operators, and leaves out developers and disabled users", async () => {
    expect(await readInventoryAccess(operator)).toEqual([
      { username: "root", name: "Root", role: "administrator" },
      { username: "ops", name: "Ops", role: "operator" },
    ]);
  });

  it("is refused to a user who cannot read the inventory", async () => {
    await expect(readInventoryAccess(developer)).rejects.toBeInstanceOf(ForbiddenError);
  });
});
