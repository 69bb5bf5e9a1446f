// The Recent Tasks pane's remembered size: read back as written, the default until then, and bad
// values refused by field and rule without touching what was saved.
import { beforeAll, describe, expect, it } from "vitest";
import { readRecentTasksPane, recentTasksPaneSchema, writeRecentTasksPane } from "@/lib/preferences/user-preferences";
import { createUser } from "@/lib/users/user-admin";

let userId: string;
beforeAll(async () => {
  userId = (await createUser("system", { username: "pane-user", name: "pane-user", role: "operator", password: "pane-user-password" })).id;
});

describe("the Recent Tasks pane preference", () => {
  it("is the console's default until the user changes it, then what they left", async () => {
    expect(await readRecentTasksPane(userId)).toEqual({ height: 228, collapsed: false });
    await writeRecentTasksPane(userId, { height: 400, collapsed: true });
    expect(await readRecentTasksPane(userId)).toEqual({ height: 400, collapsed: true });
  });

  it("refuses a height that is not a sane whole number of pixels, naming the field, and keeps what was saved", async () => {
    const issues = (value: unknown) => recentTasksPaneSchema.safeParse(value).error?.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    expect(issues({ height: 12.5, collapsed: false })).toEqual(["height: must be a whole number of pixels"]);
    expect(issues({ height: 1e9, collapsed: false })).toEqual(["height: must be at most 4000 pixels"]);
    expect(issues({ height: 300, collapsed: "yes" })).toEqual(["collapsed: must be true or false"]);
    await expect(writeRecentTasksPane(userId, { height: -5, collapsed: false })).rejects.toThrow(/at least 36 pixels/);
    expect(await readRecentTasksPane(userId)).toEqual({ height: 400, collapsed: true });
  });
});
