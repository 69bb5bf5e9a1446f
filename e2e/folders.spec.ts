import { mkdirSync } from "node:fs";
import pg from "pg";
import type { Locator, Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, fact, pageAs, signIn, test } from "./fixtures";

// Folders as an operator uses them. VM folders in the VMs and Templates view: New Folder from a
// datacenter (a bad name refused in the form), a VM dragged onto the folder and another moved by
// Move To Folder, Rename, Delete refused while the folder holds VMs (naming them), the VMs moved out
// in bulk from the folder's VMs tab, then Delete. Host folders in Hosts and Clusters: one made from
// a datacenter, a cluster moved in by Move To Folder and another by drag, their hosts and VMs still
// reachable under it. A developer sees no folders.
const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const FOLDER = "E2E Production";
const HOST_FOLDER = "E2E Racks";

const tree = (page: Page, view = "VMs and Templates") => page.getByRole("tree", { name: view });
const item = (scope: Locator, name: string) => scope.getByRole("treeitem", { name: new RegExp(`^${name.replace(/[.]/g, "\\.")},`) });
const openActions = (page: Page) => page.getByRole("button", { name: "Actions" }).first().click();

/** Datacenter › Actions › New Folder › `item`, by keyboard: the pointer's path from the submenu's trigger to its items crosses the main menu. */
async function newFolderFromDatacenter(page: Page, item: string, screenshot?: string) {
  await openActions(page);
  await page.getByRole("menuitem", { name: "New Folder", exact: true }).focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("menuitem", { name: item }).focus();
  if (screenshot) await screenshotThemes(page, screenshot);
  await page.keyboard.press("Enter");
}

let pool: pg.Pool;
let datacenterUid: string;
let vms: { name: string; uid: string }[];

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  pool = openE2eDatabase();
  datacenterUid = (await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Datacenter' AND name = 'dc-boston'`)).rows[0]!.uid;
  vms = (
    await pool.query<{ name: string; uid: string }>(
      `SELECT name, uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' AND deletion_timestamp IS NULL AND labels->>'skylight.io/folder' IS NULL ORDER BY name LIMIT 2`,
    )
  ).rows;
});

// The spec switches olivia's navigator view (a per-user preference): whatever happens in a test,
// the specs after it find her view as it was (host-lifecycle expects Hosts and Clusters).
const OLIVIA = `(SELECT id FROM users WHERE username = 'olivia')`;
let oliviasView: unknown;

test.beforeEach(async () => {
  oliviasView = (await pool.query<{ value: unknown }>(`SELECT value FROM user_preferences WHERE key = 'navigator.view' AND user_id = ${OLIVIA}`)).rows[0]?.value;
});

test.afterEach(async () => {
  if (oliviasView === undefined) await pool.query(`DELETE FROM user_preferences WHERE key = 'navigator.view' AND user_id = ${OLIVIA}`);
  else await pool.query(`UPDATE user_preferences SET value = $1::jsonb WHERE key = 'navigator.view' AND user_id = ${OLIVIA}`, [JSON.stringify(oliviasView)]);
});

test.afterAll(async () => {
  await pool.query(`UPDATE resources SET labels = labels - 'skylight.io/folder' WHERE (kind = 'VirtualMachine' AND uid = ANY($1::uuid[])) OR kind = 'Cluster'`, [vms.map((vm) => vm.uid)]);
  await pool.query(`DELETE FROM resources WHERE kind = 'Folder' AND name IN ($1, $2, 'E2E Prod', 'E2E Web')`, [FOLDER, HOST_FOLDER]);
  await pool.end();
});

/**
 * The levels at which `name` shows in the tree. After a move, the old parent's level and the new
 * one's are refetched separately, so for a moment the object may show in both: wait for it to
 * show once, in its new place (a strict locator would fail on that moment).
 */
const levelsOf = (scope: Locator, name: string) => item(scope, name).evaluateAll((rows) => rows.map((row) => row.getAttribute("aria-level")));

async function expand(scope: Locator, name: string) {
  const row = item(scope, name);
  // A node opens once it holds something: wait for the live tree to say so before opening it.
  await expect(row).toHaveAttribute("aria-expanded", /^(true|false)$/);
  if ((await row.getAttribute("aria-expanded")) !== "true") await row.locator("svg").first().click();
  await expect(row).toHaveAttribute("aria-expanded", "true");
}

test("an operator creates a VM folder, moves VMs into it by drag and by Move To Folder, renames it, and deletes it once empty", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "olivia");
  await page.goto(`/objects/${datacenterUid}`);
  await page.getByRole("tab", { name: "VMs and Templates" }).click();
  const vmsTree = tree(page);
  await expand(vmsTree, "dc-boston");

  // New Folder from the datacenter: a name the rule refuses is refused in the form, in its words.
  await newFolderFromDatacenter(page, "New VM and Template Folder…");
  const create = page.getByRole("dialog", { name: "New Folder" });
  await create.getByLabel("Folder name").fill("Prod/Web");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create.getByText("Folder name must not contain / \\ or %.")).toBeVisible();
  await create.getByLabel("Folder name").fill("E2E Prod");
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create).toHaveCount(0);
  const folder = item(vmsTree, "E2E Prod");
  await expect(folder).toBeVisible();
  // Folders come before the datacenter's namespaces.
  const names = await vmsTree.getByRole("treeitem", { name: /, (Folder|Namespace)(,|$)/ }).evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name")));
  expect(names[0]).toBe("E2E Prod");

  // Drag a VM from its namespace onto the folder: it moves there at once.
  await expand(vmsTree, "web-team");
  await item(vmsTree, vms[0]!.name).dragTo(folder);
  await expect(page.getByText(`Moved ${vms[0]!.name} to folder E2E Prod.`)).toBeVisible();
  await expand(vmsTree, "E2E Prod");
  await expect(item(vmsTree, vms[0]!.name)).toHaveCount(1);

  // Another by its Actions › Move To Folder.
  await page.goto(`/objects/${vms[1]!.uid}`);
  await openActions(page);
  await page.getByRole("menuitem", { name: "Move To Folder…" }).click();
  const picker = page.getByRole("dialog", { name: `Move To Folder — ${vms[1]!.name}` });
  await picker.getByRole("radio", { name: "E2E Prod" }).check();
  await screenshotThemes(page, "folders-move-to-folder");
  await picker.getByRole("button", { name: "Move" }).click();
  await expect(picker).toHaveCount(0);
  await expect.poll(() => levelsOf(vmsTree, vms[1]!.name)).toEqual(["4"]);
  await expect(item(vmsTree, vms[1]!.name)).toHaveAttribute("aria-selected", "true");

  // Rename, from the folder's own page.
  await item(vmsTree, "E2E Prod").click();
  await expect(page.getByRole("heading", { name: "E2E Prod" })).toBeVisible();
  await openActions(page);
  await page.getByRole("menuitem", { name: "Rename…" }).click();
  const rename = page.getByRole("dialog", { name: "Rename Folder — E2E Prod" });
  await rename.getByLabel("Folder name").fill(FOLDER);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(page.getByRole("heading", { name: FOLDER })).toBeVisible();
  await expect(fact(page, "Path")).toHaveText(`dc-boston / ${FOLDER}`);
  await expect(fact(page, "Virtual machines")).toHaveText("2");
  await screenshotThemes(page, "folders-summary");

  // A subfolder made inside it, then moved up to the datacenter by Move To…, and deleted (empty).
  await openActions(page);
  await page.getByRole("menuitem", { name: "New Folder…" }).click();
  const nested = page.getByRole("dialog", { name: "New Folder" });
  await expect(nested.getByText(`A VM folder in ${FOLDER}.`, { exact: false })).toBeVisible();
  await nested.getByLabel("Folder name").fill("E2E Web");
  await nested.getByRole("button", { name: "Create" }).click();
  await expand(vmsTree, FOLDER);
  await expect(item(vmsTree, "E2E Web")).toHaveAttribute("aria-level", "4");
  await item(vmsTree, "E2E Web").click();
  await expect(fact(page, "Path")).toHaveText(`dc-boston / ${FOLDER} / E2E Web`);
  await openActions(page);
  await page.getByRole("menuitem", { name: "Move To…" }).click();
  const moveTo = page.getByRole("dialog", { name: "Move To — E2E Web" });
  await expect(moveTo.getByRole("radio", { name: FOLDER })).toBeDisabled();
  await moveTo.getByRole("radio", { name: "dc-boston" }).check();
  await screenshotThemes(page, "folders-move-to");
  await moveTo.getByRole("button", { name: "Move" }).click();
  await expect(fact(page, "Path")).toHaveText("dc-boston / E2E Web");
  await expect.poll(() => levelsOf(vmsTree, "E2E Web")).toEqual(["3"]);
  await openActions(page);
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("Folder E2E Web deleted")).toBeVisible();
  await item(vmsTree, FOLDER).click();
  await expect(page.getByRole("heading", { name: FOLDER })).toBeVisible();

  // Delete is refused while it holds VMs, naming them.
  await openActions(page);
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete folder ${FOLDER}?` });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm.getByText(`Folder "${FOLDER}" is not empty: it holds 2 VMs ("${vms[0]!.name}", "${vms[1]!.name}"). Move or delete them first.`)).toBeVisible();
  await screenshotThemes(page, "folders-delete-refused");
  await confirm.getByRole("button", { name: "Cancel" }).click();

  // Out again in bulk, from the folder's VMs tab.
  await page.getByRole("link", { name: "VMs", exact: true }).click();
  const list = page.getByRole("region", { name: "Virtual machines" });
  await expect(list.locator("tbody tr")).toHaveCount(2);
  await list.getByRole("checkbox", { name: "Select all on this page" }).check();
  await list.getByRole("button", { name: "Move to folder…" }).click();
  const bulk = page.getByRole("dialog", { name: "Move To Folder — 2 VMs" });
  await bulk.getByRole("radio", { name: "No folder (under its namespace)" }).check();
  await screenshotThemes(page, "folders-bulk-move");
  await bulk.getByRole("button", { name: "Move" }).click();
  await expect(page.getByText("Moved 2 VMs out of folders, back under their namespaces.")).toBeVisible();
  await expect(list.getByText("There are no virtual machines here.")).toBeVisible({ timeout: 20_000 });

  // Empty now: Delete goes through.
  await openActions(page);
  await page.getByRole("menuitem", { name: "Delete" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(`Folder ${FOLDER} deleted`)).toBeVisible();
  await expect(item(tree(page), FOLDER)).toHaveCount(0);
  expect((await pool.query(`SELECT 1 FROM resources WHERE kind = 'Folder' AND name = $1`, [FOLDER])).rowCount).toBe(0);
});

test("an operator makes a host folder from a datacenter and moves clusters into it by Move To Folder and by drag; their hosts and VMs stay reachable under it", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "olivia");
  await page.goto(`/objects/${datacenterUid}`);
  await page.getByRole("tab", { name: "Hosts and Clusters" }).click();
  const hostsTree = tree(page, "Hosts and Clusters");
  await expand(hostsTree, "dc-boston");

  // Datacenter › Actions › New Folder › New Host and Cluster Folder.
  await newFolderFromDatacenter(page, "New Host and Cluster Folder…", "host-folders-new-folder-menu");
  const create = page.getByRole("dialog", { name: "New Folder" });
  await expect(create.getByText("A host and cluster folder in dc-boston.", { exact: false })).toBeVisible();
  await create.getByLabel("Folder name").fill(HOST_FOLDER);
  await create.getByRole("button", { name: "Create" }).click();
  await expect(create).toHaveCount(0);
  const racks = item(hostsTree, HOST_FOLDER);
  await expect(racks).toHaveAttribute("aria-level", "3");
  // Host folders come before the datacenter's clusters, and only in this view.
  const names = await hostsTree.getByRole("treeitem", { name: /, (Folder|Cluster)(,|$)/ }).evaluateAll((rows) => rows.map((row) => row.getAttribute("data-name")));
  expect(names[0]).toBe(HOST_FOLDER);
  expect(await (await page.request.get(`/api/navigator?view=vms-and-templates&parent=${datacenterUid}`)).text()).not.toContain(HOST_FOLDER);

  // dev-cluster-01 by its Actions › Move To Folder.
  await item(hostsTree, "dev-cluster-01").click();
  await expect(page.getByRole("heading", { name: "dev-cluster-01" })).toBeVisible();
  await openActions(page);
  await page.getByRole("menuitem", { name: "Move To Folder…" }).click();
  const picker = page.getByRole("dialog", { name: "Move To Folder — dev-cluster-01" });
  await expect(picker.getByRole("radio", { name: "dc-boston" })).toBeDisabled();
  await picker.getByRole("radio", { name: HOST_FOLDER }).check();
  await screenshotThemes(page, "host-folders-move-to-folder");
  await picker.getByRole("button", { name: "Move" }).click();
  await expect(page.getByText(`Moved cluster dev-cluster-01 to folder ${HOST_FOLDER}.`)).toBeVisible();
  await expect.poll(() => levelsOf(hostsTree, "dev-cluster-01")).toEqual(["4"]);

  // prod-cluster-01 dragged onto the folder.
  await item(hostsTree, "prod-cluster-01").dragTo(racks);
  await expect(page.getByText(`Moved cluster prod-cluster-01 to folder ${HOST_FOLDER}.`)).toBeVisible();
  await expect.poll(() => levelsOf(hostsTree, "prod-cluster-01")).toEqual(["4"]);

  // Its hosts and their VMs are still there, one level deeper.
  const { rows } = await pool.query<{ host: string }>(
    `SELECT status->>'host' AS host FROM resources WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' = 'prod-cluster-01' AND status->>'host' IS NOT NULL ORDER BY 1 LIMIT 1`,
  );
  await expand(hostsTree, "prod-cluster-01");
  await expect(item(hostsTree, rows[0]!.host)).toHaveAttribute("aria-level", "5");
  await expand(hostsTree, rows[0]!.host);
  const vm = hostsTree.getByRole("treeitem", { name: /, Virtual machine/ }).and(hostsTree.locator('[aria-level="6"]')).first();
  await expect(vm).toBeVisible();
  const vmName = await vm.getAttribute("data-name");
  await vm.click();
  await expect(page.getByRole("heading", { name: vmName! })).toBeVisible();
  await item(hostsTree, HOST_FOLDER).click();
  await expect(fact(page, "Clusters")).toHaveText("2");
  await screenshotThemes(page, "host-folders-summary");
  // Its VMs tab lists its clusters' VMs (a page of them).
  const { rows: counted } = await pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM resources WHERE kind = 'VirtualMachine' AND labels->>'skylight.io/cluster' IN ('dev-cluster-01', 'prod-cluster-01')`,
  );
  await page.getByRole("link", { name: "VMs", exact: true }).click();
  await expect(page.getByRole("region", { name: "Virtual machines" }).locator("tbody tr")).toHaveCount(Math.min(counted[0]!.count, 50));
  await item(hostsTree, HOST_FOLDER).click();

  // Delete is refused while it holds clusters, naming them.
  await openActions(page);
  await page.getByRole("menuitem", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete folder ${HOST_FOLDER}?` });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm.getByText(`Folder "${HOST_FOLDER}" is not empty: it holds 2 clusters ("dev-cluster-01", "prod-cluster-01"). Move or delete them first.`)).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
});

test("a developer sees no folders: their VMs stay under their namespace, and a folder's page is not theirs", async ({ browser }) => {
  const { rows } = await pool.query<{ uid: string }>(
    `INSERT INTO resources (api_version, kind, name, spec) VALUES ('skylight.io/v1alpha1', 'Folder', 'E2E Prod', '{"datacenter": "dc-boston", "parent": null}') RETURNING uid::text`,
  );
  await pool.query(`UPDATE resources SET labels = labels || jsonb_build_object('skylight.io/folder', $1::text) WHERE uid = $2::uuid`, [rows[0]!.uid, vms[0]!.uid]);
  const developer = await pageAs(browser, "dev");
  await developer.goto(`/objects/${vms[0]!.uid}`);
  const namespacesTree = developer.getByRole("tree", { name: "Namespaces" });
  await expect(item(namespacesTree, vms[0]!.name)).toHaveAttribute("aria-selected", "true");
  await expect(developer.getByRole("treeitem", { name: /, Folder(,|$)/ })).toHaveCount(0);
  const listed = await developer.request.get(`/api/navigator?view=vms-and-templates&parent=${datacenterUid}`);
  expect(await listed.text()).not.toContain("E2E Prod");
  expect((await developer.request.get(`/api/objects/${rows[0]!.uid}/actions`)).status()).toBe(404);
  await developer.goto(`/objects/${rows[0]!.uid}`);
  await expect(developer.getByRole("heading", { name: "Nothing here" })).toBeVisible();
  await developer.context().close();
});

async function screenshotThemes(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SHOTS}/${name}-1280-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}
