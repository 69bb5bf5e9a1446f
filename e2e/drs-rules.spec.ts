import pg from "pg";
import type { Page } from "@playwright/test";
import { configureDrs } from "@/lib/engine/operations/cluster-operations";
import { configureDrsRules, configureVmOverrides } from "@/lib/engine/operations/cluster-rule-operations";
import { enterMaintenanceMode, exitMaintenanceMode } from "@/lib/engine/operations/host-operations";
import { migrateVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

// edge-cluster-01 (three hosts, namespace ml-team): two running VMs on different hosts, every
// other VM on the third, so that without a rule the first VM would leave a host in maintenance
// mode for the second VM's (emptier) host. DRS is manual meanwhile, so only the rule decides.
const CLUSTER = "edge-cluster-01";
const NAMESPACE = "ml-team";
const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const SHOTS = "/tmp/drs-shots";

let pool: pg.Pool;
test.beforeAll(async () => {
  pool = openE2eDatabase();
  await configureDrs(ADMIN, { name: CLUSTER, drs: { enabled: true, automationLevel: "manual", migrationThreshold: 3 } }, pool);
});
test.afterAll(async () => {
  const generation = async () => (await pool.query<{ generation: number }>(`SELECT generation::int FROM resources WHERE kind = 'Cluster' AND name = $1`, [CLUSTER])).rows[0]!.generation;
  await configureDrsRules(ADMIN, { name: CLUSTER, rules: [], expectedGeneration: await generation() }, pool);
  await configureVmOverrides(ADMIN, { name: CLUSTER, overrides: [], expectedGeneration: await generation() }, pool);
  await configureDrs(ADMIN, { name: CLUSTER, drs: { enabled: true, automationLevel: "fullyAutomated", migrationThreshold: 3 } }, pool);
  await pool.end();
});

async function hostsOf(names: string[]): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ name: string; host: string }>(
    `SELECT name, status->>'host' AS host FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = ANY($2::text[]) AND status->'migration' IS NULL`,
    [NAMESPACE, names],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.host]));
}

async function screenshots(page: Page, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await page.screenshot({ path: `${SHOTS}/${name}-${scheme}.png`, animations: "disabled" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** Searches the picker and ticks the VM. */
async function chooseVm(page: Page, picker: string, vm: string) {
  await page.getByLabel(picker).fill(vm);
  await page.getByRole("group", { name: "VMs in the cluster" }).getByRole("checkbox", { name: `${vm} (${NAMESPACE})`, exact: true }).check();
}

test("an anti-affinity rule made in Configure › VM/Host Rules keeps two VMs apart when their host enters maintenance mode", async ({ page }) => {
  test.setTimeout(120_000);
  const { rows: hosts } = await pool.query<{ name: string }>(`SELECT name FROM resources WHERE kind = 'Host' AND spec->>'cluster' = $1 ORDER BY name`, [CLUSTER]);
  const [first, second, third] = hosts.map((host) => host.name) as [string, string, string];
  const { rows: vms } = await pool.query<{ name: string }>(
    `SELECT name FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND spec->>'powerState' = 'PoweredOn' ORDER BY name`,
    [NAMESPACE],
  );
  const [a, b, ...others] = vms.map((vm) => vm.name) as [string, string, ...string[]];
  await migrateVirtualMachine(ADMIN, { namespace: NAMESPACE, name: a, host: first }, pool);
  await migrateVirtualMachine(ADMIN, { namespace: NAMESPACE, name: b, host: second }, pool);
  for (const vm of others) await migrateVirtualMachine(ADMIN, { namespace: NAMESPACE, name: vm, host: third }, pool);
  await expect(async () => expect(await hostsOf([a, b])).toEqual({ [a]: first, [b]: second })).toPass({ timeout: 30_000 });

  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, "admin");
  const { rows: cluster } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Cluster' AND name = $1`, [CLUSTER]);
  await page.goto(`/objects/${cluster[0]!.uid}/configure?section=rules`);
  const rules = page.getByRole("table", { name: "VM/Host Rules" });
  await expect(rules).toContainText("No rules.");

  // A VM–VM rule needs two VMs: the form says so before anything is sent.
  await page.getByRole("button", { name: "Add Rule" }).click();
  const dialog = page.getByRole("dialog", { name: "Create VM/Host Rule" });
  await dialog.getByLabel("Name").fill("keep-apart");
  await chooseVm(page, "Members", a);
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog.getByText("Members must include at least 2 VMs")).toBeVisible();
  await chooseVm(page, "Members", b);
  await expect(dialog.getByRole("list", { name: "Chosen VMs" })).toContainText(`${a} (${NAMESPACE})${b} (${NAMESPACE})`);
  await screenshots(page, "rule-dialog");
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(page.getByText("Rule keep-apart saved")).toBeVisible();
  await expect(dialog).toBeHidden();

  const row = rules.getByRole("row", { name: "keep-apart" });
  await expect(row).toContainText("Separate Virtual Machines");
  await expect(row).toContainText(`${a} (${NAMESPACE})`);
  await expect(row).toContainText(`${b} (${NAMESPACE})`);
  await expect(row).toContainText("Kept");
  await screenshots(page, "rules-table");

  // The engine's refusal comes back beside its field: rule names are unique.
  await page.getByRole("button", { name: "Add Rule" }).click();
  await dialog.getByLabel("Name").fill("keep-apart");
  await chooseVm(page, "Members", a);
  await chooseVm(page, "Members", b);
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog.getByText(`Rule "keep-apart": a rule with this name already exists in ${CLUSTER}; rule names must be unique.`)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Someone else changes the rules while Edit is open: OK is refused as a conflict, and Reload shows their change.
  await page.getByRole("button", { name: "Edit rule keep-apart" }).click();
  const editDialog = page.getByRole("dialog", { name: "Edit VM/Host Rule keep-apart" });
  await editDialog.getByLabel("Enable rule").uncheck();
  const { rows: opened } = await pool.query<{ generation: number; rules: unknown[] }>(`SELECT generation::int, spec->'rules' AS rules FROM resources WHERE kind = 'Cluster' AND name = $1`, [CLUSTER]);
  const renamed = (opened[0]!.rules as { name: string }[]).map((rule) => ({ ...rule, name: "keep-apart", enabled: true, vms: [a, b].map((vm) => `${NAMESPACE}/${vm}`), type: "antiAffinity" as const }));
  await configureDrsRules(ADMIN, { name: CLUSTER, rules: [...renamed, { name: "someone-else", enabled: true, type: "antiAffinity", vms: [b, ...others.slice(0, 1)].map((vm) => `${NAMESPACE}/${vm}`) }], expectedGeneration: opened[0]!.generation }, pool);
  await editDialog.getByRole("button", { name: "OK" }).click();
  await expect(editDialog.getByText("Changed by someone else", { exact: true })).toBeVisible();
  await screenshots(page, "rule-conflict");
  await editDialog.getByRole("button", { name: "Reload" }).click();
  await expect(editDialog.getByLabel("Enable rule")).toBeChecked();
  await editDialog.getByRole("button", { name: "Cancel" }).click();
  await expect(rules.getByRole("row", { name: "someone-else" })).toBeVisible();
  await page.getByRole("button", { name: "Delete rule someone-else" }).click();
  await page.getByRole("alertdialog", { name: "Delete rule someone-else?" }).getByRole("button", { name: "Delete" }).click();
  await expect(rules.getByRole("row", { name: "someone-else" })).toBeHidden();

  // Migrate offers a every host but b's, which it names the rule for.
  const { rows: vmRow } = await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = $2`, [NAMESPACE, a]);
  await page.goto(`/objects/${vmRow[0]!.uid}`);
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: /^Migrate/ }).click();
  const migrate = page.getByRole("dialog", { name: `Migrate ${a}` });
  const hostRows = migrate.getByRole("table", { name: "Hosts" });
  await expect(hostRows.getByRole("row", { name: new RegExp(`${second.replace(/\./g, "\\.")}.*Violates rule "keep-apart" \\(Separate Virtual Machines\\)`) })).toBeVisible();
  await expect(migrate.getByRole("radio", { name: second })).toBeDisabled();
  await expect(migrate.getByRole("radio", { name: third })).toBeEnabled();
  await screenshots(page, "migrate-violates-rule");
  await page.keyboard.press("Escape");
  await page.goto(`/objects/${cluster[0]!.uid}/configure?section=rules`);

  // Maintenance mode on a's host: the emptiest other host runs b, so the rule sends a to the third.
  await enterMaintenanceMode(ADMIN, { name: first }, pool);
  await expect(async () => {
    const where = await hostsOf([a, b]);
    expect(where).toEqual({ [a]: third, [b]: second });
  }).toPass({ timeout: 45_000 });
  await expect(row).toContainText("Kept");
  await exitMaintenanceMode(ADMIN, { name: first }, pool);

  // VM Overrides: a's DRS automation disabled and its restart priority high.
  await page.getByRole("navigation", { name: "Configure" }).getByRole("link", { name: "VM Overrides" }).click();
  await page.getByRole("button", { name: "Add VM Override" }).click();
  const override = page.getByRole("dialog", { name: "Add VM Override" });
  await page.getByLabel("Virtual machine").fill(a);
  await override.getByRole("radio", { name: `${a} (${NAMESPACE})`, exact: true }).check();
  await override.getByLabel("DRS automation level").click();
  await page.getByRole("option", { name: "Disabled", exact: true }).click();
  await override.getByLabel("VM restart priority").click();
  await page.getByRole("option", { name: "High", exact: true }).click();
  await screenshots(page, "override-dialog");
  await override.getByRole("button", { name: "OK" }).click();
  await expect(page.getByText(`Override of ${NAMESPACE}/${a} saved`)).toBeVisible();
  const overrideRow = page.getByRole("table", { name: "VM Overrides" }).getByRole("row", { name: `${NAMESPACE}/${a}` });
  await expect(overrideRow).toContainText("Disabled");
  await expect(overrideRow).toContainText("High");
  await screenshots(page, "overrides-table");

  // Delete asks first, then the rule is gone from the table and from the cluster's spec.
  await page.getByRole("navigation", { name: "Configure" }).getByRole("link", { name: "VM/Host Rules" }).click();
  await page.getByRole("button", { name: "Delete rule keep-apart" }).click();
  await page.getByRole("alertdialog", { name: "Delete rule keep-apart?" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("Rule keep-apart deleted")).toBeVisible();
  await expect(rules).toContainText("No rules.");
  const { rows: spec } = await pool.query<{ rules: unknown[] }>(`SELECT spec->'rules' AS rules FROM resources WHERE kind = 'Cluster' AND name = $1`, [CLUSTER]);
  expect(spec[0]!.rules).toEqual([]);

  // A VM–Host rule's dialog: the VM group beside its policy and host group.
  await page.getByRole("button", { name: "Add Rule" }).click();
  await dialog.getByLabel("Type").click();
  await page.getByRole("option", { name: "Virtual Machines to Hosts" }).click();
  await chooseVm(page, "VM group", a);
  await page.getByLabel("Host group").fill(first);
  await dialog.getByRole("group", { name: "Hosts in the cluster" }).getByRole("checkbox", { name: first }).check();
  await screenshots(page, "vm-host-rule-dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // A rule the running VMs break (a and b run on two hosts, DRS is manual): the table says so, and the cluster's alarm is raised.
  const { rows: current } = await pool.query<{ generation: number }>(`SELECT generation::int FROM resources WHERE kind = 'Cluster' AND name = $1`, [CLUSTER]);
  await configureDrsRules(ADMIN, { name: CLUSTER, rules: [{ name: "together", enabled: true, type: "affinity", vms: [a, b].map((vm) => `${NAMESPACE}/${vm}`) }], expectedGeneration: current[0]!.generation }, pool);
  await expect(rules.getByRole("row", { name: "together" })).toContainText("Violated");
  await expect(page.getByRole("status").filter({ hasText: 'Rule "together" (Keep Virtual Machines Together) is violated' })).toBeVisible();
  await expect(async () => {
    const { rows: alarms } = await pool.query(`SELECT 1 FROM alarm_states s JOIN alarm_definitions d ON d.id = s.definition_id WHERE d.name = 'VM/Host rule violated' AND s.object_name = $1 AND s.status = 'yellow'`, [CLUSTER]);
    expect(alarms).toHaveLength(1);
  }).toPass({ timeout: 15_000 });
  await screenshots(page, "rules-violated");
});
