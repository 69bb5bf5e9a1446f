import { mkdirSync } from "node:fs";
import pg from "pg";
import type { Locator, Page } from "@playwright/test";
import { migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, signIn, test } from "./fixtures";

// A vSphere administrator's habits in the navigator and the lists: context menus that are the
// object's own Actions menu, dragging a VM onto a host to migrate it, the root node, state icons,
// the shortcuts sheet, and a Recent Tasks pane that resizes. The VMs used are put back afterwards.
const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";

const tree = (page: Page, view = "Hosts and Clusters") => page.getByRole("tree", { name: view });
const item = (scope: Locator, name: string) => scope.getByRole("treeitem", { name: new RegExp(`^${name.replace(/\./g, "\\.")},`) });
const menuItemNames = async (page: Page) => (await page.getByRole("menu").getByRole("menuitem").allTextContents()).map((text) => text.trim());

interface VmRow {
  name: string;
  uid: string;
  namespace: string;
  host: string;
  cluster: string;
}

let pool: pg.Pool;
/** A powered-on VM of web-team (prod-cluster-01) that is dragged to another host and back. */
let moved: VmRow;
/** Another host of its cluster that can take it. */
let otherHost: string;
/** A powered-on VM of data-team suspended and powered on again from its list row's context menu. */
let cycled: VmRow;

const poweredOnVm = async (namespace: string) =>
  (
    await pool.query<VmRow>(
      `SELECT name, uid::text, namespace, status->>'host' AS host, labels->>'skylight.io/cluster' AS cluster FROM resources
        WHERE kind = 'VirtualMachine' AND namespace = $1 AND status->>'powerState' = 'PoweredOn' AND spec->>'powerState' = 'PoweredOn'
          AND status->>'host' IS NOT NULL AND deletion_timestamp IS NULL
        ORDER BY name DESC LIMIT 1`,
      [namespace],
    )
  ).rows[0]!;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  pool = openE2eDatabase();
  moved = await poweredOnVm("web-team");
  cycled = await poweredOnVm("data-team");
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM resources WHERE kind = 'Host' AND spec->>'cluster' = $1 AND name <> $2 AND status->>'connectionState' = 'connected'
        AND COALESCE((spec->>'maintenanceMode')::boolean, false) = false ORDER BY name LIMIT 1`,
    [moved.cluster, moved.host],
  );
  otherHost = rows[0]!.name;
});

test.afterAll(async () => {
  await migrateVirtualMachine(ADMIN, { namespace: moved.namespace, name: moved.name, host: moved.host }, pool).catch(() => undefined);
  // The resize test changes olivia's Recent Tasks pane: the specs after this one find it as a new user does.
  await pool.query(`DELETE FROM user_preferences WHERE key = 'recentTasks.pane' AND user_id = (SELECT id FROM users WHERE username = 'olivia')`);
  await pool.end();
});

const powerStateOf = async (page: Page, uid: string) => ((await (await page.request.get(`/api/objects/${uid}`)).json()) as { status: { powerState?: string } }).status.powerState;

test("right-click on a tree node opens the object's own Actions menu, at the pointer", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto(`/objects/${moved.uid}`);
  const hosts = tree(page);
  const node = item(hosts, moved.name);
  await expect(node).toHaveAttribute("aria-selected", "true");

  await page.getByRole("button", { name: "Actions" }).click();
  const onPage = await menuItemNames(page);
  expect(onPage).toContain("Migrate…");
  await page.keyboard.press("Escape");

  const box = (await node.boundingBox())!;
  await node.click({ button: "right", position: { x: 60, y: box.height / 2 } });
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: "Power Off" })).toBeVisible();
  await expect.poll(() => menuItemNames(page)).toEqual(onPage);
  // The same enablement: the VM is powered on, so Power On is disabled with its reason.
  await expect(menu.getByRole("menuitem", { name: /^Power On\s*: The VM is already powered on\./ })).toHaveAttribute("aria-disabled", "true");
  // At the pointer: opening down from it, or up where the window has no room below.
  const menuBox = (await menu.boundingBox())!;
  const pointer = { x: box.x + 60, y: box.y + box.height / 2 };
  expect(Math.abs(menuBox.x - pointer.x)).toBeLessThan(12);
  expect(Math.min(Math.abs(menuBox.y - pointer.y), Math.abs(menuBox.y + menuBox.height - pointer.y))).toBeLessThan(12);

  // Its dialogs are the page's: Edit Settings opens on this VM.
  await menu.getByRole("menuitem", { name: "Edit Settings…" }).click();
  await expect(page.getByRole("dialog", { name: new RegExp(`Edit Settings.*${moved.name}`) })).toBeVisible();
  await page.keyboard.press("Escape");
});

test("a list row's context menu matches the page's, and an action runs from it", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto(`/objects/${cycled.uid}`);
  await page.getByRole("button", { name: "Actions" }).click();
  const onPage = await menuItemNames(page);
  await page.keyboard.press("Escape");

  await page.goto(`/vms?q=${cycled.name}`);
  // Names repeat across namespaces: the row on the VM's host is this one.
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: cycled.name, exact: true }) }).filter({ hasText: cycled.host });
  await row.click({ button: "right", position: { x: 200, y: 10 } });
  await expect(page.getByRole("menu").getByRole("menuitem", { name: "Suspend" })).toBeVisible();
  // Whether the VM has a web console is read as the menu opens; then the items are the page's.
  await expect.poll(() => menuItemNames(page)).toEqual(onPage);
  await page.getByRole("menu").getByRole("menuitem", { name: "Suspend" }).click();
  await expect(page.getByText(`Suspending ${cycled.name}`)).toBeVisible();
  await expect.poll(() => powerStateOf(page, cycled.uid), { timeout: 30_000 }).toBe("Suspended");

  // Read fresh when opened: now Power On applies and Suspend says why not.
  await row.click({ button: "right", position: { x: 200, y: 10 } });
  await expect(page.getByRole("menu").getByRole("menuitem", { name: /^Suspend\s*: / })).toHaveAttribute("aria-disabled", "true");
  await page.getByRole("menu").getByRole("menuitem", { name: "Power On" }).click();
  await expect.poll(() => powerStateOf(page, cycled.uid), { timeout: 30_000 }).toBe("PoweredOn");
});

test("Shift+F10 opens the menu under the focused row, Esc gives focus back; a developer gets only what they may do", async ({ page, browser }) => {
  await signIn(page, "admin");
  await page.goto(`/objects/${moved.uid}`);
  const node = item(tree(page), moved.host);
  await node.focus();
  // The open menu is modal (the page behind it leaves the accessibility tree): measure the row first.
  const rowBox = (await node.boundingBox())!;
  await page.keyboard.press("Shift+F10");
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem", { name: /Enter Maintenance Mode/ })).toBeVisible();
  const menuBox = (await menu.boundingBox())!;
  expect(menuBox.y).toBeGreaterThanOrEqual(rowBox.y + rowBox.height - 2);
  expect(menuBox.y).toBeLessThan(rowBox.y + rowBox.height + 12);
  // From the keyboard the first action takes focus, as with the page's Actions button.
  await expect(menu.getByRole("menuitem").first()).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(node).toBeFocused();

  const developer = await pageAs(browser, "dev");
  await developer.goto(`/objects/${moved.uid}`);
  const vm = item(developer.getByRole("tree", { name: "Namespaces" }), moved.name);
  await vm.focus();
  await developer.keyboard.press("Shift+F10");
  await expect(developer.getByRole("menu").getByRole("menuitem", { name: "Edit Settings…" })).toBeVisible();
  await expect(developer.getByRole("menu").getByRole("menuitem", { name: "Migrate…" })).toHaveCount(0);
  await developer.keyboard.press("Escape");
  // What the menu is read from answers a developer only for what they may see.
  const host = (await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Host' AND name = $1`, [moved.host])).rows[0]!;
  expect((await developer.request.get(`/api/objects/${host.uid}/actions`)).status()).toBe(404);
  await developer.context().close();
});

test("dragging a VM onto another host opens Migrate with that host chosen and migrates it", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto(`/objects/${moved.uid}`);
  const hosts = tree(page);
  const vm = item(hosts, moved.name);
  await expect(vm).toHaveAttribute("aria-selected", "true");
  const dialog = page.getByRole("dialog", { name: `Migrate ${moved.name}` });

  // Its own host cannot take it: the dialog opens and says why, with nothing chosen.
  await vm.dragTo(item(hosts, moved.host));
  await expect(dialog.getByText(`${moved.host} cannot take the VM: the VM's current host.`)).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Migrate" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await vm.dragTo(item(hosts, otherHost));
  await expect(dialog.getByRole("radio", { name: "Change compute resource only" })).toBeChecked();
  await expect(dialog.getByRole("table", { name: "Hosts" }).getByRole("radio", { name: otherHost })).toBeChecked();
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/drop-migrate-1280-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await dialog.getByRole("button", { name: "Migrate" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator("dt", { hasText: /^Host$/ }).locator("xpath=following-sibling::dd[1]")).toHaveText(otherHost, { timeout: 30_000 });

  // A VM list row drags the same way: onto the host it came from, now free to take it back.
  await page.goto(`/vms?q=${moved.name}`);
  await item(hosts, "dc-boston").locator("svg").first().click();
  await item(hosts, moved.cluster).locator("svg").first().click();
  await expect(item(hosts, moved.host)).toBeVisible();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: moved.name, exact: true }) }).filter({ hasText: otherHost });
  await row.dragTo(item(hosts, moved.host));
  await expect(dialog.getByRole("table", { name: "Hosts" }).getByRole("radio", { name: moved.host })).toBeChecked();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Onto a datastore: a storage move; onto the one its disks are on already, the dialog says why not.
  await page.getByRole("tab", { name: "Storage" }).click();
  const storage = tree(page, "Storage");
  await item(storage, "dc-boston").locator("svg").first().click();
  await row.dragTo(item(storage, `${moved.cluster}-vsan`));
  await expect(dialog.getByRole("radio", { name: "Change storage only" })).toBeChecked();
  await expect(dialog.getByText(`${moved.cluster}-vsan cannot take the VM's disks: it is the VM's current datastore.`)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("tab", { name: "Hosts and Clusters" }).click();
  await expect(tree(page)).toBeVisible();
});

test("a root node named after the console's host stands above the datacenters in every infrastructure view", async ({ page }) => {
  await signIn(page, "admin");
  const name = new URL(page.url()).hostname;
  for (const view of ["Hosts and Clusters", "VMs and Templates", "Storage", "Networking"]) {
    await page.getByRole("tab", { name: view }).click();
    const root = item(tree(page, view), name);
    await expect(root).toHaveAccessibleName(`${name}, Skylight server`);
    await expect(root).toHaveAttribute("aria-level", "1");
    await expect(root).toHaveAttribute("aria-expanded", "true");
    await expect(item(tree(page, view), "dc-boston")).toHaveAttribute("aria-level", "2");
  }
  await page.getByRole("tab", { name: "Namespaces" }).click();
  await expect(item(tree(page, "Namespaces"), name)).toHaveCount(0);

  await page.getByRole("tab", { name: "Hosts and Clusters" }).click();
  const root = item(tree(page), name);
  await root.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(root).toHaveAttribute("aria-expanded", "false");
  await expect(item(tree(page), "dc-boston")).toHaveCount(0);
  await page.keyboard.press("ArrowRight");
  await expect(item(tree(page), "dc-boston")).toBeVisible();
  await page.goto("/vms");
  await root.click();
  await expect(page).toHaveURL(/\/$/);
});

test("tree rows show a state as an icon whose words are in the row's accessible name and tooltip", async ({ page }) => {
  await signIn(page, "admin");
  const { rows } = await pool.query<{ uid: string; name: string; namespace: string }>(
    `SELECT uid::text, name, namespace FROM resources WHERE kind = 'VirtualMachine' AND status->>'powerState' = 'PoweredOff' AND spec->>'powerState' = 'PoweredOff'
        AND status->>'host' IS NOT NULL ORDER BY name LIMIT 1`,
  );
  const off = rows[0]!;
  await page.goto(`/objects/${off.uid}`);
  const node = item(tree(page), off.name);
  await expect(node).toHaveAccessibleName(new RegExp(`^${off.name}, Virtual machine, namespace ${off.namespace}, Powered off`));
  await expect(node).toHaveAttribute("title", new RegExp("Powered off"));
  await expect(node.locator('[data-state-icon="poweredOff"]')).toHaveAttribute("title", "Powered off");
  await expect(node).toHaveText(off.name);
  // The name is never clipped by the icon: in a narrow navigator it truncates, the icon stays whole.
  const separator = page.getByRole("separator", { name: "Resize navigator" });
  const handle = (await separator.boundingBox())!;
  await page.mouse.move(handle.x + 1, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(120, handle.y + handle.height / 2, { steps: 5 });
  await page.mouse.up();
  const icon = (await node.locator('[data-state-icon="poweredOff"]').boundingBox())!;
  const row = (await node.boundingBox())!;
  expect(icon.x + icon.width).toBeLessThanOrEqual(row.x + row.width);
  await page.mouse.move(900, 600);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByRole("navigation", { name: "Navigator" }).screenshot({ path: `${SHOTS}/tree-state-icons-narrow-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
});

test("? shows the keyboard shortcuts, not while typing, and Esc closes it", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/vms");
  const filter = page.getByRole("textbox", { name: "Filter virtual machines" });
  await filter.press("Shift+?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
  await expect(filter).toHaveValue("?");

  await filter.fill("");
  await page.getByRole("main").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("Shift+?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(sheet).toBeVisible();
  for (const line of ["Search the inventory", "Open the object's Actions menu", "Expand, then go to the first child", "Close a menu, dialog or this sheet"]) {
    await expect(sheet.getByText(line)).toBeVisible();
  }
  await expect(sheet.getByText("Ctrl", { exact: true })).toBeVisible();
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(size);
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SHOTS}/shortcuts-${size.width}-${scheme}.png` });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.keyboard.press("Escape");
  await expect(sheet).toHaveCount(0);
});

test("Recent Tasks resizes by its top edge, keeps its height for the user, and nothing in it is clipped at 1280×800 and 1024×768", async ({ page }) => {
  await signIn(page, "olivia");
  const pane = page.getByRole("region", { name: "Recent Tasks" });
  const separator = page.getByRole("separator", { name: "Resize Recent Tasks" });
  const before = (await pane.boundingBox())!.height;
  const edge = (await separator.boundingBox())!;
  await page.mouse.move(edge.x + edge.width / 2, edge.y);
  await page.mouse.down();
  await page.mouse.move(edge.x + edge.width / 2, edge.y - 150, { steps: 8 });
  await page.mouse.up();
  await expect.poll(async () => (await pane.boundingBox())!.height).toBeGreaterThan(before + 130);
  // The arrow keys move the focused edge too.
  const dragged = (await pane.boundingBox())!.height;
  await separator.focus();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect.poll(async () => (await pane.boundingBox())!.height).toBeGreaterThan(dragged + 5);
  const resized = (await pane.boundingBox())!.height;

  // Remembered for the user: a reload keeps the height.
  await page.waitForTimeout(1000);
  await page.reload();
  await expect.poll(async () => Math.abs((await pane.boundingBox())!.height - resized)).toBeLessThan(4);

  // Collapsing leaves the title bar; expanding brings the height back.
  await pane.getByRole("button", { name: "Collapse" }).click();
  await expect.poll(async () => (await pane.boundingBox())!.height).toBeLessThan(40);
  await expect(page.locator("#recent-tasks-body")).toHaveCount(0);
  await pane.getByRole("button", { name: "Expand" }).click();
  await expect.poll(async () => Math.abs((await pane.boundingBox())!.height - resized)).toBeLessThan(4);

  // The expand is saved as it happens; a full page load right after must find the pane open.
  await page.waitForTimeout(500);
  await page.goto(`/objects/${cycled.uid}`);
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1024, height: 768 },
  ]) {
    await page.setViewportSize(size);
    await expect(pane.getByRole("columnheader").first()).toBeVisible();
    // Every column header shows its whole title.
    const clipped = await pane.getByRole("columnheader").evaluateAll((cells) => cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent));
    expect(clipped).toEqual([]);
    const node = item(tree(page), cycled.host);
    await node.click({ button: "right" });
    await expect(page.getByRole("menu")).toBeVisible();
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SHOTS}/console-${size.width}-${scheme}.png` });
    }
    await page.keyboard.press("Escape");
    await page.emulateMedia({ colorScheme: "light" });
  }
});
