import { mkdirSync } from "node:fs";
import pg from "pg";
import type { Locator, Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, signIn, test } from "./fixtures";

// Folder permissions as vSphere's propagate: an administrator gives dana (a developer with no role
// in web-team) "Can edit" on a folder from its Permissions tab; dana then sees the datacenter ›
// folder › subfolder path down to the web-team VM inside, powers it on, and reads what the
// subfolder inherits; a web-team VM outside the folder stays invisible to her. The folders and the
// grant go in `finally`, so no other spec sees dana with more than her namespaces.
const SHOTS = process.env.E2E_SHOTS_DIR ?? "test-results/screenshots";
const TOP = "E2E Perms Apps";
const TEAM = "E2E Perms Team";

const tree = (page: Page) => page.getByRole("tree", { name: "VMs and Templates" });
const item = (scope: Locator, name: string) => scope.getByRole("treeitem", { name: new RegExp(`^${name.replace(/[.]/g, "\\.")},`) });

let pool: pg.Pool;

test.beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
  pool = openE2eDatabase();
});
test.afterAll(() => pool.end());

async function expand(scope: Locator, name: string) {
  const row = item(scope, name);
  await expect(row).toHaveAttribute("aria-expanded", /^(true|false)$/);
  if ((await row.getAttribute("aria-expanded")) !== "true") await row.locator("svg").first().click();
  await expect(row).toHaveAttribute("aria-expanded", "true");
}

async function screenshotThemes(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await page.screenshot({ path: `${SHOTS}/${name}-1280-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

test("an administrator gives a developer edit on a folder; she sees and powers on the VM two levels down, and nothing outside", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const { rows: picked } = await pool.query<{ name: string; uid: string }>(
    `SELECT name, uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' AND deletion_timestamp IS NULL
        AND labels->>'skylight.io/folder' IS NULL AND spec->>'powerState' = 'PoweredOff' ORDER BY name DESC LIMIT 1`,
  );
  const { rows: others } = await pool.query<{ name: string; uid: string }>(
    `SELECT name, uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' AND name <> $1 ORDER BY name LIMIT 1`,
    [picked[0]!.name],
  );
  const vm = picked[0]!;
  const outside = others[0]!;
  const top = (await pool.query<{ uid: string }>(`INSERT INTO resources (api_version, kind, name, spec) VALUES ('skylight.io/v1alpha1', 'Folder', $1, '{"datacenter": "dc-boston", "parent": null}') RETURNING uid::text`, [TOP])).rows[0]!.uid;
  const team = (
    await pool.query<{ uid: string }>(`INSERT INTO resources (api_version, kind, name, spec) VALUES ('skylight.io/v1alpha1', 'Folder', $1, jsonb_build_object('datacenter', 'dc-boston', 'parent', $2::text)) RETURNING uid::text`, [TEAM, top])
  ).rows[0]!.uid;
  await pool.query(`UPDATE resources SET labels = labels || jsonb_build_object('skylight.io/folder', $1::text) WHERE uid = $2::uuid`, [team, vm.uid]);
  const dana = await pageAs(browser, "dana");
  try {
    await dana.setViewportSize({ width: 1280, height: 800 });
    // Before the grant the VM is not dana's to see.
    await dana.goto(`/objects/${vm.uid}`);
    await expect(dana.getByRole("heading", { name: "Nothing here" })).toBeVisible();

    // The administrator, on the top folder's Permissions tab: Add dana, Can edit, Save.
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, "admin");
    await page.goto(`/objects/${top}/permissions`);
    await expect(page.getByRole("table", { name: "Folder permissions" }).getByText("Only administrators and operators can use this folder.")).toBeVisible();
    await page.getByRole("combobox", { name: "User or group to add" }).click();
    await page.getByRole("option", { name: "dana (Dana Kim)" }).click();
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("combobox", { name: "Role of dana" }).click();
    await page.getByRole("option", { name: "Can edit" }).click();
    await screenshotThemes(page, "folder-permissions-admin");
    await page.getByRole("button", { name: "Save Permissions" }).click();
    await expect(page.getByText(`Permissions of ${TOP} saved`)).toBeVisible();
    expect((await pool.query(`SELECT spec->'permissions' AS permissions FROM resources WHERE uid = $1::uuid`, [top])).rows[0].permissions).toEqual([{ kind: "User", name: "dana", role: "edit" }]);
    await expect(page.getByRole("region", { name: "Recent Tasks" }).getByRole("row", { name: new RegExp(`Change permissions of folder ${TOP}`) })).toBeVisible();

    // dana: under "Your folders", the datacenter › folder › subfolder path down to the VM, and none of her namespaces again.
    await dana.goto("/");
    await expect(dana.getByRole("heading", { name: "Your folders" })).toBeVisible();
    const vmsTree = tree(dana);
    await expand(vmsTree, "dc-boston");
    await expect(vmsTree.getByRole("treeitem", { name: /, Namespace(,|$)/ })).toHaveCount(0);
    await expand(vmsTree, TOP);
    await expand(vmsTree, TEAM);
    await expect(item(vmsTree, outside.name)).toHaveCount(0);
    await item(vmsTree, vm.name).click();
    const header = dana.locator("header").filter({ has: dana.getByRole("heading", { level: 1, name: vm.name }) });
    await expect(header.getByText("Powered Off")).toBeVisible();
    // Her namespace is not web-team: the header names it as text, not a link into "Nothing here".
    await expect(header.getByRole("link", { name: "web-team" })).toHaveCount(0);
    await expect(header.getByText("web-team")).toBeVisible();

    // Her edit role runs the VM's lifecycle: Power On.
    await dana.getByRole("button", { name: "Actions" }).first().click();
    await expect(dana.getByRole("menuitem", { name: "Move To Folder…" })).toHaveCount(0);
    await dana.getByRole("menuitem", { name: "Power On" }).click();
    await expect(header.getByText("Powered On")).toBeVisible({ timeout: 30_000 });
    // The live stream reaches her for a VM she sees through its folder: the tree's node follows.
    await expect(item(vmsTree, vm.name)).toHaveAccessibleName(/Powered on/, { timeout: 20_000 });
    await expect(dana.getByRole("region", { name: "Recent Tasks" }).getByRole("row", { name: new RegExp(`Power on virtual machine ${vm.name}`) })).toBeVisible();
    await screenshotThemes(dana, "folder-permissions-developer-vm");

    // The subfolder's Permissions tab shows what it inherits, read only, and where it is defined.
    await dana.goto(`/objects/${team}/permissions`);
    const inherited = dana.getByRole("table", { name: "Inherited folder permissions" });
    await expect(inherited.getByRole("row", { name: /dana.*Can edit.*Folder E2E Perms Apps/ })).toBeVisible();
    await expect(dana.getByRole("button", { name: "Save Permissions" })).toHaveCount(0);
    await expect(item(tree(dana), TEAM)).toHaveAttribute("aria-selected", "true");
    await screenshotThemes(dana, "folder-permissions-inherited");

    // A web-team VM outside the folder stays invisible: its page is "Nothing here", search finds no such VM.
    await dana.goto(`/objects/${outside.uid}`);
    await expect(dana.getByRole("heading", { name: "Nothing here" })).toBeVisible();
    const search = await dana.request.get(`/api/search?q=${encodeURIComponent(outside.name)}`);
    expect(await search.text()).not.toContain(outside.uid);
  } finally {
    await dana.context().close();
    await pool.query(`UPDATE resources SET labels = labels - 'skylight.io/folder' WHERE kind = 'VirtualMachine' AND uid = $1::uuid`, [vm.uid]);
    await pool.query(`DELETE FROM resources WHERE kind = 'Folder' AND name IN ($1, $2)`, [TOP, TEAM]);
  }
});
