// Health: Home's dashboard, an administrator's alarm definition triggering live, Acknowledge, the
// global Events view's filters, and Monitor › Performance charts. Reads prod-cluster-01 and its
// host esx-01.boston.lab (no spec changes them); the alarm definition it adds is disabled again.
import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

const pool = openE2eDatabase();
test.afterAll(() => pool.end());

/** Both themes, on a tall window: the console scrolls inside its frame, so a full-page shot would not. */
async function screenshots(page: Page, name: string) {
  await page.setViewportSize({ width: 1440, height: 1500 });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await page.screenshot({ path: `test-results/screenshots/${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1440, height: 900 });
}

const DEFINITION = "E2E powered-off VMs";

async function choose(page: Page, label: string, option: string) {
  await page.getByLabel(label).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test("Home's dashboard shows capacity, top consumers and an administrator's new alarm live; Acknowledge and the Events filters follow it", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "admin");
  await page.goto("/admin/alarms");
  const definitions = page.getByRole("table", { name: "Alarm definitions" });
  await expect(definitions.getByRole("row", { name: /Host CPU usage.*Host.*Critical above 90 %.*5 min/ })).toBeVisible();

  await page.getByRole("button", { name: "New Alarm Definition" }).click();
  const dialog = page.getByRole("dialog", { name: "New Alarm Definition" });
  await dialog.getByLabel("Name").fill(DEFINITION);
  // A critical threshold under the warning one is refused beside its field.
  await dialog.getByLabel("Warning at (%)").fill("90");
  await dialog.getByLabel("Critical at (%)").fill("80");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("must be above the warning threshold")).toBeVisible();
  await choose(page, "Object type", "Virtual Machine");
  await choose(page, "Metric or state", "Power state is Powered off");
  await dialog.getByLabel("For at least (seconds)").fill("0");
  await screenshots(page, "alarm-definition-dialog");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(definitions.getByRole("row", { name: new RegExp(`${DEFINITION}.*Virtual Machine.*Power state is Powered off → Warning`) })).toBeVisible();

  await page.getByRole("link", { name: "Home" }).click();
  const capacity = page.getByRole("table", { name: "Capacity and usage by cluster" });
  await expect(capacity.getByRole("row", { name: /prod-cluster-01/ }).getByRole("meter", { name: "prod-cluster-01 CPU consumed" })).toBeVisible();
  await expect(page.getByText("Latest sample")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("meter", { name: "prod-cluster-01 memory consumed" })).not.toHaveAttribute("aria-valuenow", "0");
  await expect(page.getByRole("region", { name: "Top virtual machines by CPU" }).getByRole("listitem")).toHaveCount(5);
  // Each cluster's trends over the last hour, and over the last day at the 5-minute level.
  const trends = page.getByRole("region", { name: "Trends by cluster" });
  await expect(trends.getByRole("img", { name: "prod-cluster-01: CPU consumed, Memory consumed, Storage used" })).toBeVisible();
  await trends.getByRole("button", { name: "Last day" }).click();
  await expect(trends.getByRole("button", { name: "Last day" })).toHaveAttribute("aria-pressed", "true");
  await expect(trends.getByRole("img", { name: "prod-cluster-01: CPU consumed, Memory consumed, Storage used" })).toBeVisible();
  await trends.getByRole("button", { name: "Last hour" }).click();

  // The demo powers off every seventh VM: the new definition triggers on them without a reload.
  const alarms = page.getByRole("table", { name: "Triggered alarms" });
  const triggered = alarms.getByRole("row").filter({ hasText: DEFINITION });
  await expect(triggered.first()).toBeVisible({ timeout: 15_000 });
  await expect(triggered.first()).toContainText("Warning");
  await screenshots(page, "home-dashboard");

  const first = triggered.first();
  const vm = (await first.getByRole("link").textContent())!.split("/")[1]!;
  const vmHref = (await first.getByRole("link").getAttribute("href"))!;
  // Acknowledged alarms sort after the others on Home; the VM's own Issues and Alarms shows who acknowledged it.
  await alarms.getByRole("row").filter({ has: page.locator(`a[href="${vmHref}"]`) }).getByRole("button", { name: "Acknowledge" }).click();
  await page.goto(vmHref);
  const own = page.getByRole("table", { name: "Triggered alarms" }).getByRole("row").filter({ hasText: DEFINITION });
  await expect(own).toContainText("By admin");
  await expect(own.getByRole("button", { name: "Acknowledge" })).toBeDisabled();
  await expect(page.getByRole("link", { name: "1 warning alarm" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Alarm history" })).toContainText(`Alarm '${DEFINITION}' on ${vm} changed from Normal to Warning`);
  await screenshots(page, "vm-issues-and-alarms");

  // The global Events view finds the acknowledgement by its type and by its object.
  await page.getByRole("navigation", { name: "Navigator" }).getByRole("link", { name: "Events", exact: true }).click();
  await choose(page, "Event type", "Alarm.acknowledged");
  await expect(page).toHaveURL(/type=Alarm\.acknowledged/);
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.getByRole("row", { name: new RegExp(`admin acknowledged alarm '${DEFINITION}' on ${vm}`) })).toBeVisible();
  await choose(page, "Severity", "Error");
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear" }).click();
  // Clear navigates, and the form takes the cleared URL's values when it lands: type after that.
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.getByRole("combobox", { name: "Severity" })).toHaveText("All severities");
  await page.getByLabel("Object name contains").fill(vm);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`object=${vm}`));
  await expect(events.getByRole("row").nth(1)).toContainText(vm);
  await screenshots(page, "events-filtered");

  // Disabled, the definition's alarms go without a trace on Home.
  await page.goto("/admin/alarms");
  await definitions.getByRole("button", { name: `Edit ${DEFINITION}` }).click();
  await page.getByRole("dialog").getByLabel("Enabled").uncheck();
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(definitions.getByRole("row", { name: new RegExp(DEFINITION) })).toContainText("Disabled");
  await page.goto("/");
  await expect(page.getByRole("table", { name: "Triggered alarms" }).getByRole("row").filter({ hasText: DEFINITION })).toHaveCount(0, { timeout: 15_000 });
});

test("Monitor › Performance charts a host over real-time, the last day and a custom range, with legends and tooltips", async ({ page }) => {
  test.setTimeout(60_000);
  const { rows } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Host' AND name = 'esx-01.boston.lab'`);
  await signIn(page, "olivia");
  await page.goto(`/objects/${rows[0]!.uid}/monitor`);
  await page.getByRole("navigation", { name: "Monitor" }).getByRole("link", { name: "Overview" }).click();
  await expect(page).toHaveURL(/view=performance/);
  await expect(page.getByRole("radio", { name: "Real-time" })).toHaveAttribute("aria-checked", "true");
  // Samples come every 2 s at the suite's simulated speed (20 s simulated).
  await expect(page.getByText(/\d+ samples, one every 20 seconds/)).toBeVisible();
  const usage = page.getByRole("figure").filter({ hasText: "CPU and memory usage" });
  await expect(usage.locator(".recharts-legend-item")).toHaveText(["CPU usage", "Memory usage"]);
  await expect(usage.locator("path.recharts-line-curve")).toHaveCount(2);
  await expect(page.getByRole("figure").filter({ hasText: "Disk and network" }).locator(".recharts-legend-item")).toHaveText(["Disk throughput", "Network throughput"]);

  const plot = usage.locator(".recharts-wrapper");
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
  const tooltip = usage.locator(".recharts-tooltip-wrapper");
  await expect(tooltip).toContainText(/CPU usage\s*:\s*[\d.]+ %/);
  await expect(tooltip).toContainText(/Memory usage\s*:\s*[\d.]+ %/);
  await screenshots(page, "host-performance");

  await page.getByRole("radio", { name: "Last day" }).click();
  await expect(page).toHaveURL(/range=day/);
  await expect(page.getByText(/samples, one every 5 minutes/)).toBeVisible();

  await page.getByRole("radio", { name: "Custom" }).click();
  await expect(page.getByText("Choose a start and an end, then Apply.")).toBeVisible();
  const local = (date: Date) => new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  const now = Date.now();
  await page.getByLabel("From", { exact: true }).fill(local(new Date(now + 60_000)));
  await page.getByLabel("To", { exact: true }).fill(local(new Date(now - 30 * 60_000)));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("The start must be before the end.")).toBeVisible();
  await page.getByLabel("From", { exact: true }).fill(local(new Date(now - 30 * 60_000)));
  await page.getByLabel("To", { exact: true }).fill(local(new Date(now + 60_000)));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/range=custom&from=/);
  await expect(page.getByText(/\d+ samples, one every 20 seconds/)).toBeVisible();
  await expect(usage.locator("path.recharts-line-curve")).toHaveCount(2);
});
