// The New Virtual Machine wizard deciding early, and self-service namespaces their creator deletes,
// as dev (group "developers") meets them at 1280×800. dev self-serves a namespace with 6 GiB of
// memory: the wizard lists its classes smallest first and shows those that need more memory than is
// left disabled, with the reason; Customize writes cloud-init, refused first for user data that is
// not YAML, and the VM's Summary and YAML show it; dev then deletes the namespace from its Actions,
// the confirmation naming what it holds. With the template's "Owners may delete namespaces"
// cleared, Delete Namespace is offered disabled with the reason. A Windows image gets the Sysprep
// form; opened from a cluster, the wizard offers that cluster's namespaces only. Only objects this
// spec creates are touched, and the template is put back.
import type { Page } from "@playwright/test";
import { deleteNamespace } from "@/lib/engine/operations/namespace-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, fact, pageAs, screenshotBothThemes, signIn, test } from "./fixtures";

const CLUSTER = "dev-cluster-01";
const SUFFIX = Date.now().toString(36);
const DEPLOYS = `deploys-${SUFFIX}`;
const KEPT = `kept-${SUFFIX}`;
const VM = "web-01";
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK9e2e dev@laptop";
const SHOTS = "/tmp/wizard-shots";

const pool = openE2eDatabase();
test.afterAll(async () => {
  await pool.query(`UPDATE namespace_templates SET owners_may_delete = true WHERE cluster = $1`, [CLUSTER]);
  for (const name of [DEPLOYS, KEPT]) await deleteNamespace({ id: "e2e", role: "administrator", username: "admin" }, { name }, pool).catch(() => undefined);
  await pool.end();
});
test.use({ viewport: { width: 1280, height: 800 } });

/** New Namespace as a developer, within the template, with a memory limit. */
async function selfServe(page: Page, name: string, memoryGiB: string) {
  await page.goto("/namespaces/new");
  const form = page.getByRole("form", { name: "New Namespace" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Memory limit (GiB)").fill(memoryGiB);
  await form.getByRole("button", { name: "Create Namespace" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

async function pick(page: Page, label: string, option: RegExp) {
  await page.getByRole("dialog").getByRole("combobox", { name: label }).click();
  await page.getByRole("option", { name: option }).click();
}

const gone = (name: string) =>
  expect.poll(async () => (await pool.query(`SELECT 1 FROM resources WHERE (kind = 'Namespace' AND name = $1) OR namespace = $1`, [name])).rowCount, { timeout: 60_000 }).toBe(0);

test("the wizard holds back what the namespace cannot hold, Customize writes cloud-init, and dev deletes the namespace they self-served", async ({ page }) => {
  test.setTimeout(150_000);
  await signIn(page, "dev");
  await selfServe(page, DEPLOYS, "6");
  const namespaceUrl = page.url();

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "New Virtual Machine…" }).click();
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await wizard.getByLabel("Virtual machine name").fill(VM);
  await next.click();

  // The template's classes, smallest first; those needing more memory than the 6 GiB left are disabled, saying so.
  await expect(wizard.getByText(`3 of 6 classes do not fit in what is left of ${DEPLOYS}'s CPU and memory limits and cannot be chosen.`, { exact: false })).toBeVisible();
  await wizard.getByRole("combobox", { name: "VM class" }).click();
  await expect(page.getByRole("option")).toHaveText([
    /^best-effort-xsmall — 2 vCPU, 2 GiB memory$/,
    /^best-effort-small — 2 vCPU, 4 GiB memory$/,
    /^guaranteed-small — 2 vCPU, 4 GiB memory, reserved$/,
    /^best-effort-medium — 2 vCPU, 8 GiB memory \(needs 8 GiB memory, 6 GiB left of 6 GiB\)$/,
    /^guaranteed-medium — 2 vCPU, 8 GiB memory, reserved \(needs 8 GiB memory, 6 GiB left of 6 GiB\)$/,
    /^best-effort-large — 4 vCPU, 16 GiB memory \(needs 16 GiB memory, 6 GiB left of 6 GiB\)$/,
  ]);
  for (const held of ["best-effort-medium", "guaranteed-medium", "best-effort-large"]) await expect(page.getByRole("option", { name: new RegExp(`^${held}`) })).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByRole("option", { name: /^best-effort-small/ })).not.toHaveAttribute("aria-disabled");
  await screenshotBothThemes(page, "wizard-classes-held-back", SHOTS);
  await page.getByRole("option", { name: /^best-effort-small/ }).click();
  await next.click();
  await pick(page, "Image", /^ubuntu-24\.04-server/);
  await next.click();
  await next.click();
  await next.click();

  // Customize guest OS: user data that is not YAML is refused beside its field before Next.
  await expect(wizard.getByRole("heading", { name: "6. Customize guest OS" })).toBeVisible();
  await wizard.getByLabel("Host name").fill(VM);
  await wizard.getByLabel("SSH public key").fill(SSH_KEY);
  await wizard.getByLabel("User data (cloud-config)").fill("#cloud-config\nusers: [ops\n");
  await next.click();
  await expect(wizard.getByText(/^is not valid YAML: /)).toBeVisible();
  await screenshotBothThemes(page, "wizard-customize-refused", SHOTS);
  await wizard.getByLabel("User data (cloud-config)").fill("#cloud-config\nusers:\n  - name: ops\n    sudo: ALL=(ALL) NOPASSWD:ALL\nruncmd:\n  - systemctl enable --now nginx\n");
  await expect(wizard.getByText(/^is not valid YAML: /)).toBeHidden();
  await screenshotBothThemes(page, "wizard-customize", SHOTS);
  await next.click();
  await expect(wizard.getByRole("heading", { name: "7. Ready to complete" })).toBeVisible();
  await expect(fact(wizard, "Guest customization")).toHaveText(`cloud-init: host name ${VM}, SSH key, user data (6 lines)`);
  await screenshotBothThemes(page, "wizard-review", SHOTS);
  await wizard.getByRole("button", { name: "Finish" }).click();

  // The VM's Summary and YAML carry the customization as vm-operator's bootstrap.
  await expect(page.getByRole("heading", { level: 1, name: VM })).toBeVisible();
  await expect(fact(page, "Guest customization")).toHaveText(`cloud-init: host name ${VM}, 1 SSH key, cloud-config with users, runcmd`);
  await screenshotBothThemes(page, "vm-summary-customization", SHOTS);
  await page.getByRole("link", { name: "YAML", exact: true }).click();
  const yaml = page.getByLabel(`YAML of ${VM}`);
  await expect(yaml).toContainText("bootstrap:");
  await expect(yaml).toContainText("cloudInit:");
  await expect(yaml).toContainText(SSH_KEY);
  await expect(yaml).toContainText(`hostName: ${VM}`);

  // dev deletes the namespace from its Actions; the confirmation names what it holds.
  await page.goto(namespaceUrl);
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Delete Namespace…" }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete namespace ${DEPLOYS}?` });
  await expect(confirm).toContainText(`${DEPLOYS} holds 1 VM, 0 pods and 0 deployments.`);
  await screenshotBothThemes(page, "namespace-delete-confirm", SHOTS);
  await confirm.getByRole("button", { name: "Delete Namespace" }).click();
  await gone(DEPLOYS);
});

test("with the template's 'Owners may delete namespaces' cleared, dev's Delete Namespace is disabled and says why", async ({ page, browser }) => {
  test.setTimeout(90_000);
  await signIn(page, "admin");
  await page.goto("/admin/self-service");
  const card = page.getByRole("region", { name: new RegExp(`^${CLUSTER}`) });
  await card.getByRole("button", { name: "Edit" }).click();
  const form = card.getByRole("form", { name: `Self-service template of ${CLUSTER}` });
  const ownersMayDelete = form.getByLabel("Owners may delete namespaces");
  await expect(ownersMayDelete).toBeChecked();
  await ownersMayDelete.uncheck();
  await ownersMayDelete.scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, "template-owners-may-delete", SHOTS);
  await form.getByRole("button", { name: "Save Template" }).click();
  await expect(card).toContainText("Only administrators delete its namespaces.");

  const dev = await pageAs(browser, "dev");
  await dev.setViewportSize({ width: 1280, height: 800 });
  await selfServe(dev, KEPT, "8");
  await dev.getByRole("button", { name: "Actions" }).click();
  const refusal = `The self-service template of ${CLUSTER} does not let owners delete their namespaces; ask an administrator to delete ${KEPT}.`;
  // The reason is part of the disabled item's name, for screen readers, and shown under it.
  const deleteItem = dev.getByRole("menuitem", { name: refusal });
  await expect(deleteItem).toContainText("Delete Namespace…");
  await expect(deleteItem).toHaveAttribute("aria-disabled", "true");
  await expect(dev.getByRole("menu").getByText(refusal, { exact: true })).toBeVisible();
  await screenshotBothThemes(dev, "namespace-delete-forbidden", SHOTS);
  await dev.context().close();
});

test("a Windows image is customized by Sysprep: computer name, owner and organization, the password as a Secret's key", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/vms");
  await page.getByRole("button", { name: "New Virtual Machine" }).click();
  const wizard = page.getByRole("dialog");
  const next = wizard.getByRole("button", { name: "Next" });
  await pick(page, "Namespace", /^data-team/);
  await wizard.getByLabel("Virtual machine name").fill("win-01");
  await next.click();
  await pick(page, "VM class", /^best-effort-large/);
  await next.click();
  await pick(page, "Image", /^windows-server-2022/);
  for (let step = 3; step < 6; step++) await next.click();
  await expect(wizard.getByText("Sysprep customizes this Windows image on first boot.")).toBeVisible();
  await wizard.getByLabel("Computer name").fill("win-01");
  await wizard.getByLabel("Owner name").fill("Olivia Ortega");
  await next.click();
  await expect(wizard.getByText("is required for Sysprep: the owner's organization")).toBeVisible();
  await screenshotBothThemes(page, "wizard-sysprep", SHOTS);
  await wizard.getByRole("button", { name: "Cancel" }).click();
  await expect(wizard).toBeHidden();
});

test("opened from a cluster's Actions, the wizard offers only that cluster's namespaces", async ({ page }) => {
  await signIn(page, "olivia");
  const { rows } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Cluster' AND name = 'prod-cluster-01'`);
  await page.goto(`/objects/${rows[0]!.uid}`);
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "New Virtual Machine…" }).click();
  const wizard = page.getByRole("dialog");
  await expect(wizard.getByLabel("Cluster")).toHaveValue(/^prod-cluster-01 /);
  await wizard.getByRole("combobox", { name: "Namespace" }).click();
  const offered = page.getByRole("option");
  await expect(page.getByRole("option", { name: /^web-team/ })).toHaveText("web-team — cluster prod-cluster-01");
  for (const option of await offered.allTextContents()) expect(option).toMatch(/ — cluster prod-cluster-01$/);
});
