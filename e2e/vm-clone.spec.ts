import pg from "pg";
import type { Locator, Page } from "@playwright/test";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, screenshotBothThemes, signIn, test } from "./fixtures";

// A source VM of its own in data-team (dev-cluster-01), cloned to a VM and to a template, and a VM
// deployed from that template; all of them, the template included, are deleted at the end.
const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const RUN = Date.now().toString(36);
const SOURCE = `clonesrc-${RUN}`;
const CLONE = `clone-${RUN}`;
const TEMPLATE = `tpl-${RUN}`;
const DEPLOYED = `fromtpl-${RUN}`;

let pool: pg.Pool;
test.beforeAll(async () => {
  pool = openE2eDatabase();
  const network = { interfaces: [{ name: "eth0", network: { kind: "Network", name: "dc-boston-vlan-120" } }] };
  await createVirtualMachine(ADMIN, { namespace: "data-team", name: SOURCE, spec: { className: "best-effort-xsmall", imageName: "photon-5", storageClass: "dev-cluster-01-vsan", powerState: "PoweredOn", network } }, pool);
});
test.afterAll(async () => {
  for (const name of [CLONE, DEPLOYED, SOURCE]) await deleteVirtualMachine(ADMIN, { namespace: "data-team", name }, pool).catch(() => undefined);
  await expect
    .poll(async () => (await pool.query(`SELECT count(*)::int AS n FROM resources WHERE kind = 'VirtualMachine' AND name LIKE $1`, [`%-${RUN}`])).rows[0].n, { timeout: 30_000 })
    .toBe(0);
  const { rows } = await pool.query<{ uid: string }>(`DELETE FROM resources WHERE kind = 'VirtualMachineImage' AND name = $1 RETURNING uid::text`, [TEMPLATE]);
  for (const { uid } of rows) await pool.query(`DELETE FROM sim_templates WHERE id = $1`, [uid]);
  await pool.end();
});

async function vmRow(name: string) {
  const { rows } = await pool.query<{ uid: string; spec: Record<string, unknown>; status: { powerState?: string; host?: string; hardware?: Record<string, unknown> } }>(
    `SELECT uid::text, spec, status FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'data-team' AND name = $1`,
    [name],
  );
  return rows[0];
}

async function openSource(page: Page) {
  await expect.poll(async () => (await vmRow(SOURCE))?.status.powerState, { timeout: 30_000 }).toBe("PoweredOn");
  await page.goto(`/objects/${(await vmRow(SOURCE))!.uid}`);
  await expect(page.getByRole("heading", { level: 1, name: SOURCE })).toBeVisible();
}

async function cloneMenu(page: Page, item: string) {
  await page.getByRole("button", { name: "Actions" }).click();
  // By keyboard: the pointer's path from the submenu's trigger to its items crosses the main menu.
  await page.getByRole("menuitem", { name: "Clone", exact: true }).focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("menuitem", { name: item }).focus();
  await page.keyboard.press("Enter");
}

const tasks = (page: Page) => page.getByRole("region", { name: "Recent Tasks" });
const treeItem = (scope: Locator, name: string) => scope.getByRole("treeitem", { name: new RegExp(`^${name},`) });

test("Clone to Virtual Machine: a wizard (name and namespace, storage, review) makes a VM from the source's disk", async ({ page }) => {
  await signIn(page, "olivia");
  await openSource(page);
  await cloneMenu(page, "Clone to Virtual Machine…");
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await expect(wizard.getByRole("heading", { name: "1. Select a name and namespace" })).toBeVisible();
  await expect(wizard.getByLabel("Virtual machine name")).toHaveValue(`${SOURCE}-clone`);
  await wizard.getByLabel("Virtual machine name").fill(SOURCE);
  await next.click();
  await wizard.getByRole("heading", { name: "2. Select storage" }).waitFor();
  // The datastore is chosen for you once the cluster's datastores have loaded.
  await expect(wizard.getByRole("combobox", { name: "Datastore" })).toHaveText(/dev-cluster-01-vsan/);
  await next.click();
  await wizard.getByLabel("Power on virtual machine after creation").check();
  await wizard.getByRole("button", { name: "Finish" }).click();
  // The name is taken: the engine's refusal comes back on the first step, beside the name.
  await expect(wizard.getByText(`A VM named "${SOURCE}" already exists in namespace data-team.`)).toBeVisible();
  await wizard.getByLabel("Virtual machine name").fill(CLONE);
  await screenshotBothThemes(page, "vm-clone-wizard-name");
  await next.click();
  await expect(wizard.getByRole("combobox", { name: "Datastore" })).toHaveText(/dev-cluster-01-vsan/);
  await next.click();
  await expect(wizard.getByRole("heading", { name: "3. Ready to complete" })).toBeVisible();
  await expect(wizard.getByRole("definition").first()).toHaveText(`data-team/${SOURCE} (its disk, size and adapters)`);
  await expect(wizard.getByRole("definition").last()).toHaveText("dc-boston-vlan-120");
  await screenshotBothThemes(page, "vm-clone-wizard-review");
  await wizard.getByRole("button", { name: "Finish" }).click();

  await expect(page.getByRole("heading", { level: 1, name: CLONE })).toBeVisible();
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Clone virtual machine ${SOURCE} to data-team/${CLONE}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await vmRow(CLONE))?.status.powerState, { timeout: 20_000 }).toBe("PoweredOn");
  const clone = (await vmRow(CLONE))!;
  expect(clone.spec).toMatchObject({ className: "best-effort-xsmall", imageName: "photon-5", network: { interfaces: [{ name: "eth0", network: { name: "dc-boston-vlan-120" } }] } });
  expect(clone.status.hardware).toMatchObject({ cpus: 2, memoryMiB: 2048, diskGiB: 16, networks: ["dc-boston-vlan-120"] });
});

test("Clone to Template: the template shows under VMs and Templates and in the content library, and New Virtual Machine deploys it", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "olivia");
  await openSource(page);
  await cloneMenu(page, "Clone to Template…");
  const dialog = page.getByRole("dialog", { name: `Clone ${SOURCE} to Template` });
  await dialog.getByLabel("Template name").fill("Not A Name");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog.getByRole("alert")).toContainText("The template's name must be lowercase");
  await dialog.getByLabel("Template name").fill(TEMPLATE);
  await screenshotBothThemes(page, "vm-clone-to-template");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Clone virtual machine ${SOURCE} to template ${TEMPLATE}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("tab", { name: "VMs and Templates" }).click();
  const tree = page.getByRole("tree", { name: "VMs and Templates" });
  for (const name of ["dc-boston", "data-team"]) {
    const row = treeItem(tree, name);
    if ((await row.getAttribute("aria-expanded")) !== "true") {
      await row.focus();
      await page.keyboard.press("ArrowRight");
      await expect(row).toHaveAttribute("aria-expanded", "true");
    }
  }
  await expect(treeItem(tree, TEMPLATE)).toBeVisible();
  await page.getByRole("navigation", { name: "Navigator" }).screenshot({ path: `test-results/screenshots/navigator-template-light.png` });
  await page.getByRole("tab", { name: "Hosts and Clusters" }).click();

  await page.goto("/vms");
  await page.getByRole("button", { name: "New Virtual Machine" }).click();
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await wizard.getByRole("combobox", { name: "Namespace" }).click();
  await page.getByRole("option", { name: /^data-team/ }).click();
  await wizard.getByLabel("Virtual machine name").fill(DEPLOYED);
  await next.click();
  await wizard.getByRole("combobox", { name: "VM class" }).click();
  await page.getByRole("option", { name: /^best-effort-xsmall/ }).click();
  await next.click();
  await wizard.getByRole("combobox", { name: "Image" }).click();
  await expect(page.getByRole("option", { name: new RegExp(`^${TEMPLATE} — template, VMware Photon OS 5.0, 16 GiB disk`) })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/new-vm-image-template-light.png" });
  await page.getByRole("option", { name: new RegExp(`^${TEMPLATE}`) }).click();
  // Storage, networks and Customize guest OS keep their defaults, to the review.
  for (let step = 0; step < 4; step++) await next.click();
  await wizard.getByLabel("Power on virtual machine after creation").uncheck();
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByRole("heading", { level: 1, name: DEPLOYED })).toBeVisible();
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Create virtual machine ${DEPLOYED}.*Completed`) })).toBeVisible({ timeout: 20_000 });
  const deployed = (await vmRow(DEPLOYED))!;
  expect(deployed.spec).toMatchObject({ imageName: TEMPLATE });
  expect(deployed.status.hardware).toMatchObject({ diskGiB: 16 });

  // The template's own Actions: Delete from Disk, confirmed; the VM deployed from it stays.
  const { rows } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachineImage' AND name = $1`, [TEMPLATE]);
  await page.goto(`/objects/${rows[0]!.uid}`);
  await expect(page.getByRole("heading", { level: 1, name: TEMPLATE })).toBeVisible();
  await expect(page.getByText(/^VM Template · cluster dev-cluster-01$/)).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: /^Ready to deploy$/ })).toBeVisible();
  await expect(page.getByRole("main").getByRole("definition").getByRole("link", { name: new RegExp(`data-team/${SOURCE}$`) })).toBeVisible();
  await screenshotBothThemes(page, "template-summary");
  await page.getByRole("button", { name: "Actions" }).click();
  await expect(page.getByRole("menuitem", { name: "New VM from This Template…" })).toBeEnabled();
  await page.getByRole("menuitem", { name: "Delete from Disk…" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete template ${TEMPLATE} from disk?` });
  await expect(confirm).toContainText("VMs already deployed from it keep their own disks.");
  await screenshotBothThemes(page, "template-delete-confirm");
  await confirm.getByRole("button", { name: "Delete from Disk" }).click();
  await expect(page).toHaveURL(/\/vms$/);
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Delete template ${TEMPLATE} from disk.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachineImage' AND name = $1`, [TEMPLATE])).rowCount).toBe(0);
  await expect.poll(async () => (await pool.query(`SELECT 1 FROM sim_templates WHERE name = $1`, [TEMPLATE])).rowCount).toBe(0);
  expect(await vmRow(DEPLOYED)).toBeDefined();
});
