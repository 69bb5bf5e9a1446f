// Actions where a vSphere administrator expects them on datacenters, datastores and networks, and
// status that tells the truth: a heartbeat's age kept live, and names a developer may not open
// shown as text rather than links into "not found".
import type pg from "pg";
import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, screenshotBothThemes, signIn, test } from "./fixtures";

let pool: pg.Pool;
test.beforeAll(() => {
  pool = openE2eDatabase();
});
test.afterAll(() => pool.end());

const uidOf = async (kind: string, name: string, namespace = "") =>
  (await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = $1 AND name = $2 AND namespace = $3`, [kind, name, namespace])).rows[0]!.uid;
const menuItem = (page: Page, label: string) => page.getByRole("menuitem", { name: new RegExp(`^${label}`) });
const tasks = (page: Page) => page.getByRole("region", { name: "Recent Tasks" });

test.use({ viewport: { width: 1280, height: 800 } });

test("a datacenter's Actions add a host to one of its clusters, chosen first", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto(`/objects/${await uidOf("Datacenter", "dc-boston")}`);
  await page.getByRole("button", { name: "Actions" }).click();
  await expect(menuItem(page, "New Cluster")).toBeVisible();
  await menuItem(page, "Add Host").click();
  const dialog = page.getByRole("dialog", { name: "Add Host" });
  await expect(dialog).toContainText("Add a host to dc-boston.");
  await dialog.getByLabel("Cluster").click();
  await expect(page.getByRole("option")).toHaveText(["dev-cluster-01", "prod-cluster-01"]);
  await page.getByRole("option", { name: "prod-cluster-01" }).click();
  await screenshotBothThemes(page, "datacenter-add-host");
  await dialog.getByRole("button", { name: "Next" }).click();
  // The simulated host's steps offer the chosen cluster's datastores.
  await expect(dialog.getByText("prod-cluster-01", { exact: false }).first()).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("a datastore's Actions browse its files, each VM's folder linked to the VM, and refresh its capacity as a task", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto(`/objects/${await uidOf("Datastore", "dev-cluster-01-vsan")}`);
  await page.getByRole("button", { name: "Actions" }).click();
  await menuItem(page, "Browse Files").click();
  await expect(page).toHaveURL(/\/files$/);
  const folders = page.getByRole("navigation", { name: "Folders" });
  await expect(folders.getByRole("button").first()).toBeVisible();
  const vm = (await pool.query<{ name: string; namespace: string }>(
    `SELECT name, namespace FROM resources WHERE kind = 'VirtualMachine' AND spec->>'storageClass' = 'dev-cluster-01-vsan' AND status->>'uniqueID' IS NOT NULL ORDER BY name LIMIT 1`,
  )).rows[0]!;
  await folders.getByRole("button", { name: new RegExp(`^${vm.name}\\b`) }).click();
  await expect(page).toHaveURL(new RegExp(`folder=${vm.name}$`));
  const files = page.getByRole("region", { name: `Files in ${vm.name}` });
  await expect(files.getByRole("row", { name: new RegExp(`^${vm.name}\\.vmdk .* Virtual disk$`) })).toBeVisible();
  await expect(files.getByRole("link", { name: `${vm.namespace}/${vm.name}` })).toBeVisible();
  await screenshotBothThemes(page, "datastore-files");

  await page.getByRole("button", { name: "Actions" }).click();
  await menuItem(page, "Refresh Capacity Information").click();
  await expect(tasks(page).getByRole("row", { name: /Refresh capacity information of dev-cluster-01-vsan.*Completed.*olivia/ })).toBeVisible({ timeout: 20_000 });
});

test("a network's Edit Settings names the VMs on it, changes the VLAN ID and refuses one out of range", async ({ page }) => {
  await signIn(page, "olivia");
  // The datacenter's default network, which every VM without an adapter of its own is on.
  const name = "dc-boston-vm-network";
  await page.goto(`/objects/${await uidOf("Network", name)}`);
  const edit = async () => {
    await page.getByRole("button", { name: "Actions" }).click();
    await menuItem(page, "Edit Settings").click();
    return page.getByRole("dialog", { name: `Edit Settings — ${name}` });
  };
  let dialog = await edit();
  await expect(dialog.getByRole("region", { name: "Connected VMs" })).toContainText(/\d+ VMs? (is|are) connected to this network/);
  await expect(dialog.getByLabel("Port group name")).toHaveAttribute("readonly", "");
  await dialog.getByLabel("VLAN ID").fill("5000");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("VLAN ID must be 0 (none) to 4094.")).toBeVisible();
  await dialog.getByLabel("VLAN ID").fill("121");
  await expect(dialog).toContainText("a new VLAN ID moves their traffic");
  await screenshotBothThemes(page, "network-edit-settings");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole("link", { name: "Configure", exact: true }).click();
  await expect(page.getByRole("definition").filter({ hasText: /^121$/ })).toBeVisible();

  // Back as it was, for the rest of the suite.
  dialog = await edit();
  await dialog.getByLabel("VLAN ID").fill("0");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("definition").filter({ hasText: /^None \(0\)$/ })).toBeVisible();
});

test("a host's last heartbeat is its age, kept live", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto(`/objects/${await uidOf("Host", "esx-01.boston.lab")}`);
  const heartbeat = page.getByRole("definition").filter({ has: page.locator("time") }).filter({ hasText: / s ago$/ });
  await expect(heartbeat).toBeVisible();
  const first = await heartbeat.textContent();
  await expect(heartbeat).not.toHaveText(first!, { timeout: 5_000 });
});

test("a developer's VM names its host as text, not a link they may not follow", async ({ page }) => {
  await signIn(page, "dev");
  const vm = (await pool.query<{ uid: string; host: string }>(
    `SELECT uid::text, status->>'host' AS host FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' AND status->>'host' IS NOT NULL ORDER BY name LIMIT 1`,
  )).rows[0]!;
  await page.goto(`/objects/${vm.uid}`);
  await expect(page.getByText(vm.host, { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: vm.host })).toHaveCount(0);
  await page.goto(`/vms?q=${encodeURIComponent("")}`);
  await expect(page.getByRole("link", { name: vm.host })).toHaveCount(0);
});
