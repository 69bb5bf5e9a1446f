import { resetAlarmsOn } from "./alarms";
import { recover, simulateFailure } from "./host-failures";
import { expect, signIn, test } from "./fixtures";

test("an administrator fails a simulated host and recovers it; operators have no such controls", async ({ page, browser }) => {
  test.setTimeout(60_000);
  await signIn(page, "admin");
  const tree = page.getByRole("tree", { name: "Hosts and Clusters" });
  await tree.getByRole("treeitem", { name: /^dc-seattle,/ }).locator("svg").first().click();
  await tree.getByRole("treeitem", { name: /^edge-cluster-01,/ }).locator("svg").first().click();
  await tree.getByRole("treeitem", { name: /^esx-12\.seattle\.lab,/ }).click();
  await expect(page.getByRole("heading", { name: "esx-12.seattle.lab" })).toBeVisible();
  const hostUrl = page.url();

  await simulateFailure(page);
  await expect(page.getByText("Simulated failure of esx-12.seattle.lab")).toBeVisible();
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: /Simulate failure of host esx-12\.seattle\.lab.*Completed.*admin/ })).toBeVisible();
  await expect(page.getByText("Not Responding", { exact: true }).first()).toBeVisible({ timeout: 20_000 });

  // vSphere HA restarts the host's VMs elsewhere, and says so in Recent Tasks.
  await expect(tasks.getByRole("row", { name: /vSphere HA restarted virtual machine/ }).first()).toBeVisible({ timeout: 20_000 });

  await recover(page);
  await expect(page.getByText("Connected", { exact: true }).first()).toBeVisible({ timeout: 20_000 });

  // vSphere HA's failover alarm stays on the cluster until someone resets it to green.
  const clusterUrl = await page.getByRole("main").getByRole("link", { name: "edge-cluster-01", exact: true }).first().getAttribute("href");
  await page.goto(`${clusterUrl}/monitor?view=alarms`);
  await expect(page.getByRole("heading", { name: "edge-cluster-01", exact: true })).toBeVisible();
  const alarms = page.getByRole("table", { name: "Triggered alarms" });
  const failover = alarms.getByRole("row").filter({ hasText: "vSphere HA failover happened" });
  await expect(failover).toContainText("vSphere HA restarted a VM");
  await failover.getByRole("button", { name: "Reset to Green" }).click();
  await expect(failover).toHaveCount(0);
  await expect(page.getByRole("table", { name: "Alarm history" })).toContainText("admin reset alarm 'vSphere HA failover happened' on edge-cluster-01 from Warning to Normal");
  await resetAlarmsOn(page, page.url());

  const operator = await (await browser.newContext()).newPage();
  await signIn(operator, "olivia");
  await operator.goto(hostUrl);
  await expect(operator.getByRole("heading", { name: "esx-12.seattle.lab" })).toBeVisible();
  await operator.getByRole("button", { name: "Actions" }).click();
  await expect(operator.getByRole("menuitem", { name: /^Enter Maintenance Mode/ })).toBeVisible();
  await expect(operator.getByRole("menuitem", { name: /^Simulate Failure/ })).toHaveCount(0);
});
