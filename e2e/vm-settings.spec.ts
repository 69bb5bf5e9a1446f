import pg from "pg";
import type { Locator, Page } from "@playwright/test";
import { insertObject } from "@/lib/engine/object-store";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, screenshotBothThemes, signIn, test } from "./fixtures";

// VMs of their own in data-team (dev-cluster-01), created through the engine and deleted at the
// end by the bulk Delete from Disk under test (and, should a test stop half-way, by afterAll), and
// a datastore of their own that dev-cluster-01's hosts mount for the storage migration.
const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const RUN = Date.now().toString(36);
const SETTINGS_VM = `settings-${RUN}`;
const RENAMED_VM = `renamed-${RUN}`;
const SECOND_VM = `bulk-${RUN}`;
const DATASTORE = `e2e-nfs-${RUN}`;

let pool: pg.Pool;
test.beforeAll(async () => {
  pool = openE2eDatabase();
  const network = { interfaces: [{ name: "eth0", network: { kind: "Network", name: "dc-boston-vm-network" } }] };
  for (const name of [SETTINGS_VM, SECOND_VM]) {
    await createVirtualMachine(ADMIN, { namespace: "data-team", name, spec: { className: "best-effort-small", imageName: "photon-5", storageClass: "dev-cluster-01-vsan", powerState: "PoweredOn", network } }, pool);
  }
  await insertObject(pool, {
    apiVersion: KIND_API_VERSIONS.Datastore,
    kind: "Datastore",
    namespace: "",
    name: DATASTORE,
    labels: { "skylight.io/cluster": "dev-cluster-01" },
    spec: { datacenter: "dc-boston", type: "nfs", capacityGiB: 2048 },
    status: { freeGiB: 1500 },
  });
  await pool.query(`INSERT INTO sim_datastores (name, capacity_gib, other_used_gib) VALUES ($1, 2048, 548)`, [DATASTORE]);
  await pool.query(`UPDATE sim_hosts SET datastores = datastores || $1::text WHERE cluster = 'dev-cluster-01'`, [DATASTORE]);
});
test.afterAll(async () => {
  for (const name of [SETTINGS_VM, RENAMED_VM, SECOND_VM]) await deleteVirtualMachine(ADMIN, { namespace: "data-team", name }, pool).catch(() => undefined);
  await expect
    .poll(async () => (await pool.query(`SELECT count(*)::int AS n FROM resources WHERE kind = 'VirtualMachine' AND name LIKE $1`, [`%-${RUN}`])).rows[0].n, { timeout: 30_000 })
    .toBe(0);
  await pool.query(`UPDATE sim_hosts SET datastores = array_remove(datastores, $1)`, [DATASTORE]);
  await pool.query(`DELETE FROM resources WHERE kind = 'Datastore' AND name = $1`, [DATASTORE]);
  await pool.query(`DELETE FROM sim_datastores WHERE name = $1`, [DATASTORE]);
  await pool.end();
});

async function vmRow(name: string) {
  const { rows } = await pool.query<{ uid: string; spec: Record<string, unknown>; status: { powerState?: string; hardware?: Record<string, unknown> }; generation: number }>(
    `SELECT uid::text, spec, status, generation::int FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'data-team' AND name = $1`,
    [name],
  );
  return rows[0];
}

async function openVm(page: Page, name: string) {
  await expect.poll(async () => (await vmRow(name))?.status.powerState, { timeout: 30_000 }).toBe("PoweredOn");
  await page.goto(`/objects/${(await vmRow(name))!.uid}`);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

const fact = (page: Page | Locator, label: string) => page.locator("dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");
const tasks = (page: Page) => page.getByRole("region", { name: "Recent Tasks" });

async function action(page: Page, item: string) {
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: new RegExp(`^${item}`) }).click();
}

test("Edit Settings refuses a memory reduction while the VM runs, naming the power-off it needs, then hot-adds memory, disk and an adapter", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "olivia");
  await openVm(page, SETTINGS_VM);
  await action(page, "Edit Settings");
  const dialog = page.getByRole("dialog", { name: `Edit Settings — ${SETTINGS_VM}` });
  await expect(dialog).toContainText("removing CPUs, memory or an adapter needs the VM powered off");
  await expect(dialog.getByLabel("Hard disk 1 (GiB)")).toHaveValue("16");

  await dialog.getByRole("radio", { name: "Custom" }).check();
  await dialog.getByLabel("Memory (GiB)").fill("2");
  const refusal = "Reducing memory from 4 GiB to 2 GiB needs the VM powered off: memory can be hot-added but not removed while it runs.";
  await expect(dialog.getByText(refusal)).toBeVisible();
  const before = (await vmRow(SETTINGS_VM))!;
  await dialog.getByRole("button", { name: "OK" }).click();
  // The engine's refusal, in the same words, beside the field; nothing was written.
  await expect(dialog.getByRole("alert").filter({ hasText: refusal })).toBeVisible();
  await screenshotBothThemes(page, "vm-edit-settings-refused");
  expect((await vmRow(SETTINGS_VM))!.generation).toBe(before.generation);

  await dialog.getByLabel("Memory (GiB)").fill("6");
  await dialog.getByLabel("Hard disk 1 (GiB)").fill("10");
  await expect(dialog.getByText("Hard disk 1 can only grow: it is 16 GiB and cannot shrink to 10 GiB.")).toBeVisible();
  await dialog.getByLabel("Hard disk 1 (GiB)").fill("24");
  await dialog.getByRole("button", { name: "Add Network Adapter" }).click();
  await dialog.getByRole("combobox", { name: "Network adapter 2" }).click();
  await page.getByRole("option", { name: /^dvPG-App-120/ }).click();
  await expect(dialog.getByRole("alert")).toHaveCount(0);
  await screenshotBothThemes(page, "vm-edit-settings");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Reconfigure virtual machine ${SETTINGS_VM}.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });
  await expect(fact(page, "Memory")).toHaveText("6 GiB");
  await expect(fact(page, "Hard disk 1")).toHaveText("24 GiB");
  const after = (await vmRow(SETTINGS_VM))!;
  expect(after.spec).toMatchObject({ className: "best-effort-small", hardware: { cpus: 2, memory: "6Gi" }, advanced: { bootDiskCapacity: "24Gi" } });
  expect(after.status.hardware).toMatchObject({ memoryMiB: 6144, diskGiB: 24, networks: ["dc-boston-vm-network", "dc-boston-vlan-120"] });
  expect(after.status.powerState).toBe("PoweredOn");

  // A clone keeps that custom size, and its wizard's review says so instead of the class's size.
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Clone", exact: true }).focus();
  await page.keyboard.press("ArrowRight");
  await page.getByRole("menuitem", { name: "Clone to Virtual Machine…" }).focus();
  await page.keyboard.press("Enter");
  const wizard = page.getByRole("dialog");
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByRole("combobox", { name: "Datastore" })).toHaveText(/dev-cluster-01-vsan/);
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(fact(wizard, "VM class")).toHaveText(`best-effort-small, with ${SETTINGS_VM}'s custom size (2 vCPU, 6 GiB memory)`);
  await screenshotBothThemes(page, "vm-clone-wizard-review-custom-size");
  await page.keyboard.press("Escape");
  await expect(wizard).toBeHidden();
});

test("Edit Settings opened before someone else's change is refused as changed by someone else, and Reload shows their change", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, "olivia");
  await openVm(page, SETTINGS_VM);
  await action(page, "Edit Settings");
  const stale = page.getByRole("dialog", { name: `Edit Settings — ${SETTINGS_VM}` });
  await expect(stale.getByLabel("Hard disk 1 (GiB)")).toHaveValue("24");

  // Meanwhile an administrator, in another browser, grows the disk to 32 GiB.
  const admin = await pageAs(browser, "admin");
  await openVm(admin, SETTINGS_VM);
  await action(admin, "Edit Settings");
  const fresh = admin.getByRole("dialog", { name: `Edit Settings — ${SETTINGS_VM}` });
  await fresh.getByLabel("Hard disk 1 (GiB)").fill("32");
  await fresh.getByRole("button", { name: "OK" }).click();
  await expect(fresh).toBeHidden();
  await admin.context().close();

  // olivia's dialog still shows 24 GiB; her 28 GiB would undo part of his change, so it is refused.
  await stale.getByLabel("Hard disk 1 (GiB)").fill("28");
  await stale.getByRole("button", { name: "OK" }).click();
  await expect(stale.getByRole("alert").filter({ hasText: "Changed by someone else" })).toBeVisible();
  await screenshotBothThemes(page, "vm-edit-settings-conflict");
  await expect.poll(async () => (await vmRow(SETTINGS_VM))!.spec).toMatchObject({ advanced: { bootDiskCapacity: "32Gi" } });
  await stale.getByRole("button", { name: "Reload" }).click();
  await expect(stale.getByLabel("Hard disk 1 (GiB)")).toHaveValue("32");
  await expect(stale.getByRole("alert")).toHaveCount(0);
  await stale.getByRole("button", { name: "Cancel" }).click();
});

test("Migrate › Change storage only moves the VM's disks to another datastore, and says why the current one cannot be chosen", async ({ page }) => {
  await signIn(page, "olivia");
  await openVm(page, SETTINGS_VM);
  await action(page, "Migrate");
  const dialog = page.getByRole("dialog", { name: `Migrate ${SETTINGS_VM}` });
  await dialog.getByRole("radio", { name: /^Change storage only/ }).check();
  await expect(dialog.getByRole("table", { name: "Hosts" })).toHaveCount(0);
  const datastores = dialog.getByRole("table", { name: "Datastores" });
  await expect(datastores.getByRole("row", { name: /dev-cluster-01-vsan.*It is the VM's current datastore/ })).toBeVisible();
  await expect(dialog.getByRole("radio", { name: "dev-cluster-01-vsan" })).toBeDisabled();
  await dialog.getByRole("radio", { name: DATASTORE }).check();
  await screenshotBothThemes(page, "vm-migrate-storage");
  await dialog.getByRole("button", { name: "Migrate" }).click();
  await expect(dialog).toBeHidden();
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Migrate virtual machine ${SETTINGS_VM} to ${DATASTORE}.*Completed`) })).toBeVisible({ timeout: 20_000 });
  await expect(fact(page, "Datastore")).toHaveText(DATASTORE);
  const simulated = await pool.query(`SELECT datastore FROM sim_vms WHERE owner_key = $1`, [`data-team/${SETTINGS_VM}`]);
  expect(simulated.rows).toEqual([{ datastore: DATASTORE }]);
});

test("Rename checks the name and re-keys the VM, which keeps its page, uid and power state", async ({ page }) => {
  await signIn(page, "olivia");
  await openVm(page, SETTINGS_VM);
  const uid = (await vmRow(SETTINGS_VM))!.uid;
  await action(page, "Rename");
  const dialog = page.getByRole("dialog", { name: `Rename ${SETTINGS_VM}` });
  await dialog.getByLabel("New name").fill("Not_Valid");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("The new name must be lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123).");
  await dialog.getByLabel("New name").fill(SECOND_VM);
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(`A VM named "${SECOND_VM}" already exists in namespace data-team.`);
  await dialog.getByLabel("New name").fill(RENAMED_VM);
  await screenshotBothThemes(page, "vm-rename");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(page.getByRole("heading", { level: 1, name: RENAMED_VM })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/objects/${uid}`));
  await expect(tasks(page).getByRole("row", { name: new RegExp(`Rename virtual machine ${SETTINGS_VM} to ${RENAMED_VM}.*Completed`) })).toBeVisible({ timeout: 20_000 });
  expect((await vmRow(RENAMED_VM))!.uid).toBe(uid);
  await expect.poll(async () => (await pool.query(`SELECT owner_key FROM sim_vms WHERE owner_key LIKE $1`, [`data-team/%-${RUN}`])).rows.map((row) => row.owner_key).sort()).toEqual([`data-team/${SECOND_VM}`, `data-team/${RENAMED_VM}`]);
});

test("bulk Suspend and Delete from Disk on the VM list's selection, the delete confirmed with how many", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "olivia");
  await page.goto(`/vms?q=-${RUN}`);
  const list = page.getByRole("region", { name: "Virtual machines" });
  await expect(list.locator("tbody tr")).toHaveCount(2);
  await list.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(list.getByText("2 selected", { exact: true })).toBeVisible();
  await screenshotBothThemes(page, "vm-bulk-actions");
  await list.getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByText("Suspending 2 VM(s).")).toBeVisible();
  await expect(list.locator("tbody tr").filter({ hasText: "Suspended" })).toHaveCount(2, { timeout: 20_000 });

  await list.getByRole("checkbox", { name: "Select all on this page" }).check();
  await list.getByRole("button", { name: "Delete from Disk" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete 2 VMs from disk?" });
  await expect(confirm).toContainText("This cannot be undone.");
  await screenshotBothThemes(page, "vm-bulk-delete-confirm");
  await confirm.getByRole("button", { name: "Delete 2 VMs" }).click();
  await expect(page.getByText("Deleting from disk 2 VM(s).")).toBeVisible();
  await expect(list.getByText("No virtual machines match these filters.")).toBeVisible({ timeout: 30_000 });
});
