// A datastore's free space follows the VMs on it, and the built-in "Datastore usage on disk" alarm
// follows it: a VM filling a small datastore of this spec's own past 85 % triggers the warning,
// which shows in the header's indicator and in Triggered Alarms (filters, Acknowledge, a developer
// seeing only what their namespaces use), and deleting the VM clears it. The datastore belongs to
// prod-cluster-01 (web-team's cluster, which dev owns and dana cannot see); the spec removes the
// datastore and its VM at the end.
import pg from "pg";
import type { Page } from "@playwright/test";
import { insertObject } from "@/lib/engine/object-store";
import { enqueue } from "@/lib/engine/reconcile-queue";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { openE2eDatabase } from "./e2e-database";
import { expect, screenshotBothThemes, signIn, test } from "./fixtures";

const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const RUN = Date.now().toString(36);
const DATASTORE = `e2e-full-${RUN}`;
const VM = `filler-${RUN}`;
// 60 GiB of other files on 100 GiB; rhel-9's 30 GiB disk brings it to 90 % (warning above 85 %, critical above 95 %).
const CAPACITY_GIB = 100;
const OTHER_GIB = 60;

let pool: pg.Pool;
let datastoreUid: string;

test.beforeAll(async () => {
  pool = openE2eDatabase();
  const datastore = await insertObject(pool, {
    apiVersion: KIND_API_VERSIONS.Datastore,
    kind: "Datastore",
    namespace: "",
    name: DATASTORE,
    labels: { "skylight.io/cluster": "prod-cluster-01" },
    spec: { datacenter: "dc-boston", type: "nfs", capacityGiB: CAPACITY_GIB },
  });
  datastoreUid = datastore.uid;
  await pool.query(`INSERT INTO sim_datastores (name, capacity_gib, other_used_gib) VALUES ($1, $2, $3)`, [DATASTORE, CAPACITY_GIB, OTHER_GIB]);
  await pool.query(`UPDATE sim_hosts SET datastores = datastores || $1::text WHERE cluster = 'prod-cluster-01'`, [DATASTORE]);
  // As adding a datastore would: its controller observes it now rather than at the next sample round.
  await enqueue(pool, `Datastore//${DATASTORE}`);
});

test.afterAll(async () => {
  await deleteVirtualMachine(ADMIN, { namespace: "web-team", name: VM }, pool).catch(() => undefined);
  await expect.poll(async () => (await pool.query(`SELECT 1 FROM resources WHERE kind = 'VirtualMachine' AND name = $1`, [VM])).rowCount, { timeout: 30_000 }).toBe(0);
  await pool.query(`UPDATE sim_hosts SET datastores = array_remove(datastores, $1)`, [DATASTORE]);
  await pool.query(`DELETE FROM sim_datastores WHERE name = $1`, [DATASTORE]);
  await pool.query(`DELETE FROM resources WHERE kind = 'Datastore' AND name = $1`, [DATASTORE]);
  await pool.end();
});

const storageMeter = (page: Page) => page.getByRole("meter", { name: "Storage used" });

async function choose(page: Page, label: string, option: string) {
  await page.getByLabel(label).click();
  await page.getByRole("option", { name: option, exact: true }).click();
}

test("a datastore's free space follows a VM created on it; past 85 % the built-in alarm warns in Triggered Alarms, and freeing the space clears it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, "admin");
  await page.goto(`/objects/${datastoreUid}`);
  await expect(page.getByRole("heading", { level: 1, name: DATASTORE })).toBeVisible();
  // Its controller observes the datastore: its other files take 60 of 100 GiB.
  await expect(page.getByText("60 GiB used of 100 GiB")).toBeVisible({ timeout: 30_000 });
  await expect(storageMeter(page)).toHaveAttribute("aria-valuenow", "60");

  await createVirtualMachine(ADMIN, { namespace: "web-team", name: VM, spec: { className: "best-effort-xsmall", imageName: "rhel-9", storageClass: DATASTORE, powerState: "PoweredOff" } }, pool);
  // Live, without a reload: the VM's 30 GiB disk.
  await expect(page.getByText("90 GiB used of 100 GiB")).toBeVisible({ timeout: 30_000 });
  await expect(storageMeter(page)).toHaveAttribute("aria-valuenow", "90");
  await screenshotBothThemes(page, "datastore-summary-filled");

  // The header's indicator counts the warning and opens Triggered Alarms.
  const indicator = page.getByRole("link", { name: /^Triggered alarms: \d+ critical, [1-9]\d* warning$/ });
  await expect(indicator).toBeVisible({ timeout: 15_000 });
  await indicator.click();
  await expect(page).toHaveURL(/\/alarms$/);
  await expect(page.getByRole("heading", { level: 1, name: "Triggered Alarms" })).toBeVisible();
  const alarms = page.getByRole("table", { name: "Triggered alarms" });
  const row = alarms.getByRole("row").filter({ has: page.getByRole("link", { name: DATASTORE }) });
  await expect(row).toContainText("Datastore usage on disk");
  await expect(row).toContainText("Warning");
  await expect(row).toContainText("Disk space used 90 %");
  await expect(row.getByRole("link", { name: DATASTORE })).toHaveAttribute("href", `/objects/${datastoreUid}/monitor?view=alarms`);

  // Filters live in the URL: not critical, and not yet acknowledged.
  await choose(page, "Severity", "Critical");
  await expect(page).toHaveURL(/severity=critical/);
  await expect(row).toHaveCount(0);
  await choose(page, "Severity", "Warning");
  await expect(row).toBeVisible();
  await choose(page, "Acknowledged", "Not acknowledged");
  await expect(page).toHaveURL(/severity=warning&acknowledged=no/);
  await expect(row).toBeVisible();
  await screenshotBothThemes(page, "triggered-alarms");

  await row.getByRole("button", { name: "Acknowledge" }).click();
  await expect(row).toHaveCount(0);
  await choose(page, "Acknowledged", "Acknowledged");
  await expect(row).toContainText("By admin");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/alarms\?$|\/alarms$/);

  // A developer sees the alarm only where their namespaces reach: dev owns web-team on
  // prod-cluster-01, dana's namespaces are on other clusters. Neither may acknowledge.
  for (const [username, sees] of [["dev", true], ["dana", false]] as const) {
    const context = await browser.newContext();
    const developer = await context.newPage();
    await signIn(developer, username);
    await developer.goto("/alarms");
    const table = developer.getByRole("table", { name: "Triggered alarms" });
    await expect(table).toBeVisible();
    await expect(table.getByRole("link", { name: DATASTORE })).toHaveCount(sees ? 1 : 0);
    await expect(table.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);
    await context.close();
  }

  // Freeing the space clears the alarm, live.
  await deleteVirtualMachine(ADMIN, { namespace: "web-team", name: VM }, pool);
  await expect(row).toHaveCount(0, { timeout: 30_000 });
  await page.goto(`/objects/${datastoreUid}`);
  await expect(page.getByText("60 GiB used of 100 GiB")).toBeVisible({ timeout: 30_000 });
  await page.goto(`/objects/${datastoreUid}/monitor?view=alarms`);
  await expect(page.getByRole("table", { name: "Alarm history" })).toContainText(`Alarm 'Datastore usage on disk' on ${DATASTORE} changed from Warning to Normal`);
});

test("Administration deletes a definition it added, with confirmation, and its triggered alarms go; each change is an audit event", async ({ page }) => {
  test.setTimeout(90_000);
  const definition = `E2E maintenance hosts ${RUN}`;
  await signIn(page, "admin");
  await page.goto("/admin/alarms");
  const definitions = page.getByRole("table", { name: "Alarm definitions" });
  // Built-in definitions can be disabled but not deleted.
  await expect(definitions.getByRole("button", { name: "Delete Host connection lost: built in, disable it instead" })).toBeDisabled();

  await page.getByRole("button", { name: "New Alarm Definition" }).click();
  const dialog = page.getByRole("dialog", { name: "New Alarm Definition" });
  await dialog.getByLabel("Name").fill(definition);
  await choose(page, "Object type", "Datastore");
  await choose(page, "Metric or state", "Disk space used (%)");
  await dialog.getByLabel("Warning at (%)").fill("1");
  await dialog.getByLabel("Critical at (%)").fill("");
  await dialog.getByLabel("For at least (seconds)").fill("0");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const row = definitions.getByRole("row").filter({ hasText: definition });
  await expect(row).toContainText("Enabled");

  await row.getByRole("button", { name: `Disable ${definition}` }).click();
  await expect(row).toContainText("Disabled");
  await row.getByRole("button", { name: `Enable ${definition}` }).click();
  await expect(row).toContainText("Enabled");

  // Every datastore is above 1 %: the definition triggers on the demo's vSAN datastores.
  await expect.poll(async () => (await pool.query(`SELECT count(*)::int AS n FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = $1 AND s.status = 'yellow'`, [definition])).rows[0].n, { timeout: 20_000 }).toBeGreaterThan(0);
  await page.reload();
  await expect(row.getByRole("cell").nth(4)).not.toHaveText("0");

  await row.getByRole("button", { name: `Delete ${definition}` }).click();
  const confirm = page.getByRole("alertdialog", { name: `Delete alarm definition ${definition}?` });
  await expect(confirm).toContainText("triggered alarm");
  await screenshotBothThemes(page, "alarm-definition-delete");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  await expect.poll(async () => (await pool.query(`SELECT count(*)::int AS n FROM alarm_states s WHERE s.message LIKE 'Disk space used%' AND NOT EXISTS (SELECT 1 FROM alarm_definitions d WHERE d.id = s.definition_id)`)).rows[0].n).toBe(0);
  await page.goto("/alarms");
  await expect(page.getByRole("table", { name: "Triggered alarms" }).getByRole("row").filter({ hasText: definition })).toHaveCount(0);

  // The Events view lists who changed the definition and how, newest first.
  await page.goto(`/events?object=${encodeURIComponent(definition)}`);
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.getByRole("row").nth(1)).toContainText(`admin deleted alarm definition '${definition}'`);
  for (const message of [`admin created alarm definition '${definition}'`, `admin disabled alarm definition '${definition}'`, `admin enabled alarm definition '${definition}'`]) {
    await expect(events.getByRole("row").filter({ hasText: message })).toHaveCount(1);
  }
  await screenshotBothThemes(page, "alarm-definition-events");
});
