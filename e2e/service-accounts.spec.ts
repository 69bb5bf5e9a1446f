// A namespace's service accounts in the console: its owner creates one with kubectl, gives it a
// role on the namespace's Permissions tab, and creates its token there; the kubeconfig the dialog
// shows works with kubectl as that service account, within that role.
import { writeFileSync } from "node:fs";
import { downloadKubeconfig, expect, kubectl, screenshotBothThemes, signIn, test } from "./fixtures";

test("an owner gives a service account a role and creates its token; kubectl with it acts as the service account", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "dev");
  const dev = await downloadKubeconfig(page, "dev");
  expect((await kubectl(dev, ["create", "serviceaccount", "reporter", "-n", "web-team"])).stdout.trim()).toBe("serviceaccount/reporter created");
  const uid = (await kubectl(dev, ["get", "namespace", "web-team", "-o", "jsonpath={.metadata.uid}"])).stdout;

  await page.goto(`/objects/${uid}/permissions`);
  const accounts = page.getByRole("list", { name: "Service accounts" });
  await expect(accounts.getByRole("listitem")).toHaveText([/default/, /reporter/]);
  await page.getByRole("combobox", { name: "User, group or service account to add" }).click();
  await page.getByRole("option", { name: "Service account reporter" }).click();
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(page.getByRole("table", { name: "Namespace permissions" }).getByRole("combobox", { name: "Role of reporter" })).toHaveText("Can view");
  await page.getByRole("button", { name: "Save Permissions" }).click();
  await expect(page.getByText("Permissions of web-team saved")).toBeVisible();
  await screenshotBothThemes(page, "namespace-service-accounts");

  await page.getByRole("button", { name: "Create token for reporter" }).click();
  const dialog = page.getByRole("dialog", { name: "Create Token for reporter" });
  await dialog.getByRole("button", { name: "Create Token" }).click();
  const kubeconfig = dialog.getByLabel("Kubeconfig of reporter");
  await expect(kubeconfig).toContainText("system:serviceaccount:web-team:reporter");
  await screenshotBothThemes(page, "service-account-token");
  const file = "test-results/reporter.kubeconfig";
  writeFileSync(file, (await kubeconfig.textContent()) ?? "");
  await dialog.getByRole("button", { name: "Done" }).click();

  const listed = await kubectl(file, ["get", "vm", "-n", "web-team", "-o", "name"]);
  expect(listed.stderr).toBe("");
  expect(listed.stdout).toContain("virtualmachine.vmoperator.vmware.com/web-01");
  const refused = await kubectl(file, ["create", "configmap", "notes", "-n", "web-team", "--from-literal=a=b"]);
  expect(refused.stderr).toContain('User "system:serviceaccount:web-team:reporter" cannot create resource "configmaps"');
});
