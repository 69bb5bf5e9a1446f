import pg from "pg";
import type { Page } from "@playwright/test";
import { setVirtualMachinePowerState } from "@/lib/engine/operations/vm-operations";
import { deleteAllSnapshots } from "@/lib/engine/operations/vm-snapshots";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

// A demo VM no other spec asserts on (data-team's VMs are not counted elsewhere); it ends powered
// on and without snapshots, as seeded.
const VM = { namespace: "data-team", name: "worker-10" };
const ADMIN = { id: "e2e", role: "administrator", username: "admin" } as const;
const SHOTS = "test-results/screenshots";

let pool: pg.Pool;
test.beforeAll(() => {
  pool = openE2eDatabase();
});
test.afterAll(async () => {
  await deleteAllSnapshots(ADMIN, VM, pool).catch(() => undefined);
  await setVirtualMachinePowerState(ADMIN, { ...VM, powerState: "PoweredOn" }, pool).catch(() => undefined);
  await pool.end();
});

async function setTheme(page: Page, theme: "Light" | "Dark" | "System") {
  await page.getByRole("button", { name: "User menu for olivia" }).click();
  await page.getByRole("menuitemradio", { name: theme }).click();
  await page.keyboard.press("Escape");
}

async function openSnapshots(page: Page, item: "Take Snapshot…" | "Manage Snapshots…") {
  await page.getByRole("button", { name: "Actions" }).click();
  // By keyboard: the pointer's path from the submenu's trigger to its items crosses the main menu.
  await page.getByRole("menuitem", { name: "Snapshots" }).focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("menuitem", { name: item }).focus();
  await page.keyboard.press("Enter");
  return page.getByRole("dialog", { name: item.replace("…", "") });
}

test("Take Snapshot with memory, revert powers the VM on again; Manage Snapshots shows the tree; Delete All empties it", async ({ page }) => {
  test.setTimeout(120_000);
  const { rows } = await pool.query<{ uid: string }>("SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = $2", [VM.namespace, VM.name]);
  await signIn(page, "olivia");
  await page.goto(`/objects/${rows[0]!.uid}`);
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1, name: VM.name }) });
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(header.getByText("Powered On")).toBeVisible({ timeout: 20_000 });

  for (const theme of ["Light", "Dark"] as const) {
    await setTheme(page, theme);
    const take = await openSnapshots(page, "Take Snapshot…");
    await expect(take.getByRole("checkbox", { name: "Snapshot the virtual machine's memory" })).toBeChecked();
    await expect(take.getByRole("checkbox", { name: "Snapshot the virtual machine's memory" })).toBeEnabled();
    await page.screenshot({ path: `${SHOTS}/take-snapshot-${theme.toLowerCase()}.png`, animations: "disabled" });
    await take.getByRole("button", { name: "Cancel" }).click();
    await expect(take).toBeHidden();
  }
  await setTheme(page, "Light");

  let take = await openSnapshots(page, "Take Snapshot…");
  await take.getByLabel("Name").fill("");
  await take.getByRole("button", { name: "Create" }).click();
  await expect(take.getByText("A snapshot needs a name.")).toBeVisible();
  await take.getByLabel("Name").fill("before-change");
  await take.getByLabel("Description").fill("Running, with memory");
  await take.getByRole("button", { name: "Create" }).click();
  await expect(take).toBeHidden();
  await expect(tasks.getByRole("row", { name: /Take snapshot "before-change" of virtual machine worker-10.*Completed/ })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Power Off" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Power Off" }).click();
  await expect(header.getByText("Powered Off")).toBeVisible({ timeout: 20_000 });

  // Without a running guest there is no memory to save.
  take = await openSnapshots(page, "Take Snapshot…");
  await expect(take.getByRole("checkbox", { name: "Snapshot the virtual machine's memory" })).toBeDisabled();
  await take.getByRole("button", { name: "Cancel" }).click();

  let manage = await openSnapshots(page, "Manage Snapshots…");
  const tree = manage.getByRole("tree", { name: "Snapshots" });
  await expect(tree.getByRole("treeitem")).toHaveText(["before-change", "You are here"]);
  await tree.getByRole("treeitem", { name: "before-change" }).click();
  await expect(manage.getByLabel("Snapshot details")).toContainText("Running, with memory");
  await manage.getByRole("button", { name: "Revert to" }).click();
  const revert = page.getByRole("alertdialog", { name: 'Revert to "before-change"?' });
  await expect(revert).toContainText("the VM resumes powered on");
  await revert.getByRole("button", { name: "Revert" }).click();
  await manage.getByRole("button", { name: "Done" }).click();
  await expect(header.getByText("Powered On")).toBeVisible({ timeout: 20_000 });
  await expect(tasks.getByRole("row", { name: /Revert virtual machine worker-10 to a snapshot.*Completed/ })).toBeVisible({ timeout: 20_000 });

  take = await openSnapshots(page, "Take Snapshot…");
  await take.getByLabel("Name").fill("after-revert");
  await take.getByRole("checkbox", { name: "Snapshot the virtual machine's memory" }).uncheck();
  await take.getByRole("button", { name: "Create" }).click();
  await expect(tasks.getByRole("row", { name: /Take snapshot "after-revert" of virtual machine worker-10.*Completed/ })).toBeVisible({ timeout: 20_000 });

  for (const theme of ["Light", "Dark"] as const) {
    await setTheme(page, theme);
    manage = await openSnapshots(page, "Manage Snapshots…");
    const items = manage.getByRole("tree", { name: "Snapshots" }).getByRole("treeitem");
    await expect(items).toHaveText(["before-change", "after-revert", "You are here"]);
    await expect(items.nth(1)).toHaveAttribute("aria-level", "2");
    await expect(items.nth(2)).toHaveAttribute("aria-level", "3");
    await expect(manage.getByLabel("Snapshot details")).toContainText("Not included: reverting leaves the VM powered off");
    await page.screenshot({ path: `${SHOTS}/manage-snapshots-${theme.toLowerCase()}.png`, animations: "disabled" });
    if (theme === "Light") await manage.getByRole("button", { name: "Done" }).click();
  }

  await manage.getByRole("button", { name: "Delete All" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete all snapshots of worker-10?" });
  await expect(confirm).toContainText("All 2 snapshots are deleted");
  await confirm.getByRole("button", { name: "Delete All" }).click();
  await expect(manage.getByText("This virtual machine has no snapshots.")).toBeVisible({ timeout: 20_000 });
  await expect(manage.getByRole("button", { name: "Delete All" })).toBeDisabled();
  await manage.getByRole("button", { name: "Done" }).click();
  await expect(header.getByText("Powered On")).toBeVisible();
  await setTheme(page, "Light");
});
