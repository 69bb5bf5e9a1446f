import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import pg from "pg";
import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, signIn, test } from "./fixtures";

// The suite's own embedded database (playwright.config starts it in .data-e2e), for seeding.
async function seedClusterEvents(uid: string, name: string, count: number) {
  const password = readFileSync(".data-e2e/postgres-password", "utf8").trim();
  const client = new pg.Client({ host: "127.0.0.1", port: Number(process.env.E2E_PG_PORT ?? 5489), user: "skylight", password, database: "skylight" });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO events (time, severity, reason, message, object_kind, object_name, object_uid, actor)
       SELECT now() - make_interval(days => 1, mins => n), CASE WHEN n % 10 = 0 THEN 'warning' ELSE 'info' END, 'Cluster.healthChecked',
              'Health check ' || n || ' of ' || $2, 'Cluster', $2, $1, NULL
         FROM generate_series(1, $3::int) AS n`,
      [uid, name, count],
    );
  } finally {
    await client.end();
  }
}

// Screenshots in both themes (test-results/screenshots); the tab's own content (below the tab
// bar) is checked against WCAG 2 A/AA too.
async function screenshot(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await page.screenshot({ path: `test-results/screenshots/${name}-${scheme}.png` });
    const results = await new AxeBuilder({ page }).include('nav[aria-label="Object tabs"] ~ div').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    expect(results.violations.map((violation) => `${name} (${scheme}): ${violation.id} — ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: "light" });
}

async function chooseAutomation(page: Page, level: string) {
  await page.getByLabel("Automation level").click();
  await page.getByRole("option", { name: level }).click();
}

async function clusterPath(page: Page, name: string) {
  const lookup = await page.request.get(`/api/lists/clusters?q=${name}`);
  const cluster = ((await lookup.json()) as { rows: { uid: string; name: string }[] }).rows.find((row) => row.name === name)!;
  return { uid: cluster.uid, base: `/objects/${cluster.uid}` };
}

test("Configure › vSphere DRS saves an edit and refuses a stale one until Reload", async ({ page, browser }) => {
  await signIn(page, "admin");
  const { base } = await clusterPath(page, "prod-cluster-01");

  await page.goto(`${base}/configure`);
  const settings = page.getByRole("main");
  await expect(settings.getByRole("heading", { name: "vSphere DRS", exact: true })).toBeVisible();
  await expect(settings.getByText("vSphere DRS is Turned ON")).toBeVisible();
  await expect(settings.getByRole("definition").filter({ hasText: "Fully Automated" })).toBeVisible();
  await settings.getByRole("button", { name: "Edit" }).click();
  await screenshot(page, "configure-drs-form");
  await chooseAutomation(page, "Partially Automated");
  await settings.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("vSphere DRS of prod-cluster-01 reconfigured")).toBeVisible();
  await expect(settings.getByRole("definition").filter({ hasText: "Partially Automated" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Recent Tasks" }).getByRole("row", { name: /Reconfigure vSphere DRS on prod-cluster-01/ }).first()).toBeVisible();
  await screenshot(page, "configure-drs");

  // Two people open the form; the second to save is told, and Reload shows the first one's value.
  const other = await pageAs(browser, "admin");
  await other.goto(`${base}/configure?section=drs`);
  await page.getByRole("button", { name: "Edit" }).click();
  await other.getByRole("button", { name: "Edit" }).click();
  await chooseAutomation(other, "Manual");
  await other.getByRole("button", { name: "Save" }).click();
  await expect(other.getByText("vSphere DRS of prod-cluster-01 reconfigured")).toBeVisible();
  await other.context().close();
  await chooseAutomation(page, "Fully Automated");
  await page.getByRole("button", { name: "Save" }).click();
  const conflict = page.getByRole("alert").filter({ hasText: "Changed by someone else" });
  await expect(conflict).toContainText("changed by someone else since you opened it");
  await screenshot(page, "configure-drs-conflict");
  await conflict.getByRole("button", { name: "Reload" }).click();
  await expect(conflict).toBeHidden();
  await expect(page.getByLabel("Automation level")).toHaveText("Manual");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(settings.getByRole("definition").filter({ hasText: /^Manual$/ })).toBeVisible();
});

test("Monitor pages through a cluster's tasks and events; Permissions lists who holds a role", async ({ page }) => {
  await signIn(page, "admin");
  const { uid, base } = await clusterPath(page, "dev-cluster-01");
  // Earlier specs may have acted on dev-cluster-01 (folders.spec moves it into a host folder and out): count from there.
  const db = openE2eDatabase();
  const earlier = (
    await db.query<{ tasks: number; events: number }>(
      `SELECT (SELECT count(*)::int FROM tasks WHERE target_uid = $1::uuid) AS tasks, (SELECT count(*)::int FROM events WHERE object_uid = $1::uuid) AS events`,
      [uid],
    )
  ).rows[0]!;
  await db.end();
  const taskTotal = earlier.tasks + 1;
  // The save's audit event and the 40 seeded below.
  const eventTotal = earlier.events + 41;
  const secondPageEnd = Math.min(50, eventTotal);

  // A task to monitor: save vSphere Availability unchanged (the engine records a task either way).
  await page.goto(`${base}/configure?section=ha`);
  await expect(page.getByText("vSphere HA is Turned ON")).toBeVisible();
  await page.getByRole("button", { name: "Edit" }).click();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("vSphere Availability of dev-cluster-01 reconfigured")).toBeVisible();

  await page.getByRole("navigation", { name: "Object tabs" }).getByRole("link", { name: "Monitor" }).click();
  const tasks = page.getByRole("table", { name: "Tasks" });
  const task = tasks.getByRole("link", { name: "Reconfigure vSphere Availability on dev-cluster-01" });
  await expect(task).toHaveAttribute("href", /^\/tasks\/[0-9a-f-]{36}$/);
  await expect(page.getByText(`1–${taskTotal} of ${taskTotal}`)).toBeVisible();
  await screenshot(page, "monitor-tasks");

  // Events, 25 a page, the page in the URL so Back returns to it.
  await seedClusterEvents(uid, "dev-cluster-01", 40);
  await page.getByRole("navigation", { name: "Monitor" }).getByRole("link", { name: "Events" }).click();
  await expect(page).toHaveURL(/view=events/);
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.getByRole("row", { name: /admin: Reconfigure vSphere Availability on dev-cluster-01/ })).toBeVisible();
  await expect(page.getByText(`1–25 of ${eventTotal}`)).toBeVisible();
  await screenshot(page, "monitor-events");
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page).toHaveURL(/view=events&page=2/);
  await expect(page.getByText(`26–${secondPageEnd} of ${eventTotal}`)).toBeVisible();
  await expect(events.getByRole("row")).toHaveCount(secondPageEnd - 25 + 1);
  await page.goBack();
  await expect(page.getByText(`1–25 of ${eventTotal}`)).toBeVisible();

  await page.getByRole("navigation", { name: "Object tabs" }).getByRole("link", { name: "Permissions" }).click();
  const permissions = page.getByRole("table", { name: "Permissions" });
  await expect(permissions.getByRole("row", { name: /admin.*Administrator.*Global \(all objects\).*Yes/ })).toBeVisible();
  await expect(permissions.getByRole("row", { name: /olivia.*Operator/ })).toBeVisible();
  await expect(permissions.getByRole("row", { name: /\bdana\b|\bdev\b/ })).toHaveCount(0);
  await screenshot(page, "permissions");
});

test("a VM's and a host's Configure sections", async ({ page }) => {
  await signIn(page, "admin");
  const uidOf = async (list: string, name: string) =>
    ((await (await page.request.get(`/api/lists/${list}?q=${name}`)).json()) as { rows: { uid: string; name: string }[] }).rows.find((row) => row.name === name)!.uid;

  await page.goto(`/objects/${await uidOf("vms", "api-02")}/configure?section=class`);
  const main = page.getByRole("main");
  await expect(main.getByRole("heading", { name: "VM Class" })).toBeVisible();
  await main.getByRole("button", { name: "Edit" }).click();
  await expect(main.getByText("takes the new class at its next power cycle")).toBeVisible();
  await screenshot(page, "configure-vm-class");
  await main.getByRole("navigation", { name: "Configure" }).getByRole("link", { name: "VM Hardware" }).click();
  await expect(main.getByRole("definition").filter({ hasText: "vCPU" }).first()).toBeVisible();

  // A VM inherits its namespace's roles: web-team's owner is listed, defined in the namespace.
  const webTeamApi = ((await (await page.request.get("/api/lists/vms?q=api-02&namespace=web-team")).json()) as { rows: { uid: string }[] }).rows[0]!.uid;
  await page.goto(`/objects/${webTeamApi}/permissions`);
  const permissions = page.getByRole("table", { name: "Permissions" });
  await expect(permissions.getByRole("row", { name: /admin.*Administrator.*Global \(all objects\)/ })).toBeVisible();
  await expect(permissions.getByRole("row", { name: /dev.*Owner.*Namespace web-team.*Yes/ })).toBeVisible();
  await screenshot(page, "permissions-vm");
  await permissions.getByRole("link", { name: "web-team" }).click();
  await expect(page.getByRole("table", { name: "Namespace permissions" })).toBeVisible();

  await page.goto(`/objects/${await uidOf("hosts", "esx-01.boston.lab")}/configure`);
  await expect(main.getByRole("heading", { name: "Hardware" })).toBeVisible();
  await expect(main.getByText(/VMware ESXi/)).toBeVisible();
  await screenshot(page, "configure-host");
});
