import pg from "pg";
import type { Page } from "@playwright/test";
import { deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

// A VM of its own (in data-team, whose VMs no other spec counts), deleted again at the end.
const VM = `wizard-${Date.now().toString(36)}`;
const SHOTS = "test-results/screenshots";

let pool: pg.Pool;
test.beforeAll(() => {
  pool = openE2eDatabase();
});
test.afterAll(async () => {
  // Should the test stop half-way, the VM still goes, so the inventory's counts stay as seeded.
  await deleteVirtualMachine({ id: "e2e", role: "administrator", username: "admin" }, { namespace: "data-team", name: VM }, pool).catch(() => undefined);
  await pool.end();
});

async function setTheme(page: Page, theme: "Light" | "Dark" | "System") {
  await page.getByRole("button", { name: "User menu for olivia" }).click();
  await page.getByRole("menuitemradio", { name: theme }).click();
  await page.keyboard.press("Escape");
}

/** Escape closes the tooltip first, then the menu. */
async function closeMenu(page: Page) {
  await expect(async () => {
    await page.keyboard.press("Escape");
    await expect(page.getByRole("menu")).toBeHidden({ timeout: 500 });
  }).toPass();
}

async function pick(page: Page, label: string, option: RegExp) {
  await page.getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}

/** Fills every step of the open wizard, checking each refuses Next until it is valid. */
async function walkWizard(page: Page, theme: string, name: string) {
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await expect(wizard.getByRole("heading", { name: "1. Select a name and namespace" })).toBeVisible();
  await expect(wizard.getByRole("combobox", { name: "Namespace" })).toHaveText(/data-team/);
  await expect(wizard.getByLabel("Cluster")).toHaveValue("dev-cluster-01 (datacenter dc-boston)");
  await expect(wizard.getByRole("combobox", { name: "Host" })).toHaveText("DRS places it");
  await next.click();
  await expect(wizard.getByText("is required", { exact: true })).toBeVisible();
  await wizard.getByLabel("Virtual machine name").fill("Not_Valid");
  await next.click();
  await expect(wizard.getByText(/must be lowercase letters, digits and '-'/)).toBeVisible();
  await wizard.getByLabel("Virtual machine name").fill(name);
  await expect(wizard.getByRole("alert")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/new-vm-1-name-${theme}.png` });
  await next.click();

  await expect(wizard.getByRole("heading", { name: "2. Select a VM class" })).toBeVisible();
  await next.click();
  await expect(wizard.getByText("is required: choose a VM class")).toBeVisible();
  await pick(page, "VM class", /^best-effort-small/);
  await expect(wizard.getByText("is required: choose a VM class")).toBeHidden();
  await page.screenshot({ path: `${SHOTS}/new-vm-2-class-${theme}.png` });
  await next.click();

  await expect(wizard.getByRole("heading", { name: "3. Select an image" })).toBeVisible();
  await next.click();
  await expect(wizard.getByText("is required: choose an image from the content library")).toBeVisible();
  await pick(page, "Image", /^photon-5/);
  await page.screenshot({ path: `${SHOTS}/new-vm-3-image-${theme}.png` });
  await next.click();

  await expect(wizard.getByRole("heading", { name: "4. Select storage" })).toBeVisible();
  await expect(wizard.getByRole("combobox", { name: "Datastore" })).toHaveText(/dev-cluster-01-vsan/);
  await page.screenshot({ path: `${SHOTS}/new-vm-4-storage-${theme}.png` });
  await next.click();

  await expect(wizard.getByRole("heading", { name: "5. Select networks" })).toBeVisible();
  await expect(wizard.getByRole("combobox", { name: "Network adapter 1" })).toHaveText(/VM Network/);
  await pick(page, "Network adapter 1", /^dvPG-App-120/);
  await page.screenshot({ path: `${SHOTS}/new-vm-5-network-${theme}.png` });
  await next.click();

  await expect(wizard.getByRole("heading", { name: "6. Customize guest OS" })).toBeVisible();
  await expect(wizard.getByLabel("User data (cloud-config)")).toHaveValue("");
  await next.click();

  await expect(wizard.getByRole("heading", { name: "7. Ready to complete" })).toBeVisible();
  const review = wizard.getByRole("definition");
  await expect(review).toHaveText([name, "data-team", "dev-cluster-01", "DRS places it", /^best-effort-small \(2 vCPU, 4 GiB memory\)$/, "photon-5", "dev-cluster-01-vsan", "dvPG-App-120 (dc-boston-vlan-120)", "None"]);
  await expect(wizard.getByLabel("Power on virtual machine after creation")).toBeChecked();
  await page.screenshot({ path: `${SHOTS}/new-vm-6-review-${theme}.png` });
}

test("a VM created through the wizard powers on live, power-cycles from Actions and is deleted from disk", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "olivia");
  await setTheme(page, "Light");
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  const { rows } = await pool.query<{ uid: string }>("SELECT uid::text FROM resources WHERE kind = 'Namespace' AND name = 'data-team'");
  await page.goto(`/objects/${rows[0]!.uid}`);
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "New Virtual Machine…" }).click();
  await walkWizard(page, "light", VM);
  await page.getByRole("dialog").getByRole("button", { name: "Finish" }).click();

  // The VM's own page, which follows the creation and the power-on live.
  await expect(page.getByRole("heading", { level: 1, name: VM })).toBeVisible();
  await expect(tasks.getByRole("row", { name: new RegExp(`Create virtual machine ${VM}`) })).toBeVisible();
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1, name: VM }) });
  await expect(header.getByText("Powered On")).toBeVisible({ timeout: 20_000 });
  await expect(tasks.getByRole("row", { name: new RegExp(`Create virtual machine ${VM}.*Completed`) })).toBeVisible();
  const vm = await pool.query<{ network: unknown }>("SELECT spec->'network' AS network FROM resources WHERE kind = 'VirtualMachine' AND name = $1", [VM]);
  expect(vm.rows[0]!.network).toEqual({ interfaces: [{ name: "eth0", network: { kind: "Network", name: "dc-boston-vlan-120" } }] });

  // Actions: what does not apply is disabled and says why.
  const actions = page.getByRole("button", { name: "Actions" });
  for (const theme of ["light", "dark"] as const) {
    if (theme === "dark") await setTheme(page, "Dark");
    await actions.click();
    await expect(page.getByRole("menuitem", { name: /^Power On/ })).toHaveAttribute("data-disabled", "");
    await page.getByRole("menuitem", { name: /^Power On/ }).hover({ force: true });
    await expect(page.getByRole("tooltip")).toContainText("The VM is already powered on.");
    await page.screenshot({ path: `${SHOTS}/vm-actions-menu-${theme}.png` });
    await closeMenu(page);
  }

  await actions.click();
  await page.getByRole("menuitem", { name: "Power Off" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Power off ${VM}?` });
  await expect(confirm).toContainText("Shut Down Guest OS");
  await confirm.getByRole("button", { name: "Power Off" }).click();
  await expect(header.getByText("Powered Off")).toBeVisible({ timeout: 20_000 });
  await expect(tasks.getByRole("row", { name: new RegExp(`Power off virtual machine ${VM}.*Completed`) })).toBeVisible();

  await actions.click();
  await page.getByRole("menuitem", { name: "Power On" }).click();
  await expect(header.getByText("Powered On")).toBeVisible({ timeout: 20_000 });
  await expect(tasks.getByRole("row", { name: new RegExp(`Power on virtual machine ${VM}.*Completed`) })).toBeVisible();

  await actions.click();
  await page.getByRole("menuitem", { name: "Delete from Disk" }).click();
  const deletion = page.getByRole("alertdialog", { name: `Delete ${VM} from disk?` });
  await expect(deletion).toContainText("data-team");
  await deletion.getByRole("button", { name: "Delete from Disk" }).click();
  await expect(page.getByText("This object no longer exists. It may have been deleted.")).toBeVisible({ timeout: 20_000 });
  await expect(tasks.getByRole("row", { name: new RegExp(`Delete virtual machine ${VM} from disk.*Completed`) })).toBeVisible();
  await page.goto(`/vms?q=${VM}`);
  await expect(page.getByRole("region", { name: "Virtual machines" }).getByText("No virtual machines match these filters.").first()).toBeVisible();

  // The wizard's steps in the dark theme, started from the Virtual Machines page; then Cancel.
  await page.goto("/vms");
  await page.getByRole("button", { name: "New Virtual Machine" }).click();
  await pick(page, "Namespace", /^data-team/);
  await walkWizard(page, "dark", `${VM}-dark`);
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await setTheme(page, "System");
});
