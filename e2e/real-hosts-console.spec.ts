import type { Page } from "@playwright/test";
import { KUBE_PORT } from "../playwright.config";
import { expect, signIn, test } from "./fixtures";

// The console's side of real hosts, with no agent running (e2e/real-hosts journeys start real
// agents): a cluster made through Datacenter › New Cluster, a host added to it as one running the
// Skylight agent with another datastore besides its default one, its one-time command, and its
// Summary waiting for the agent. The host is removed again at the end, so the suite's host counts
// are unchanged.
const CLUSTER = "real-e2e-cluster";
const HOST = "qemu-e2e-01.lab";
const OTHER_DATASTORE = "real-e2e-fast-01";

const SIZES = [
  { width: 1600, height: 1000 },
  { width: 1280, height: 800 },
];

/** The page at both reviewed window sizes, into E2E_SHOTS_DIR (default test-results/screenshots). */
async function screenshots(page: Page, name: string) {
  const before = page.viewportSize();
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.screenshot({ path: `${process.env.E2E_SHOTS_DIR ?? "test-results/screenshots"}/${name}-${size.width}x${size.height}.png`, animations: "disabled" });
  }
  if (before) await page.setViewportSize(before);
}

const treeItem = (page: Page, name: string) => page.getByRole("tree", { name: "Hosts and Clusters" }).getByRole("treeitem", { name: new RegExp(`^${name.replace(/\./g, "\\.")},`) });
const header = (page: Page) => page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });

test("New Cluster, then Add Host › a host running the Skylight agent: its one command, and its page waiting for the agent", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, "olivia");
  await treeItem(page, "dc-seattle").click();
  await expect(page.getByRole("heading", { name: "dc-seattle", exact: true })).toBeVisible();
  await treeItem(page, "dc-seattle").locator("svg").first().click();

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "New Cluster…" }).click();
  const newCluster = page.getByRole("dialog", { name: "New Cluster" });
  await expect(newCluster.getByRole("checkbox", { name: /^vSphere DRS/ })).toBeChecked();
  await expect(newCluster.getByRole("checkbox", { name: /^vSphere HA/ })).toBeChecked();
  await newCluster.getByLabel("Name").fill("Real Cluster");
  await newCluster.getByRole("button", { name: "Create Cluster" }).click();
  await expect(newCluster.getByRole("alert")).toHaveText("Name must be lowercase RFC 1123 labels separated by '.'");
  await newCluster.getByLabel("Name").fill("edge-cluster-01");
  await newCluster.getByRole("button", { name: "Create Cluster" }).click();
  await expect(newCluster.getByRole("alert")).toHaveText('Cluster "edge-cluster-01" already exists.');
  await newCluster.getByLabel("Name").fill(CLUSTER);
  await screenshots(page, "new-cluster-dialog");
  await newCluster.getByRole("button", { name: "Create Cluster" }).click();
  await expect(page.getByRole("heading", { name: CLUSTER, exact: true })).toBeVisible();
  await expect(treeItem(page, CLUSTER)).toBeVisible();
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: new RegExp(`Create cluster ${CLUSTER} in dc-seattle.*Completed.*olivia`) })).toBeVisible({ timeout: 20_000 });

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Add Host…" }).click();
  const wizard = page.getByRole("dialog", { name: "Add Host" });
  await wizard.getByRole("radio", { name: /^Host running the Skylight agent/ }).check();
  await expect(wizard.getByRole("list", { name: "Steps" })).toContainText("Start the agent");
  await screenshots(page, "add-host-kind");
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByLabel("Datastore", { exact: true })).toHaveValue(`${CLUSTER}-datastore`);
  await expect(wizard).toContainText("Hosts that name the same datastore must share its directory");
  await wizard.getByLabel("Host name").fill("esx-01.boston.lab");
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(wizard.getByRole("alert")).toHaveText('Host "esx-01.boston.lab" is already in the inventory.');
  await wizard.getByLabel("Host name").fill(HOST);
  const others = wizard.getByLabel("Other datastores");
  await others.fill(`fast_ssd, ${CLUSTER}-datastore`);
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(wizard.getByRole("alert")).toHaveText('Other datastores must be lowercase RFC 1123 names separated by commas, such as fast-ssd-01 ("fast_ssd" is not)');
  await others.fill(`${CLUSTER}-datastore`);
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(wizard.getByRole("alert")).toHaveText("Other datastores must not repeat the default datastore");
  await others.fill(OTHER_DATASTORE);
  await screenshots(page, "add-host-agent-name");
  await wizard.getByRole("button", { name: "Finish" }).click();

  await expect(wizard.getByRole("heading", { name: "Start the agent" })).toBeVisible();
  const command = wizard.getByLabel(`Command that starts the Skylight agent on ${HOST}`);
  await expect(command).toHaveText(
    new RegExp(`^npm run spherelet -- --server https://localhost:${KUBE_PORT} --token skylight-host_[A-Za-z0-9_-]{43} --name ${HOST.replace(/\./g, "\\.")} --ca-cert-hash sha256:[0-9a-f]{64} --datastore ${OTHER_DATASTORE}=<directory>$`),
  );
  await expect(wizard).toContainText(`after replacing each <directory> with the directory where that datastore (${OTHER_DATASTORE}) is mounted on the host`);
  await expect(wizard).toContainText("shown only this once");
  await expect(wizard).toContainText("shows as disconnected until its agent starts");
  await expect(wizard).toContainText("apt-get install qemu-system-x86 qemu-utils");
  await wizard.getByRole("button", { name: "Copy" }).click();
  await expect(wizard.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await command.textContent());
  await screenshots(page, "add-host-agent-command");
  await wizard.getByRole("button", { name: "Done" }).click();
  await expect(wizard).toBeHidden();

  // A cluster of real hosts takes no simulated host: the wizard says why.
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Add Host…" }).click();
  await wizard.getByRole("button", { name: "Next" }).click();
  await wizard.getByLabel("Host name").fill("esx-99.seattle.lab");
  await wizard.getByRole("button", { name: "Next" }).click();
  await wizard.getByRole("button", { name: "Next" }).click();
  await expect(wizard.getByRole("checkbox", { name: `${CLUSTER}-datastore` })).toBeChecked();
  await wizard.getByRole("button", { name: "Next" }).click();
  await wizard.getByRole("button", { name: "Finish" }).click();
  await expect(wizard.getByRole("alert")).toContainText(`Cluster "${CLUSTER}" has hosts running the Skylight agent`);
  await wizard.getByRole("button", { name: "Cancel" }).click();

  await treeItem(page, CLUSTER).locator("svg").first().click();
  await treeItem(page, HOST).click();
  await expect(page.getByRole("heading", { name: HOST, exact: true })).toBeVisible();
  await expect(header(page).getByText("Disconnected", { exact: true })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Waiting for the Skylight agent to start on this host.");
  await expect(page.getByLabel(`Command that starts the Skylight agent on ${HOST}`)).toHaveText(new RegExp(`--token <token> --name ${HOST.replace(/\./g, "\\.")} --ca-cert-hash sha256:[0-9a-f]{64} --datastore ${OTHER_DATASTORE}=<directory>$`));
  await expect(page.getByRole("main")).toContainText(`Its VMs live on datastore ${CLUSTER}-datastore, and it mounts ${OTHER_DATASTORE} too`);
  await screenshots(page, "agent-host-waiting");

  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: /^Enter Maintenance Mode/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Enter Maintenance Mode" }).click();
  await expect(header(page).getByText("Maintenance Mode", { exact: true })).toBeVisible({ timeout: 20_000 });
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: /^Remove from Inventory/ }).click();
  await page.getByRole("alertdialog", { name: `Remove ${HOST} from the inventory?` }).getByRole("button", { name: "Remove from Inventory" }).click();
  await expect(page.getByRole("heading", { name: CLUSTER, exact: true })).toBeVisible();
  await expect(treeItem(page, HOST)).toHaveCount(0);
});
