import type pg from "pg";
import type { Page } from "@playwright/test";
import { busiestHost, openE2eDatabase } from "./e2e-database";
import { expect, screenshotBothThemes, signIn, test } from "./fixtures";

// Hosts of dev-cluster-01, whose state no other spec asserts on, chosen by the powered-on VMs DRS
// happened to place on them; and esx-13, which this spec adds to edge-cluster-01 and removes
// again, so the suite's inventory is unchanged afterwards.
let pool: pg.Pool;
test.beforeAll(() => {
  pool = openE2eDatabase();
});
test.afterAll(() => pool.end());

async function openHost(page: Page, datacenter: string, cluster: string, host: string) {
  const tree = page.getByRole("tree", { name: "Hosts and Clusters" });
  const expand = async (name: string) => {
    const item = tree.getByRole("treeitem", { name: new RegExp(`^${name.replace(/\./g, "\\.")},`) });
    if ((await item.getAttribute("aria-expanded")) !== "true") await item.locator("svg").first().click();
  };
  await expand(datacenter);
  await expand(cluster);
  await tree.getByRole("treeitem", { name: new RegExp(`^${host.replace(/\./g, "\\.")},`) }).click();
  await expect(page.getByRole("heading", { name: host, exact: true })).toBeVisible();
}


const header = (page: Page) => page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });
const menuItem = (page: Page, label: string) => page.getByRole("menuitem", { name: new RegExp(`^${label}`) });

test("a host enters maintenance mode with its VMs migrating away, and exits it", async ({ page }) => {
  const host = await busiestHost(pool, "dev-cluster-01");
  const hostPattern = host.replace(/\./g, "\\.");
  await signIn(page, "olivia");
  await openHost(page, "dc-boston", "dev-cluster-01", host);
  const hostUrl = page.url();
  await page.getByRole("link", { name: "VMs", exact: true }).click();
  const poweredOnRows = page.getByRole("row").filter({ hasText: "Powered On" });
  await expect(poweredOnRows.first()).toBeVisible();
  // Each row's first link is the VM's name.
  const migrating = await poweredOnRows.evaluateAll((rows) => rows.map((row) => row.querySelector("a")?.textContent ?? ""));
  expect(migrating.length).toBeGreaterThan(0);

  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "Exit Maintenance Mode")).toBeDisabled();
  await expect(menuItem(page, "Remove from Inventory")).toBeDisabled();
  await expect(menuItem(page, "Remove from Inventory")).toContainText("Only a host in maintenance mode can be removed.");
  await screenshotBothThemes(page, "host-actions-menu");
  await menuItem(page, "Enter Maintenance Mode").click();
  const dialog = page.getByRole("alertdialog", { name: `Enter maintenance mode on ${host}?` });
  await expect(dialog).toContainText("vSphere DRS migrates its powered-on VMs to the other hosts in dev-cluster-01 first");

  await dialog.getByRole("button", { name: "Enter Maintenance Mode" }).click();

  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: new RegExp(`Enter maintenance mode on ${hostPattern}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect(header(page).getByText("Maintenance Mode", { exact: true })).toBeVisible();
  // The evacuation lasts well under a second at the suite's simulated speed, too short to catch its
  // progress line reliably (lib/inventory/pending-change.test.ts covers that line); each VM's
  // move is in the Events view.
  const hostPage = page.url();
  await page.goto(`/events?type=VirtualMachine.migrated&object=${encodeURIComponent(migrating[0]!)}`);
  await expect(page.getByRole("main")).toContainText(`Migrated ${migrating[0]} from ${host} to `);
  await page.goto(hostPage);
  // Only powered-off VMs stay on a host in maintenance mode.
  await expect(poweredOnRows).toHaveCount(0);
  for (const name of migrating) await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);

  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "Enter Maintenance Mode")).toContainText("The host is already in maintenance mode.");
  await menuItem(page, "Exit Maintenance Mode").click();
  await expect(tasks.getByRole("row", { name: new RegExp(`Exit maintenance mode on ${hostPattern}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect(header(page).getByText("Connected", { exact: true })).toBeVisible();

  // The migrated VMs kept running on the other hosts, and the host takes VMs again.
  await page.getByRole("link", { name: "dev-cluster-01" }).first().click();
  await page.getByRole("link", { name: "VMs", exact: true }).click();
  for (const name of migrating) await expect(page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) })).toContainText("Powered On");
  await page.goto(hostUrl);
  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "Enter Maintenance Mode")).toBeEnabled();
});

test("Disconnect stops managing a host without failing it, and Connect brings it back", async ({ page }) => {
  const host = await busiestHost(pool, "dev-cluster-01");
  const hostPattern = host.replace(/\./g, "\\.");
  await signIn(page, "olivia");
  await openHost(page, "dc-boston", "dev-cluster-01", host);
  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "Connect")).toContainText("The host is connected.");
  await menuItem(page, "Disconnect").click();
  const dialog = page.getByRole("alertdialog", { name: `Disconnect ${host}?` });
  await expect(dialog).toContainText("vSphere HA does not restart its VMs, because the host has not failed.");
  await dialog.getByRole("button", { name: "Disconnect" }).click();

  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: new RegExp(`Disconnect host ${hostPattern}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect(header(page).getByText("Disconnected", { exact: true })).toBeVisible();
  // Its VMs keep running.
  await page.getByRole("link", { name: "VMs", exact: true }).click();
  await expect(page.getByRole("row").filter({ hasText: "Powered On" }).first()).toBeVisible();

  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "Enter Maintenance Mode")).toContainText("Connect the host first, so its VMs can be migrated.");
  await menuItem(page, "Connect").click();
  await expect(tasks.getByRole("row", { name: new RegExp(`Connect host ${hostPattern}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect(header(page).getByText("Connected", { exact: true })).toBeVisible();
  await expect(tasks.getByRole("row", { name: new RegExp(`vSphere HA restarted virtual machine .* ${hostPattern}`) })).toHaveCount(0);
});

test("Add Host puts a new host into a cluster; in maintenance mode it can be removed from the inventory", async ({ page }) => {
  await signIn(page, "olivia");
  const tree = page.getByRole("tree", { name: "Hosts and Clusters" });
  await tree.getByRole("treeitem", { name: /^dc-seattle,/ }).locator("svg").first().click();
  await tree.getByRole("treeitem", { name: /^edge-cluster-01,/ }).click();
  await expect(page.getByRole("heading", { name: "edge-cluster-01", exact: true })).toBeVisible();
  // Expanded, so the new host is seen arriving in the navigator.
  await tree.getByRole("treeitem", { name: /^edge-cluster-01,/ }).locator("svg").first().click();
  await expect(tree.getByRole("treeitem", { name: /^esx-12\.seattle\.lab,/ })).toBeVisible();

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Add Host…" }).click();
  const wizard = page.getByRole("dialog", { name: "Add Host" });
  await expect(wizard.getByRole("radio", { name: /^Simulated ESXi host/ })).toBeChecked();
  await wizard.getByRole("button", { name: "Next" }).click();
  await wizard.getByLabel("Host name").fill("esx 13");
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByRole("alert")).toHaveText("Host name must be lowercase RFC 1123 labels separated by '.'");
  await wizard.getByLabel("Host name").fill("esx-13");
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByRole("alert")).toHaveText("Host name must be a fully qualified domain name, such as esx-13.seattle.lab");
  await wizard.getByLabel("Host name").fill("esx-13.seattle.lab");
  await screenshotBothThemes(page, "add-host-wizard-name");
  await wizard.getByRole("button", { name: "Next" }).click();

  await wizard.getByLabel("CPU cores").fill("0");
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByRole("alert")).toHaveText("CPU cores must be at least 1");
  await wizard.getByLabel("CPU cores").fill("16");
  await wizard.getByLabel("Memory (GiB)").fill("256");
  await wizard.getByRole("button", { name: "Next" }).click();

  await expect(wizard.getByRole("checkbox", { name: "edge-cluster-01-vsan" })).toBeChecked();
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByRole("heading", { name: "Ready to complete" })).toBeVisible();
  await expect(wizard).toContainText("16 cores × 2600 MHz");
  await expect(wizard).toContainText("256 GiB");
  await screenshotBothThemes(page, "add-host-wizard-review");
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(wizard).toBeHidden();

  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: /Add host esx-13\.seattle\.lab to edge-cluster-01.*Completed.*olivia/ })).toBeVisible({ timeout: 20_000 });
  const added = tree.getByRole("treeitem", { name: /^esx-13\.seattle\.lab,/ });
  await expect(added).toBeVisible();
  await added.click();
  await expect(header(page).getByText("Connected", { exact: true })).toBeVisible();

  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "Remove from Inventory")).toBeDisabled();
  await menuItem(page, "Enter Maintenance Mode").click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Enter Maintenance Mode" }).click();
  await expect(header(page).getByText("Maintenance Mode", { exact: true })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "Actions" }).click();
  await menuItem(page, "Remove from Inventory").click();
  const confirm = page.getByRole("alertdialog", { name: "Remove esx-13.seattle.lab from the inventory?" });
  await confirm.getByRole("button", { name: "Remove from Inventory" }).click();
  await expect(page.getByRole("heading", { name: "edge-cluster-01", exact: true })).toBeVisible();
  await expect(tasks.getByRole("row", { name: /Remove host esx-13\.seattle\.lab from inventory.*Completed.*olivia/ })).toBeVisible();
  await expect(added).toHaveCount(0);
});
