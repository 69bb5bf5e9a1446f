import { expect, signIn, test } from "./fixtures";

test.describe("inventory lists", () => {
  test.beforeEach(async ({ page }) => {
    await signIn(page, "olivia");
  });

  test("filter, sort and page through the VM list, with the URL naming each view", async ({ page }) => {
    await page.goto("/vms");
    const list = page.getByRole("region", { name: "Virtual machines" });
    await expect(list.getByText("1–50 of 60 virtual machines")).toBeVisible();

    await list.getByLabel("Filter virtual machines").fill("web-");
    await expect(page).toHaveURL(/[?&]q=web-/);
    await expect(list.getByText(/of 12 virtual machines/)).toBeVisible();
    const filteredNames = await list.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(filteredNames.length).toBe(12);
    expect(filteredNames.every((name) => name.startsWith("web-"))).toBe(true);

    await list.getByRole("button", { name: "Host" }).click();
    await expect(page).toHaveURL(/sort=host/);
    await list.getByRole("button", { name: "Host" }).click();
    await expect(page).toHaveURL(/sort=host&dir=desc/);
    await expect(list.getByRole("columnheader", { name: "Host" })).toHaveAttribute("aria-sort", "descending");
    // The previous order's rows stay on screen until the new order arrives, so wait for it.
    await expect.poll(async () => {
      const hosts = await list.locator("tbody tr td:nth-child(5)").allTextContents();
      return hosts.length > 0 && hosts.every((host, index) => index === 0 || hosts[index - 1]! >= host);
    }).toBe(true);

    await list.getByLabel("Filter virtual machines").fill("");
    await expect(list.getByText(/of 60 virtual machines/)).toBeVisible();
    await list.getByLabel("Rows per page").click();
    await page.getByRole("option", { name: "25" }).click();
    await expect(list.getByText("1–25 of 60 virtual machines")).toBeVisible();
    await list.getByRole("button", { name: "Next page" }).click();
    await expect(list.getByText("26–50 of 60 virtual machines")).toBeVisible();
    await expect(page).toHaveURL(/page=2/);
    await list.getByRole("button", { name: "Last page" }).click();
    await expect(list.getByText("51–60 of 60 virtual machines")).toBeVisible();

    await page.goBack();
    await expect(list.getByText("26–50 of 60 virtual machines")).toBeVisible();

    await list.getByLabel("Filter virtual machines").fill("no-such-vm");
    await expect(list.getByText("No virtual machines match these filters.")).toBeVisible();
  });

  test("the column chooser is remembered for the user", async ({ page }) => {
    await page.goto("/vms");
    const list = page.getByRole("region", { name: "Virtual machines" });
    await expect(list.getByRole("columnheader", { name: "VM Class" })).toBeVisible();
    await list.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("menuitemcheckbox", { name: "VM Class" }).click();
    await page.getByRole("menuitemcheckbox", { name: "Datastore" }).click();
    await page.keyboard.press("Escape");
    await expect(list.getByRole("columnheader", { name: "VM Class" })).toHaveCount(0);
    await expect(list.getByRole("columnheader", { name: "Datastore" })).toBeVisible();

    await page.waitForTimeout(300);
    await page.reload();
    await expect(list.getByRole("columnheader", { name: "Datastore" })).toBeVisible();
    await expect(list.getByRole("columnheader", { name: "VM Class" })).toHaveCount(0);

    await list.getByRole("button", { name: "Columns" }).click();
    await page.getByRole("menuitem", { name: "Reset to defaults" }).click();
    await expect(list.getByRole("columnheader", { name: "VM Class" })).toBeVisible();
  });

  test("bulk Power Off and Power On update the list live", async ({ page }) => {
    await page.goto("/vms?q=worker-&power=PoweredOn");
    const list = page.getByRole("region", { name: "Virtual machines" });
    const rows = list.locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    // Names repeat across namespaces; a VM's link (its uid) names it exactly.
    const chosen = await Promise.all([0, 1].map((index) => rows.nth(index).getByRole("link").first().getAttribute("href")));
    for (const index of [0, 1]) await rows.nth(index).getByRole("checkbox").check();
    await expect(list.getByText("2 selected", { exact: true })).toBeVisible();
    await list.getByRole("button", { name: "Power Off" }).click();
    await expect(page.getByText("Powering off 2 VM(s).")).toBeVisible();
    // Once powered off they no longer match the filter, and leave the list without a reload.
    for (const href of chosen) await expect(list.locator(`a[href="${href}"]`)).toHaveCount(0, { timeout: 20_000 });

    await page.goto("/vms?q=worker-&power=PoweredOff");
    for (const href of chosen) await expect(list.locator(`a[href="${href}"]`)).toBeVisible();
    await list.getByRole("checkbox", { name: "Select all on this page" }).check();
    await list.getByRole("button", { name: "Power On" }).click();
    await expect(page.getByText(/Powering on \d+ VM\(s\)\./)).toBeVisible();
    await expect(list.getByText("No virtual machines match these filters.")).toBeVisible({ timeout: 20_000 });
  });
});

test("from the tree to an object and through every tab, each with its own URL", async ({ page }) => {
  await signIn(page, "olivia");
  const tree = page.getByRole("tree", { name: "Hosts and Clusters" });
  await tree.getByRole("treeitem", { name: /^dc-boston,/ }).locator("svg").first().click();
  await tree.getByRole("treeitem", { name: /^prod-cluster-01,/ }).click();
  await expect(page.getByRole("heading", { name: "prod-cluster-01" })).toBeVisible();
  await expect(page.getByText("Cluster Details")).toBeVisible();
  await expect(page.getByRole("meter", { name: "Memory allocated" })).toBeVisible();

  const tabs = page.getByRole("navigation", { name: "Object tabs" });
  await tabs.getByRole("link", { name: "Monitor" }).click();
  await expect(page).toHaveURL(/\/monitor$/);
  await expect(page.getByRole("table").first()).toBeVisible();
  await tabs.getByRole("link", { name: "Configure" }).click();
  await expect(page.getByText("vSphere DRS").first()).toBeVisible();
  await tabs.getByRole("link", { name: "Permissions" }).click();
  await expect(page.getByRole("cell", { name: "olivia" }).first()).toBeVisible();

  await tabs.getByRole("link", { name: "Hosts" }).click();
  await expect(page).toHaveURL(/\/hosts$/);
  await expect(page.getByRole("region", { name: "Hosts" }).getByText("1–5 of 5 hosts")).toBeVisible();

  await tabs.getByRole("link", { name: "VMs" }).click();
  await expect(page.getByRole("region", { name: "Virtual machines" }).getByText("1–20 of 20 virtual machines")).toBeVisible();

  await tabs.getByRole("link", { name: "Datastores" }).click();
  await expect(page.getByRole("link", { name: "prod-cluster-01-vsan" })).toBeVisible();

  await tabs.getByRole("link", { name: "Networks" }).click();
  await expect(page.getByRole("main").getByRole("link", { name: "dc-boston-vm-network" })).toBeVisible();

  await tabs.getByRole("link", { name: "YAML" }).click();
  const yaml = page.getByLabel("YAML of prod-cluster-01");
  await expect(yaml).toContainText("apiVersion: skylight.io/v1alpha1");
  await expect(yaml).toContainText("kind: Cluster");
  await expect(yaml).toContainText("automationLevel: fullyAutomated");

  await page.goBack();
  await expect(page.getByRole("main").getByRole("link", { name: "dc-boston-vm-network" })).toBeVisible();
  await tabs.getByRole("link", { name: "Summary" }).click();
  await expect(page.getByText("Cluster Details")).toBeVisible();

  await page.goto(`${page.url()}/no-such-tab`);
  await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
});
