// Namespaces as a developer meets them: dana (group "developers") creates a namespace through the
// dev-cluster-01 self-service template, deploys a VM from its page, and is offered the class of a
// second one disabled, with what it needs and what is left of the memory limit; an administrator
// raises the limit and the open wizard then offers it. The administrator then deletes the namespace, and its VMs
// go first, each a task. Only objects this spec creates are touched.
import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, screenshotBothThemes, signIn, test } from "./fixtures";

const NAMESPACE = "sandbox-e2e";
const pool = openE2eDatabase();
test.afterAll(() => pool.end());

async function pick(page: Page, label: string, option: RegExp) {
  await page.getByRole("dialog").getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}

/** From the namespace page: New Virtual Machine, every step, up to Finish. */
async function deployVm(page: Page, name: string, vmClass: RegExp) {
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "New Virtual Machine…" }).click();
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await expect(wizard.getByRole("combobox", { name: "Namespace" })).toHaveText(new RegExp(NAMESPACE));
  // A developer does not choose hosts: DRS places the VM.
  await expect(wizard.getByRole("combobox", { name: "Host" })).toHaveCount(0);
  await wizard.getByLabel("Virtual machine name").fill(name);
  await next.click();
  await wizard.getByRole("combobox", { name: "VM class" }).click();
  // Only the classes the template allows are offered.
  await expect(page.getByRole("option", { name: /^best-effort-xlarge/ })).toHaveCount(0);
  await page.getByRole("option", { name: vmClass }).click();
  await next.click();
  await pick(page, "Image", /^photon-5/);
  await next.click();
  await expect(wizard.getByRole("combobox", { name: "Datastore" })).toHaveText(/dev-cluster-01-vsan/);
  await next.click();
  await next.click();
  await next.click();
  await expect(wizard.getByRole("heading", { name: "7. Ready to complete" })).toBeVisible();
  await wizard.getByRole("button", { name: "Finish" }).click();
}

test("a developer self-serves a namespace, deploys a VM, is offered the class over the memory limit disabled; an administrator raises it and the open wizard offers it", async ({ page, browser }) => {
  test.setTimeout(150_000);
  await signIn(page, "dana");

  // Home lists dana's namespaces (data-team through the group, ml-team directly) and offers New Namespace.
  const mine = page.getByRole("list", { name: "Your namespaces" });
  await expect(mine.getByRole("link")).toHaveText(["data-team", "ml-team"]);
  await page.getByRole("link", { name: "New Namespace" }).click();
  await expect(page.getByRole("heading", { name: "New Namespace" })).toBeVisible();
  const form = page.getByRole("form", { name: "New Namespace" });
  await form.getByLabel("Name").fill(NAMESPACE);
  await form.getByLabel("CPU limit (vCPUs)").fill("64");
  await form.getByLabel("Memory limit (GiB)").fill("8");
  await screenshotBothThemes(page, "namespace-self-service");
  await form.getByRole("button", { name: "Create Namespace" }).click();
  await expect(form.getByText("CPU limit may be at most 32 vCPUs on dev-cluster-01; 64 vCPUs was asked.")).toBeVisible();
  await form.getByLabel("CPU limit (vCPUs)").fill("");
  await form.getByRole("button", { name: "Create Namespace" }).click();

  // The namespace's page: dana owns it; its limits come from the template and her form.
  await expect(page.getByRole("heading", { level: 1, name: NAMESPACE })).toBeVisible();
  const namespaceUrl = page.url();
  await expect(page.getByText("Memory in use")).toBeVisible();
  await deployVm(page, "app-01", /^best-effort-small/);
  await expect(page.getByRole("heading", { level: 1, name: "app-01" })).toBeVisible();

  // The second VM would take memory to 12 GiB of 8: the wizard shows its class disabled, with the reason, before Finish.
  await page.goto(namespaceUrl);
  await expect(page.getByRole("definition").filter({ hasText: /^4 GiB$/ })).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "New Virtual Machine…" }).click();
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await wizard.getByLabel("Virtual machine name").fill("app-02");
  await next.click();
  await wizard.getByRole("combobox", { name: "VM class" }).click();
  const medium = page.getByRole("option", { name: /^best-effort-medium/ });
  await expect(medium).toHaveAttribute("aria-disabled", "true");
  await expect(medium).toContainText("needs 8 GiB memory, 4 GiB left of 8 GiB");
  await screenshotBothThemes(page, "namespace-quota-refused");
  await page.keyboard.press("Escape");

  // An administrator raises the memory limit from the namespace's Actions.
  const admin = await pageAs(browser, "admin");
  await admin.goto(namespaceUrl);
  await admin.getByRole("button", { name: "Actions" }).click();
  await admin.getByRole("menuitem", { name: "Edit Namespace…" }).click();
  const edit = admin.getByRole("dialog", { name: `Edit Namespace ${NAMESPACE}` });
  await expect(edit.getByLabel("Memory limit (GiB)")).toHaveValue("8");
  await edit.getByLabel("Memory limit (GiB)").fill("16");
  await screenshotBothThemes(admin, "namespace-edit-dialog");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();

  // The open wizard follows the new limit: the class is offered now, and the VM is created.
  await wizard.getByRole("combobox", { name: "VM class" }).click();
  await expect(medium).not.toHaveAttribute("aria-disabled", "true");
  await medium.click();
  await next.click();
  await pick(page, "Image", /^photon-5/);
  for (let step = 3; step < 7; step++) await next.click();
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "app-02" })).toBeVisible();

  // Usage against limits, live on the namespace's page.
  await page.goto(namespaceUrl);
  const usage = page.getByRole("meter", { name: "Memory used" });
  await expect(usage).toHaveAttribute("aria-valuetext", "75 %", { timeout: 15_000 });
  await screenshotBothThemes(page, "namespace-page");
  await page.getByRole("link", { name: "Permissions" }).click();
  await expect(page.getByRole("table", { name: "Namespace permissions" }).getByRole("combobox", { name: "Role of dana" })).toHaveText("Owner");
  await screenshotBothThemes(page, "namespace-permissions");
  // As its owner she may relabel it, with kubectl or here: the YAML tab offers Edit.
  await page.getByRole("link", { name: "YAML", exact: true }).click();
  await expect(page.getByRole("button", { name: "Edit", exact: true })).toBeVisible();

  // dana's Home lists the namespace she owns, and follows its deletion live.
  await page.goto("/");
  await expect(mine.getByRole("listitem").filter({ hasText: NAMESPACE })).toContainText("Owner");

  // Deleting the namespace deletes its VMs, each a task, then the namespace itself.
  await admin.goto(namespaceUrl);
  await admin.getByRole("button", { name: "Actions" }).click();
  await admin.getByRole("menuitem", { name: "Delete Namespace…" }).click();
  await admin.getByRole("alertdialog", { name: `Delete namespace ${NAMESPACE}?` }).getByRole("button", { name: "Delete Namespace" }).click();
  const tasks = admin.getByRole("region", { name: "Recent Tasks" });
  for (const vm of ["app-01", "app-02"]) {
    await expect(tasks.getByRole("row", { name: new RegExp(`Delete virtual machine ${vm} \\(namespace ${NAMESPACE} is being deleted\\)`) })).toBeVisible({ timeout: 20_000 });
  }
  await expect(async () => {
    const { rows } = await pool.query(`SELECT 1 FROM resources WHERE (kind = 'Namespace' AND name = $1) OR namespace = $1`, [NAMESPACE]);
    expect(rows).toHaveLength(0);
  }).toPass({ timeout: 30_000 });
  await expect(mine.getByRole("link")).toHaveText(["data-team", "ml-team"]);
  await admin.context().close();
});

test("administrators manage namespaces, groups and self-service templates through forms", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/namespaces");
  await expect(page.getByRole("table", { name: "Namespaces" }).getByRole("row", { name: /data-team.*dev-cluster-01.*group developers \(edit\)/ })).toBeVisible();
  await screenshotBothThemes(page, "admin-namespaces");
  await page.getByRole("button", { name: "New Namespace" }).click();
  const dialog = page.getByRole("dialog", { name: "New Namespace" });
  await dialog.getByLabel("Name").fill("web-team");
  await dialog.getByRole("group", { name: "VM classes" }).getByLabel("Only these").check();
  await screenshotBothThemes(page, "admin-namespace-new");
  await dialog.getByRole("button", { name: "Create Namespace" }).click();
  await expect(dialog.getByText('A namespace named "web-team" already exists.')).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Groups" }).click();
  await expect(page.getByRole("table", { name: "Groups" }).getByRole("row", { name: /developers.*dana.*dev/ })).toBeVisible();
  await screenshotBothThemes(page, "admin-groups");

  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Self-Service" }).click();
  const template = page.getByRole("region", { name: /dev-cluster-01/ });
  await expect(template).toContainText("For group developers.");
  await template.getByRole("button", { name: "Edit" }).click();
  await expect(template.getByLabel("Memory limit (GiB)").first()).toHaveValue("32");
  await screenshotBothThemes(page, "admin-self-service");
});
