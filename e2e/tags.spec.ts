// Tags & Custom Attributes end to end: an administrator creates a One-tag category, two tags and a
// custom attribute; an operator assigns a tag on a VM's Summary (the other tag of the category is
// replaced), sets the attribute, tags a list selection in one call, filters the VM list by the tag
// and finds the VMs by tag in the header search; a developer sees tags but cannot assign them.
import { mkdirSync } from "node:fs";
import type { Locator, Page } from "@playwright/test";
import { expect, pageAs, signIn, screenshotBothThemes, test } from "./fixtures";

const SHOTS = "/tmp/tags-shots";
const CATEGORY = "Environment";

const card = (page: Page, title: string): Locator => page.locator("[data-slot=card]").filter({ has: page.locator("[data-slot=card-title]", { hasText: new RegExp(`^${title}$`) }) });

async function assignOnSummary(page: Page, tag: string) {
  const tags = card(page, "Tags");
  await tags.getByRole("button", { name: "Assign…" }).click();
  const dialog = page.getByRole("dialog", { name: /^Assign Tag to / });
  await dialog.getByRole("option", { name: new RegExp(`^${tag}\\b`) }).click();
  await dialog.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(dialog).toBeHidden();
}

test.describe.configure({ mode: "serial" });

test("an administrator creates a category, its tags and a custom attribute", async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "admin");
  await page.goto("/admin/tags");
  await expect(page.getByRole("heading", { name: "Tags & Custom Attributes" })).toBeVisible();

  await page.getByRole("button", { name: "New Category" }).click();
  let dialog = page.getByRole("dialog", { name: "New Category" });
  await dialog.getByLabel("Name", { exact: true }).fill("Env\u0007");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByText("must not contain control characters")).toBeVisible();
  await dialog.getByLabel("Name", { exact: true }).fill(CATEGORY);
  await dialog.getByLabel("Description").fill("Where the workload runs");
  await dialog.getByRole("group", { name: "Object types" }).getByText("Virtual Machine").click();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const categories = page.getByRole("table", { name: "Tag categories" });
  await expect(categories.getByRole("row", { name: new RegExp(`${CATEGORY}.*One tag.*Virtual Machine`) })).toBeVisible();

  for (const [tag, description] of [["prod", "Production"], ["test", "Test and staging"]] as const) {
    await page.getByRole("button", { name: "New Tag" }).click();
    dialog = page.getByRole("dialog", { name: "New Tag" });
    await dialog.getByLabel("Name", { exact: true }).fill(tag);
    await dialog.getByLabel("Description").fill(description);
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("table", { name: "Tags" }).getByRole("row", { name: new RegExp(`^${tag} ${CATEGORY}`) })).toBeVisible();
  }

  await page.getByRole("button", { name: "New Attribute" }).click();
  dialog = page.getByRole("dialog", { name: "New Custom Attribute" });
  await dialog.getByLabel("Name", { exact: true }).fill("Owner");
  await dialog.getByRole("combobox", { name: "Object type" }).click();
  await page.getByRole("option", { name: "Virtual Machine" }).click();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("table", { name: "Custom attributes" }).getByRole("row", { name: /Owner.*Virtual Machine/ })).toBeVisible();
  await page.getByRole("heading", { name: "Tags & Custom Attributes" }).scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, "admin-tags", SHOTS);
});

test("an operator tags a VM on its Summary, replacing the category's other tag, and sets a custom attribute", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "olivia");
  await page.goto("/vms?q=web-01&namespace=web-team");
  await page.getByRole("region", { name: "Virtual machines" }).locator("tbody tr").first().getByRole("link").first().click();
  await expect(card(page, "Tags").getByText("No tags assigned.")).toBeVisible();

  await assignOnSummary(page, "test");
  const assigned = card(page, "Tags").getByRole("table", { name: "Assigned tags" });
  await expect(assigned.getByRole("row", { name: /test Environment/ })).toBeVisible();
  await assignOnSummary(page, "prod");
  await expect(assigned.getByRole("row", { name: /prod Environment Production/ })).toBeVisible();
  await expect(assigned.getByRole("row", { name: /test Environment/ })).toHaveCount(0);

  const attributes = card(page, "Custom Attributes");
  await attributes.getByRole("button", { name: "Edit Owner" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit Owner" });
  await dialog.getByLabel("Value").fill("x".repeat(1025));
  await expect(dialog.getByText("Value must be at most 1,024 characters")).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Save" })).toBeDisabled();
  await dialog.getByLabel("Value").fill("web-team (Olivia)");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(attributes.getByText("web-team (Olivia)")).toBeVisible();
  await screenshotBothThemes(page, "vm-summary-tags", SHOTS);

  // Remove, then put it back: the Summary follows without a reload.
  await assigned.getByRole("button", { name: "Remove tag Environment: prod" }).click();
  await expect(card(page, "Tags").getByText("No tags assigned.")).toBeVisible();
  await assignOnSummary(page, "prod");
  await expect(assigned.getByRole("row", { name: /prod Environment/ })).toBeVisible();
});

test("an operator tags a list selection in one call, filters the list by the tag and finds the VMs in search", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "olivia");
  await page.goto("/vms?q=db-");
  const list = page.getByRole("region", { name: "Virtual machines" });
  const summary = list.getByText(/of \d+ virtual machines/);
  await expect(summary).toBeVisible();
  const dbCount = Number(/of (\d+) virtual machines/.exec((await summary.textContent())!)![1]);
  await list.getByRole("checkbox", { name: "Select all on this page" }).check();
  await list.getByRole("button", { name: "Assign Tag…" }).click();
  const dialog = page.getByRole("dialog", { name: `Assign Tag to ${dbCount} VMs` });
  await dialog.getByRole("option", { name: /^prod\b/ }).click();
  await expect(dialog.getByText("Environment: prod replaces any other tag of this category.")).toBeVisible();
  await screenshotBothThemes(page, "assign-tag-dialog", SHOTS);
  await dialog.getByRole("button", { name: `Assign to ${dbCount} VMs` }).click();
  await expect(page.getByText(`Assigned tag 'Environment: prod' to ${dbCount} of ${dbCount} VMs.`)).toBeVisible();

  await expect(dialog).toBeHidden();

  // The db- VMs and web-01 carry prod now.
  await page.goto("/vms");
  await list.getByRole("combobox", { name: "Tag" }).click();
  await page.getByRole("option", { name: "Environment: prod" }).click();
  await expect(page).toHaveURL(/[?&]tag=Environment%3Aprod/);
  await expect(list.getByText(`of ${dbCount + 1} virtual machines`)).toBeVisible();
  await screenshotBothThemes(page, "vm-list-tag-filter", SHOTS);

  await page.keyboard.press("Control+k");
  await page.keyboard.type("tag:prod");
  const palette = page.getByRole("dialog", { name: "Search the inventory" });
  await expect(palette.getByRole("group", { name: `Virtual Machines (${dbCount + 1})` })).toBeVisible();
  await expect(palette.getByRole("option", { name: /^db-03 tag prod/ })).toHaveCount(3);
  await screenshotBothThemes(page, "search-by-tag", SHOTS);
  await palette.getByRole("option", { name: /See all results for “tag:prod”/ }).click();
  await expect(page.getByRole("heading", { name: `Virtual Machines (${dbCount + 1})` })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: /^web-01 tag prod/ })).toBeVisible();
});

test("a developer sees a VM's tags but is offered no way to change them, and sees an operator's change live", async ({ page, browser }) => {
  await signIn(page, "dev");
  await page.goto("/vms?q=web-01&namespace=web-team");
  await page.getByRole("region", { name: "Virtual machines" }).locator("tbody tr").first().getByRole("link").first().click();
  await expect(card(page, "Tags").getByRole("row", { name: /prod Environment/ })).toBeVisible();
  await expect(card(page, "Tags").getByRole("button", { name: "Assign…" })).toHaveCount(0);
  await expect(card(page, "Custom Attributes").getByRole("button", { name: "Edit Owner" })).toHaveCount(0);

  // An operator removes the tag elsewhere: the developer's Summary follows without a reload.
  const operator = await pageAs(browser, "olivia");
  await operator.goto(page.url());
  await card(operator, "Tags").getByRole("button", { name: "Remove tag Environment: prod" }).click();
  await expect(card(operator, "Tags").getByText("No tags assigned.")).toBeVisible();
  await expect(card(page, "Tags").getByText("No tags assigned.")).toBeVisible();
  await operator.context().close();
});
