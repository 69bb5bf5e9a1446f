// The Kubernetes API from a user's side: Download kubeconfig in the user menu, kubectl with it
// (a VM applied with kubectl shows in Recent Tasks live), and the token on the profile page,
// where revoking it locks kubectl out.
import { downloadKubeconfig, expect, kubectl, mlTeamVmManifest, screenshotBothThemes, signIn, test } from "./fixtures";

const VM = "kubectl-e2e-01";
const MANIFEST = mlTeamVmManifest(VM);



test("Download kubeconfig, then kubectl: a VM applied shows in Recent Tasks live; revoking the token locks kubectl out", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "olivia");
  await page.getByRole("button", { name: "User menu for olivia" }).click();
  await expect(page.getByRole("menuitem", { name: "Download kubeconfig" })).toBeVisible();
  await screenshotBothThemes(page, "user-menu-kubeconfig");
  await page.keyboard.press("Escape");
  const kubeconfig = await downloadKubeconfig(page, "olivia");
  expect(kubeconfig).toBe("test-results/skylight-olivia.kubeconfig");

  const listed = await kubectl(kubeconfig, ["get", "vm", "-n", "web-team"]);
  expect(listed.stderr).toBe("");
  expect(listed.stdout).toMatch(/^NAME\s+POWERSTATE\s+CLASS\s+HOST\s+IP\s+AGE\n/);
  expect(listed.stdout).toMatch(/\nweb-01\s+Powered(On|Off)\s/);

  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  const applied = await kubectl(kubeconfig, ["apply", "-f", "-"], MANIFEST);
  expect(applied.stdout.trim()).toBe(`virtualmachine.vmoperator.vmware.com/${VM} created`);
  await expect(tasks.getByRole("row", { name: new RegExp(`Create virtual machine ${VM}.*olivia`) })).toBeVisible();
  const waited = await kubectl(kubeconfig, ["wait", `vm/${VM}`, "-n", "ml-team", "--for=jsonpath={.status.powerState}=PoweredOn", "--timeout=30s"]);
  if (!waited.ok) console.log(waited.stderr, (await kubectl(kubeconfig, ["get", "vm", VM, "-n", "ml-team", "-o", "yaml"])).stdout);
  expect(waited.stdout).toContain("condition met");

  const deleted = await kubectl(kubeconfig, ["delete", "vm", VM, "-n", "ml-team", "--timeout=30s"]);
  expect(deleted.stdout.trim()).toBe(`virtualmachine.vmoperator.vmware.com "${VM}" deleted`);
  await expect(tasks.getByRole("row", { name: new RegExp(`Delete virtual machine ${VM} from disk.*Completed`) })).toBeVisible({ timeout: 20_000 });

  await page.goto("/profile");
  const mine = page.getByRole("table", { name: "Your API tokens" });
  const row = mine.getByRole("row").filter({ hasText: "Downloaded kubeconfig" }).first();
  await expect(row).toBeVisible();
  await expect(row).not.toContainText("Never");
  await screenshotBothThemes(page, "profile-api-tokens");
  await row.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("alertdialog", { name: "Revoke this token?" });
  await dialog.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByText("Token revoked")).toBeVisible();
  await expect(mine.getByRole("row").filter({ hasText: "Downloaded kubeconfig" })).toHaveCount(0);

  const refused = await kubectl(kubeconfig, ["get", "vm", "-n", "web-team"]);
  expect(refused.ok).toBe(false);
  expect(refused.stderr).toContain("error: You must be logged in to the server (Unauthorized)");
});

test("an administrator sees and revokes other users' tokens on their profile", async ({ page, browser }) => {
  const other = await browser.newPage();
  await signIn(other, "dana");
  await downloadKubeconfig(other, "dana");

  await signIn(page, "admin");
  await page.goto("/profile");
  const everyone = page.getByRole("table", { name: "All users' API tokens" });
  const danas = everyone.getByRole("row").filter({ hasText: "dana" });
  await expect(danas).toHaveCount(1);
  await danas.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog", { name: "Revoke this token?" }).getByRole("button", { name: "Revoke" }).click();
  await expect(danas).toHaveCount(0);
  await other.close();
});

test("the YAML tab applies an edit as kubectl apply would; a stale edit is refused with Reload", async ({ page }) => {
  test.setTimeout(90_000);
  const name = "yaml-tab-e2e";
  await signIn(page, "olivia");
  const kubeconfig = await downloadKubeconfig(page, "olivia");
  const manifest = MANIFEST.replace(VM, name).replace("powerState: PoweredOn", "powerState: PoweredOff").replace("  namespace: ml-team\n", "  namespace: ml-team\n  labels:\n    tier: bronze\n");
  expect((await kubectl(kubeconfig, ["apply", "-f", "-"], manifest)).stdout.trim()).toBe(`virtualmachine.vmoperator.vmware.com/${name} created`);
  const uid = (await kubectl(kubeconfig, ["get", "vm", name, "-n", "ml-team", "-o", "jsonpath={.metadata.uid}"])).stdout;
  const label = async () => (await kubectl(kubeconfig, ["get", "vm", name, "-n", "ml-team", "-o", "jsonpath={.metadata.labels.tier}"])).stdout;

  await page.goto(`/objects/${uid}/yaml`);
  await page.getByRole("button", { name: "Edit" }).click();
  const editor = page.getByRole("textbox", { name: "YAML" });
  await editor.fill((await editor.inputValue()).replace("tier: bronze", "tier: gold"));
  await screenshotBothThemes(page, "yaml-tab-edit");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(`Applied VirtualMachine ${name}`)).toBeVisible();
  await expect(page.getByLabel(`YAML of ${name}`)).toContainText("tier: gold");
  expect(await label()).toBe("gold");

  // Rules are the API's: a power state vm-operator does not know is refused, naming the field.
  await page.getByRole("button", { name: "Edit" }).click();
  await editor.fill((await editor.inputValue()).replace("powerState: PoweredOff", "powerState: Sleeping"));
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not applied" })).toContainText(
    `VirtualMachine.vmoperator.vmware.com "${name}" is invalid: spec.powerState: must be PoweredOn, PoweredOff or Suspended`,
  );

  // Someone changes the VM after the editor opened: Apply is refused; Reload shows their change.
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.getByRole("button", { name: "Edit" }).click();
  expect((await kubectl(kubeconfig, ["label", "vm", name, "-n", "ml-team", "tier=silver", "--overwrite"])).stderr).toBe("");
  await editor.fill((await editor.inputValue()).replace("tier: gold", "tier: platinum"));
  await page.getByRole("button", { name: "Apply" }).click();
  const stale = page.getByRole("alert").filter({ hasText: "Changed by someone else" });
  await expect(stale).toBeVisible();
  await screenshotBothThemes(page, "yaml-tab-conflict");
  expect(await label()).toBe("silver");
  await stale.getByRole("button", { name: "Reload" }).click();
  await expect(editor).toHaveValue(/tier: silver/);
  await page.getByRole("button", { name: "Cancel" }).click();

  expect((await kubectl(kubeconfig, ["delete", "vm", name, "-n", "ml-team", "--timeout=30s"])).stdout.trim()).toBe(`virtualmachine.vmoperator.vmware.com "${name}" deleted`);
});

test("kubectl manages namespaces: one created with kubectl shows in Recent Tasks live, its YAML tab relabels it, kubectl delete removes it", async ({ page }) => {
  test.setTimeout(90_000);
  const name = "kubectl-ns-e2e";
  await signIn(page, "admin");
  const kubeconfig = await downloadKubeconfig(page, "admin");
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  // The demo's one self-service template is dev-cluster-01's, so the namespace lands there.
  expect((await kubectl(kubeconfig, ["create", "namespace", name])).stdout.trim()).toBe(`namespace/${name} created`);
  await expect(tasks.getByRole("row", { name: new RegExp(`Create namespace ${name}`) })).toBeVisible({ timeout: 15_000 });
  const namespace = JSON.parse((await kubectl(kubeconfig, ["get", "namespace", name, "-o", "json"])).stdout) as { metadata: { uid: string }; spec: { cluster: string } };
  expect(namespace.spec.cluster).toBe("dev-cluster-01");

  await page.goto(`/objects/${namespace.metadata.uid}/yaml`);
  await page.getByRole("button", { name: "Edit" }).click();
  const editor = page.getByRole("textbox", { name: "YAML" });
  await editor.fill((await editor.inputValue()).replace("skylight.io/cluster: dev-cluster-01", "skylight.io/cluster: dev-cluster-01\n    team: platform"));
  await editor.evaluate((element) => element.scrollTo(0, 0));
  await screenshotBothThemes(page, "namespace-yaml-edit");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(`Applied Namespace ${name}`)).toBeVisible();
  expect((await kubectl(kubeconfig, ["get", "namespace", name, "-o", "jsonpath={.metadata.labels.team}"])).stdout).toBe("platform");

  const deleted = await kubectl(kubeconfig, ["delete", "namespace", name, "--timeout=60s"]);
  expect(deleted.stdout.trim()).toBe(`namespace "${name}" deleted`);
  expect((await kubectl(kubeconfig, ["get", "namespace", name])).stderr.trim()).toBe(`Error from server (NotFound): namespaces "${name}" not found`);
});
