// Export: the VM list, filtered, every page and only the columns shown, as a developer sees it;
// the global Events view filtered by object; Monitor › Performance › Advanced picking counters,
// another object and an interval, exporting the chart's data as CSV and the chart as PNG, and
// saying how much history a level holds instead of drawing a dot. Each download is read back.
// Reads esx-02.boston.lab's samples, which no spec changes; writes two daily samples of it.
import { readFileSync } from "node:fs";
import type { Download, Page } from "@playwright/test";
import { readCsv } from "../lib/testing/read-csv";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

const pool = openE2eDatabase();
test.afterAll(() => pool.end());

const SHOTS = "/tmp/export-shots";
const DATED = (name: string, extension = "csv") => new RegExp(`^${name}-\\d{4}-\\d{2}-\\d{2}\\.${extension}$`);

async function download(page: Page, click: () => Promise<void>): Promise<Download> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return file;
}

const csvOf = async (file: Download) => readCsv(readFileSync((await file.path())!, "utf8"));

async function shots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, animations: "disabled" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("Export downloads every page of the filtered VM list in the columns shown", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/vms?size=25");
  const list = page.getByRole("region", { name: "Virtual machines" });
  await page.getByLabel("Power state").click();
  await page.getByRole("option", { name: "Powered On" }).click();
  await expect(page).toHaveURL(/power=PoweredOn/);
  // The demo's 60 VMs until the filtered page arrives.
  const count = list.getByText(/^1–25 of \d+ virtual machines$/);
  await expect(count).not.toHaveText(/of 60 /);
  const total = Number((await count.textContent())!.match(/of (\d+)/)![1]);
  expect(total).toBeGreaterThan(25);
  await list.getByRole("button", { name: "Columns" }).click();
  await page.getByRole("menuitemcheckbox", { name: "VM Class" }).click();
  await page.keyboard.press("Escape");
  await expect(list.getByRole("columnheader", { name: "VM Class" })).toHaveCount(0);
  await shots(page, "vm-list-export");

  const file = await download(page, () => list.getByRole("link", { name: "Export" }).click());
  expect(file.suggestedFilename()).toMatch(DATED("vms"));
  const [header, ...rows] = await csvOf(file);
  expect(header).toEqual(["Name", "State", "Status", "Host", "Cluster", "Namespace", "IP Address", "CPUs", "Memory (MiB)"]);
  expect(rows).toHaveLength(total);
  expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(["PoweredOn"]));
  const names = rows.map((row) => row[0]!);
  expect(names).toEqual([...names].sort());
  // The first page shown is the file's first 25 rows.
  expect(await list.locator("tbody tr td:nth-child(2)").allTextContents()).toEqual(names.slice(0, 25));
});

test("a developer's export holds only their namespaces' VMs, filtered by name", async ({ page }) => {
  await signIn(page, "dev");
  await page.goto("/vms?q=web-");
  const list = page.getByRole("region", { name: "Virtual machines" });
  const count = list.getByText(/of \d+ virtual machines?$/);
  await expect(count).toBeVisible();
  const total = Number((await count.textContent())!.match(/of (\d+)/)![1]);
  const [header, ...rows] = await csvOf(await download(page, () => list.getByRole("link", { name: "Export" }).click()));
  const name = header!.indexOf("Name");
  const namespace = header!.indexOf("Namespace");
  expect(rows).toHaveLength(total);
  expect(rows.every((row) => row[name]!.includes("web-"))).toBe(true);
  expect(new Set(rows.map((row) => row[namespace]))).toEqual(new Set(["web-team", "data-team"]));
});

test("the Events view exports the events its filter keeps", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/events");
  await page.getByLabel("Object name contains").fill("web-01");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/object=web-01/);
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.locator("tbody tr").first()).toContainText("web-01");
  await shots(page, "events-export");
  const file = await download(page, () => page.getByRole("link", { name: "Export" }).click());
  expect(file.suggestedFilename()).toMatch(DATED("events"));
  const [header, ...rows] = await csvOf(file);
  expect(header).toEqual(["Time (UTC)", "Severity", "Object Kind", "Object", "Description", "Event Type", "User", "Task ID"]);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.every((row) => row[3]!.includes("web-01"))).toBe(true);
  const times = rows.map((row) => row[0]!);
  expect(times).toEqual([...times].sort().reverse());
});

test("Performance › Advanced picks counters, object and interval, exports CSV and PNG, and tells how much history there is", async ({ page }) => {
  test.setTimeout(90_000);
  const { rows } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Host' AND name = 'esx-02.boston.lab'`);
  const host = rows[0]!.uid;
  await signIn(page, "olivia");
  await page.goto(`/objects/${host}/monitor?view=advanced`);
  await expect(page.getByRole("heading", { name: "Advanced Performance" })).toBeVisible();
  const chart = page.getByRole("figure");
  // The legend lists its counters in alphabetical order.
  await expect(chart.locator(".recharts-legend-item")).toHaveText(["CPU usage", "Memory usage"], { timeout: 30_000 });

  const counters = page.getByRole("group", { name: "Counters" });
  await counters.getByLabel("Memory consumed").click();
  await expect(counters.getByLabel("Memory consumed")).toBeChecked();
  await expect(page).toHaveURL(/counters=cpuPct%2CmemPct%2CmemConsumedMiB|counters=cpuPct,memPct,memConsumedMiB/);
  await expect(chart.locator(".recharts-legend-item")).toHaveText(["CPU usage", "Memory consumed", "Memory usage"]);
  // Percent and MiB are on the chart: a third unit is not offered.
  await expect(counters.getByLabel("Disk throughput")).toBeDisabled();
  await expect(chart.locator(".recharts-yAxis")).toHaveCount(2);
  await shots(page, "performance-advanced");

  const csv = await download(page, () => chart.getByRole("button", { name: "Export CSV" }).click());
  expect(csv.suggestedFilename()).toMatch(DATED("esx-02-boston-lab-performance"));
  const [header, ...samples] = await csvOf(csv);
  expect(header).toEqual(["Time (UTC)", "CPU usage (%)", "Memory usage (%)", "Memory consumed (MiB)"]);
  expect(samples.length).toBeGreaterThanOrEqual(3);
  for (const sample of samples) {
    expect(sample[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Number(sample[1])).toBeGreaterThanOrEqual(0);
    expect(Number(sample[3])).toBeGreaterThan(0);
  }

  const png = await download(page, () => chart.getByRole("button", { name: "Export PNG" }).click());
  expect(png.suggestedFilename()).toMatch(DATED("esx-02-boston-lab-performance", "png"));
  await png.saveAs(`${SHOTS}/performance-advanced-export.png`);
  const image = readFileSync((await png.path())!);
  expect(image.subarray(1, 4).toString()).toBe("PNG");
  // IHDR: twice the chart's size plus the title and legend.
  const box = (await chart.locator("svg.recharts-surface:not(.recharts-legend-wrapper *)").boundingBox())!;
  expect(image.readUInt32BE(16)).toBe(Math.round((box.width + 32) * 2));
  expect(image.readUInt32BE(20)).toBe(Math.round((box.height + 32 + 28 + 32) * 2));
  await page.setViewportSize({ width: 1440, height: 900 });

  // Another object: one of this host's VMs that is running (and so sampled).
  const { rows: vms } = await pool.query<{ name: string; uid: string }>(
    `SELECT name, uid::text FROM resources WHERE kind = 'VirtualMachine' AND status->>'host' = 'esx-02.boston.lab' AND status->>'powerState' = 'PoweredOn' ORDER BY name LIMIT 1`,
  );
  await page.getByLabel("Object", { exact: true }).click();
  await page.getByRole("option", { name: vms[0]!.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`object=${vms[0]!.uid}`));
  await expect(chart.locator("figcaption")).toContainText(vms[0]!.name, { timeout: 30_000 });
  await expect(chart.locator(".recharts-legend-item")).toHaveText(["CPU usage", "Memory consumed", "Memory usage"]);

  // A level with two samples: said in words, not drawn.
  await pool.query(
    `INSERT INTO metric_samples (level, object_uid, time, cpu_pct) SELECT 4, $1::uuid, now() - make_interval(days => d), 20 FROM generate_series(2, 3) d ON CONFLICT DO NOTHING`,
    [host],
  );
  await page.goto(`/objects/${host}/monitor?view=advanced&range=month&level=4`);
  await expect(page.getByText(/^Collecting since [A-Z][a-z]{2} \d{1,2}, \d{1,2}:\d{2}( [AP]M)?, 2 samples of 1 day so far/)).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole("figure")).toHaveCount(0);
  await shots(page, "performance-advanced-history");

  // The host's Monitor › Tasks exports too (the header alone when nothing has targeted it).
  await page.goto(`/objects/${host}/monitor?view=tasks`);
  await shots(page, "object-tasks-export");
  const tasks = await download(page, () => page.getByRole("link", { name: "Export" }).click());
  expect(tasks.suggestedFilename()).toMatch(DATED("tasks"));
  expect((await csvOf(tasks))[0]).toEqual(["Task Name", "Status", "Progress (%)", "Error", "Initiator", "Queued (UTC)", "Completed (UTC)", "Task ID"]);
});
