import pg from "pg";
import type { Page } from "@playwright/test";
import { migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, screenshotBothThemes, signIn, test } from "./fixtures";

// A powered-on VM of ml-team (edge-cluster-01) is moved live to another host from VM › Actions ›
// Migrate, reset and restarted, and put back on its host afterwards (the host failure spec counts
// VMs per host there).
const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };

let pool: pg.Pool;
let vm: { name: string; uid: string; host: string };
test.beforeAll(async () => {
  pool = openE2eDatabase();
  const { rows } = await pool.query<{ name: string; uid: string; host: string }>(
    `SELECT name, uid::text, status->>'host' AS host FROM resources
      WHERE kind = 'VirtualMachine' AND namespace = 'ml-team' AND status->>'powerState' = 'PoweredOn' AND spec->>'powerState' = 'PoweredOn'
      ORDER BY name LIMIT 1`,
  );
  vm = rows[0]!;
});
test.afterAll(async () => {
  await migrateVirtualMachine(ADMIN, { namespace: "ml-team", name: vm.name, host: vm.host }, pool).catch(() => undefined);
  await pool.end();
});

const hostFact = (page: Page) => page.locator("dt", { hasText: /^Host$/ }).locator("xpath=following-sibling::dd[1]");

test("VM › Actions › Migrate moves a powered-on VM live to a compatible host and the VM's Host follows; Reset and Restart Guest OS power-cycle it", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto(`/objects/${vm.uid}`);
  await expect(hostFact(page)).toHaveText(vm.host);

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: /^Migrate/ }).click();
  const dialog = page.getByRole("dialog", { name: `Migrate ${vm.name}` });
  await expect(dialog).toContainText("it moves live (vMotion) and keeps running");
  const hosts = dialog.getByRole("table", { name: "Hosts" });
  await expect(hosts.getByRole("row", { name: new RegExp(`${vm.host}.*The VM's current host`) })).toBeVisible();
  await expect(dialog.getByRole("radio", { name: vm.host })).toBeDisabled();
  await expect(dialog.getByRole("button", { name: "Migrate" })).toBeDisabled();
  const compatible = hosts.getByRole("row").filter({ hasText: "Compatible" });
  await expect(compatible.first()).toBeVisible();
  const target = (await compatible.first().getByRole("radio").getAttribute("aria-label"))!;
  await dialog.getByRole("radio", { name: target }).check();
  await screenshotBothThemes(page, "vm-migrate-dialog");

  await dialog.getByRole("button", { name: "Migrate" }).click();
  await expect(page.getByText(`Migrating ${vm.name} to ${target}`)).toBeVisible();
  await expect(dialog).toBeHidden();
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: new RegExp(`Migrate virtual machine ${vm.name} to ${target}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect(hostFact(page)).toHaveText(target);
  await expect(page.getByText("Powered On").first()).toBeVisible();

  for (const [item, task] of [["Reset", "Reset virtual machine"], ["Restart Guest OS", "Restart guest OS of virtual machine"]] as const) {
    await page.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menuitem", { name: item, exact: true }).click();
    if (item === "Reset") {
      const confirm = page.getByRole("alertdialog", { name: `Reset ${vm.name}?` });
      await expect(confirm).toContainText("unsaved work in it is lost");
      await confirm.getByRole("button", { name: "Reset" }).click();
    }
    await expect(tasks.getByRole("row", { name: new RegExp(`${task} ${vm.name}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
    await expect(page.locator("dt", { hasText: /^Power state$/ }).locator("xpath=following-sibling::dd[1]")).toHaveText("Powered On");
  }
});
