import { expect, signIn, test } from "./fixtures";

test("an administrator fails a simulated host and recovers it; operators have no such controls", async ({ page, browser }) => {
  await signIn(page, "admin");
  const tree = page.getByRole("tree", { name: "Hosts and Clusters" });
  await tree.getByRole("treeitem", { name: /^dc-seattle,/ }).locator("svg").first().click();
  await tree.getByRole("treeitem", { name: /^edge-cluster-01,/ }).locator("svg").first().click();
  await tree.getByRole("treeitem", { name: /^esx-12\.seattle\.lab,/ }).click();
  await expect(page.getByRole("heading", { name: "esx-12.seattle.lab" })).toBeVisible();
  const hostUrl = page.url();

  await page.getByRole("button", { name: "Simulate Failure" }).click();
  await expect(page.getByText("Simulated failure of esx-12.seattle.lab")).toBeVisible();
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: /Simulate failure of host esx-12\.seattle\.lab.*Completed.*admin/ })).toBeVisible();
  await expect(page.getByText("Not Responding", { exact: true }).first()).toBeVisible({ timeout: 20_000 });

  // vSphere HA restarts the host's VMs elsewhere, and says so in Recent Tasks.
  await expect(tasks.getByRole("row", { name: /vSphere HA restarted virtual machine/ }).first()).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "Recover" }).click();
  await expect(page.getByText("Connected", { exact: true }).first()).toBeVisible({ timeout: 20_000 });

  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, "olivia");
  await operator.goto(hostUrl);
  await expect(operator.getByRole("heading", { name: "esx-12.seattle.lab" })).toBeVisible();
  await expect(operator.getByRole("button", { name: "Simulate Failure" })).toHaveCount(0);
});
