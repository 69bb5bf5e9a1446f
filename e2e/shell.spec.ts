import { expect, signIn, test } from "./fixtures";

for (const theme of ["Light", "Dark"] as const) {
  test(`walk through the console shell in the ${theme.toLowerCase()} theme`, async ({ page }) => {
    await signIn(page, "admin");
    await page.getByRole("button", { name: "User menu for admin" }).click();
    await page.getByRole("menuitemradio", { name: theme }).click();
    await expect(page.locator("html")).toHaveClass(new RegExp(theme.toLowerCase()));
    await page.keyboard.press("Escape");

    // Home: inventory counts from the seeded demo inventory.
    await expect(page.getByRole("heading", { name: "Home" })).toBeVisible();
    await expect(page.getByText("12 hosts")).toBeVisible();
    await expect(page.getByText("60 VMs")).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/home-${theme.toLowerCase()}.png` });

    // Navigator: expand a cluster and open a host.
    const tree = page.getByRole("tree", { name: "Hosts and Clusters" });
    await tree.getByRole("treeitem", { name: /^dc-boston,/ }).locator("svg").first().click();
    await tree.getByRole("treeitem", { name: /^prod-cluster-01,/ }).locator("svg").first().click();
    await tree.getByRole("treeitem", { name: /^esx-01\.boston\.lab,/ }).click();
    await expect(page.getByRole("heading", { name: "esx-01.boston.lab" })).toBeVisible();
    await expect(page.getByRole("row", { name: /^Ready True/ })).toBeVisible();

    // Global search, from the keyboard shortcut.
    await page.keyboard.press("Control+k");
    await expect(page.getByRole("combobox", { name: "Search inventory" })).toBeFocused();
    await page.keyboard.type("10.20.3.10");
    await expect(page.getByRole("option", { name: /esx-03\.boston\.lab.*IP address 10\.20\.3\.10/ })).toBeVisible();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "esx-03.boston.lab" })).toBeVisible();

    // The Recent Tasks pane collapses and expands.
    const tasks = page.getByRole("region", { name: "Recent Tasks" });
    await tasks.getByRole("button", { name: "Collapse" }).click();
    await expect(tasks.getByRole("table")).toBeHidden();
    await tasks.getByRole("button", { name: "Expand" }).click();
    await expect(tasks.getByRole("columnheader", { name: "Task Name" })).toBeVisible();

    // The navigator resizes from the keyboard.
    const navigator = page.getByRole("navigation", { name: "Navigator" });
    const before = (await navigator.boundingBox())!.width;
    await page.getByRole("separator", { name: "Resize navigator" }).focus();
    for (let step = 0; step < 5; step++) await page.keyboard.press("ArrowRight");
    expect((await navigator.boundingBox())!.width).toBeGreaterThan(before);
    await page.screenshot({ path: `test-results/screenshots/object-${theme.toLowerCase()}.png` });
  });
}

test("a developer sees no inventory and no search", async ({ page }) => {
  await signIn(page, "dev");
  await expect(page.getByRole("heading", { name: "No namespaces yet" })).toBeVisible();
  await expect(page.getByRole("tree")).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Search by name/ })).toHaveCount(0);
  const response = await page.request.get("/api/inventory/summary");
  expect(response.status()).toBe(403);
});
