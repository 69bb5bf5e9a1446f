// Monitor › Performance › Chart Options: a chart draws only the counters picked for it, the choice
// stays in the URL (a reload or a shared link keeps it), and the last counter cannot be dropped.
// Reads host esx-02.boston.lab, which no spec changes.
import { openE2eDatabase } from "./e2e-database";
import { expect, screenshotBothThemes, signIn, test } from "./fixtures";

const pool = openE2eDatabase();
test.afterAll(() => pool.end());

test("Chart Options picks a chart's counters, kept in the URL", async ({ page }) => {
  const { rows } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Host' AND name = 'esx-02.boston.lab'`);
  await signIn(page, "olivia");
  await page.goto(`/objects/${rows[0]!.uid}/monitor?view=performance`);
  const usage = page.getByRole("figure").filter({ hasText: "CPU and memory usage" });
  const memory = page.getByRole("figure").filter({ hasText: /^Memory/ });
  await expect(usage.locator(".recharts-legend-item")).toHaveText(["CPU usage", "Memory usage"], { timeout: 15_000 });
  // A chart with a single counter has nothing to choose.
  await expect(page.getByRole("figure").filter({ hasText: /^CPUMHz/ }).getByRole("button", { name: /Chart options/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Chart options for CPU and memory usage" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Memory usage" }).click();
  await expect(page).toHaveURL(/hide=mem(&|$)/);
  await expect(usage.locator(".recharts-legend-item")).toHaveText(["CPU usage"]);
  await expect(usage.locator("path.recharts-line-curve")).toHaveCount(1);
  // The last counter drawn stays.
  await expect(page.getByRole("menuitemcheckbox", { name: "CPU usage" })).toHaveAttribute("aria-disabled", "true");
  await page.keyboard.press("Escape");

  await page.getByRole("button", { name: "Chart options for Memory" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Active" }).click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/hide=active%2Cmem|hide=active,mem/);
  await expect(memory.locator(".recharts-legend-item")).toHaveText(["Consumed"]);
  await screenshotBothThemes(page, "performance-chart-options");

  await page.reload();
  await expect(usage.locator(".recharts-legend-item")).toHaveText(["CPU usage"], { timeout: 15_000 });
  await expect(memory.locator(".recharts-legend-item")).toHaveText(["Consumed"]);
  await page.getByRole("button", { name: "Chart options for CPU and memory usage" }).click();
  await page.getByRole("menuitemcheckbox", { name: "Memory usage" }).click();
  await expect(usage.locator(".recharts-legend-item")).toHaveText(["CPU usage", "Memory usage"]);
  await expect(page).toHaveURL(/hide=active(&|$)/);
});
