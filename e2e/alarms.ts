// Alarms left triggered by a spec that failed hosts (vSphere HA's failover alarm stays until
// someone resets it), reset through the cluster's Monitor › Issues and Alarms, so the next spec
// finds the inventory green as the demo seeded it.
import { expect, type Page } from "@playwright/test";

export async function resetAlarmsOn(page: Page, objectUrl: string) {
  await page.goto(`${objectUrl.replace(/\/(summary|monitor|configure)?(\?.*)?$/, "")}/monitor?view=alarms`);
  const table = page.getByRole("table", { name: "Triggered alarms" });
  await expect(table).toBeVisible();
  const resets = table.getByRole("button", { name: "Reset to Green" });
  for (let count = await resets.count(); count > 0; count--) {
    await resets.first().click();
    await expect(resets).toHaveCount(count - 1);
  }
}
