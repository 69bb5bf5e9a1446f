// Extensions in the console: an administrator installs the example operator's CRD with kubectl;
// the operator (examples/database-operator, its own process) runs with the namespace owner's
// kubeconfig; a PostgresInstance the developer applies gets a VM it owns, shows under its namespace
// in the navigator with a Summary built from its printer columns and its VM as a dependent, the VM
// links back to it, Administration › Extensions lists the definition with its controller active,
// and deleting the instance deletes the VM.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { downloadKubeconfig, expect, kubectl, screenshotBothThemes, signIn, test } from "./fixtures";

const EXAMPLE = path.resolve("examples/database-operator");


const treeItem = (scope: Locator, name: string) => scope.getByRole("treeitem", { name: new RegExp(`^${name},`) });

/** A developer's navigator is their namespaces by cluster: the Namespaces view, without tabs. */
async function expandInTree(page: Page, view: string, names: string[]) {
  const tree = page.getByRole("tree", { name: view });
  for (const name of names) {
    const row = treeItem(tree, name);
    if ((await row.getAttribute("aria-expanded")) !== "true") {
      await row.focus();
      await page.keyboard.press("ArrowRight");
    }
  }
  return tree;
}

let operator: ChildProcess | undefined;
test.afterAll(() => {
  operator?.kill("SIGKILL");
});

test("an operator's PostgresInstance: its VM, its Summary, the VM's way back to it, Extensions, and deletion", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, "admin");
  const admin = await downloadKubeconfig(page, "admin");
  const installed = await kubectl(admin, ["apply", "-f", path.join(EXAMPLE, "manifests/crd.yaml")]);
  expect(installed.stdout.trim()).toBe("customresourcedefinition.apiextensions.k8s.io/postgresinstances.databases.example.com created");
  expect((await kubectl(admin, ["wait", "--for=condition=Established", "crd/postgresinstances.databases.example.com", "--timeout=30s"])).ok).toBe(true);

  const devPage = await browser.newPage();
  await signIn(devPage, "dev");
  const dev = await downloadKubeconfig(devPage, "dev");
  operator = spawn(process.execPath, ["--import", "tsx", path.join(EXAMPLE, "src/main.ts"), "--kubeconfig", path.resolve(dev), "--namespace", "web-team", "--storage-class", "prod-cluster-01-vsan", "--lease-seconds", "3"], {
    cwd: EXAMPLE,
    stdio: "inherit",
  });

  const applied = await kubectl(dev, ["apply", "-n", "web-team", "-f", path.join(EXAMPLE, "manifests/sample.yaml")]);
  expect(applied.stdout.trim()).toBe("postgresinstance.databases.example.com/orders-db created");
  const running = await kubectl(dev, ["wait", "pgi/orders-db", "-n", "web-team", "--for=jsonpath={.status.phase}=Running", "--timeout=90s"]);
  expect(running.stdout).toContain("condition met");

  // Under its namespace in the navigator, beside the namespace's VMs, named with its kind.
  const tree = await expandInTree(devPage, "Namespaces", ["prod-cluster-01", "web-team"]);
  const instance = treeItem(tree, "orders-db");
  await expect(instance).toHaveAccessibleName("orders-db, PostgresInstance, namespace web-team");
  await instance.click();
  await expect(devPage.getByRole("heading", { name: "orders-db" })).toBeVisible();
  const details = devPage.getByText("PostgresInstance Details").locator("xpath=ancestor::*[@data-slot='card'][1]");
  await expect(details).toContainText("Running");
  await expect(details).toContainText(/Endpoint\s*\d+\.\d+\.\d+\.\d+:5432/);
  const ownership = devPage.getByText("Owners and Dependents").locator("xpath=ancestor::*[@data-slot='card'][1]");
  await expect(ownership).toContainText("Owns (1)");
  await expect(devPage.getByRole("cell", { name: "MembersReady", exact: true })).toBeVisible();
  await screenshotBothThemes(devPage, "custom-resource-summary");

  // Its VM links back to it.
  await ownership.getByRole("link", { name: "orders-db-0" }).click();
  await expect(devPage.getByRole("heading", { name: "orders-db-0" })).toBeVisible();
  const owners = devPage.getByText("Owners and Dependents").locator("xpath=ancestor::*[@data-slot='card'][1]");
  await expect(owners).toContainText("Owned by");
  await expect(owners.getByRole("link", { name: "orders-db" })).toBeVisible();
  await screenshotBothThemes(devPage, "custom-resource-owned-vm");

  // Its YAML is the API's shape: its fields at the top level, its own kind.
  await owners.getByRole("link", { name: "orders-db" }).click();
  await devPage.getByRole("navigation", { name: "Object tabs" }).getByRole("link", { name: "YAML" }).click();
  const yaml = devPage.getByLabel("YAML of orders-db");
  await expect(yaml).toContainText("kind: PostgresInstance");
  await expect(yaml).toContainText("storage: 40Gi");
  await expect(devPage.getByRole("button", { name: "Edit" })).toBeVisible();

  // Administration › Extensions: the definition, its object, the operator holding its Lease.
  await page.goto("/admin/extensions");
  const row = page.getByRole("table", { name: "Extensions" }).getByRole("row").filter({ hasText: "postgresinstances.databases.example.com" });
  await expect(row).toContainText("Established");
  await expect(row).toContainText("v1alpha1");
  await expect(row.getByRole("cell").nth(5)).toHaveText("1");
  await expect(row).toContainText("Active");
  await expect(row).toContainText(/\d+ watch(es)? open/);
  await expect(row).toContainText("holds Lease web-team/database-operator");
  await screenshotBothThemes(page, "administration-extensions");

  const deleted = await kubectl(dev, ["delete", "pgi", "orders-db", "-n", "web-team", "--cascade=foreground", "--timeout=60s"]);
  expect(deleted.stdout.trim()).toBe('postgresinstance.databases.example.com "orders-db" deleted');
  await expect.poll(async () => (await kubectl(dev, ["get", "vm", "orders-db-0", "-n", "web-team"])).stderr, { timeout: 30_000 }).toContain("NotFound");
  await devPage.close();
});
