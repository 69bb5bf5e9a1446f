import { openE2eDatabase } from "./e2e-database";
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

test("a developer sees their namespaces and what they use, and nothing of other namespaces", async ({ page }) => {
  await signIn(page, "dev");
  // dev owns web-team and edits data-team through the group "developers"; ml-team is not theirs.
  await expect(page.getByRole("list", { name: "Your namespaces" }).getByRole("link")).toHaveText(["data-team", "web-team"]);
  const tree = page.getByRole("tree");
  await expect(tree.getByRole("treeitem", { name: /^(dev|prod)-cluster-01,/ })).toHaveCount(2);
  await expect(tree.getByRole("treeitem", { name: /^edge-cluster-01,/ })).toHaveCount(0);
  const summary = await (await page.request.get("/api/inventory/summary")).json();
  // Their two, and `default`, which every signed-in user may read (Home lists only their own).
  expect(summary).toMatchObject({ datacenters: 0, hosts: { total: 0 }, virtualMachines: { total: 40 }, namespaces: 3 });

  // Search finds their VMs, never another namespace's or a host.
  await page.keyboard.press("Control+k");
  await page.keyboard.type("cache-04");
  await expect(page.getByRole("option", { name: /^cache-04 / })).toHaveCount(2);
  await expect(page.getByRole("option", { name: /ml-team/ })).toHaveCount(0);
  await page.keyboard.press("Escape");

  // Another namespace's objects, asked for by id, are answered as missing ones on the server.
  const db = openE2eDatabase();
  const { rows } = await db.query<{ vm: string; ns: string; host: string }>(
    `SELECT (SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'ml-team' LIMIT 1) AS vm,
            (SELECT uid::text FROM resources WHERE kind = 'Namespace' AND name = 'ml-team') AS ns,
            (SELECT uid::text FROM resources WHERE kind = 'Host' LIMIT 1) AS host`,
  );
  await db.end();
  const { vm, ns, host } = rows[0]!;
  expect((await page.request.get(`/api/objects/${vm}`)).status()).toBe(404);
  expect((await page.request.get(`/api/lists/vms?scope=${ns}`)).status()).toBe(404);
  expect((await page.request.get(`/api/navigator?view=namespaces&parent=${ns}`)).status()).toBe(404);
  // Object pages stream (they have a loading state), so the answer is the page, not the status.
  for (const uid of [host, vm]) {
    await page.goto(`/objects/${uid}`);
    await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
  }
});
