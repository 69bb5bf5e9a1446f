import { readFileSync } from "node:fs";
import pg from "pg";
import { createTask, finishTasks, progressTasks, recordEvent } from "@/lib/engine/activity";
import type { Kind } from "@/lib/inventory/kinds";
import { SECOND_APP_URL } from "../playwright.config";
import { readCsv } from "../lib/testing/read-csv";
import { openE2eDatabase } from "./e2e-database";
import { recover, simulateFailure } from "./host-failures";
import { expect, PASSWORDS, signIn, test } from "./fixtures";
import type { Browser, Page } from "@playwright/test";

// The e2e database, shared by both app processes; read here to find objects and to write tasks.
let pool: pg.Pool;
test.beforeAll(() => {
  pool = openE2eDatabase();
});
test.afterAll(() => pool.end());

async function objectByName(kind: Kind, name: string) {
  const { rows } = await pool.query<{ uid: string; kind: Kind; namespace: string; name: string }>(
    "SELECT uid::text, kind, namespace, name FROM resources WHERE kind = $1 AND name = $2",
    [kind, name],
  );
  return rows[0]!;
}

async function signedInPage(browser: Browser, username: string, baseURL?: string): Promise<Page> {
  const page = await (await browser.newContext(baseURL ? { baseURL } : {})).newPage();
  await signIn(page, username, PASSWORDS[username]);
  return page;
}

/** Any full reload of the page clears this mark. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { skylightNotReloaded: true }));
const stillSamePage = (page: Page) => page.evaluate(() => "skylightNotReloaded" in window);

test("a task started in a second browser context appears and completes in the first without reload", async ({ page, browser }) => {
  await signIn(page, "admin");
  await markPage(page);
  const tasks = page.getByRole("region", { name: "Recent Tasks" });

  const other = await signedInPage(browser, "admin");
  const host = await objectByName("Host", "esx-10.seattle.lab");
  await other.goto(`/objects/${host.uid}`);
  await simulateFailure(other);
  await expect(tasks.getByRole("row", { name: /Simulate failure of host esx-10\.seattle\.lab.*Completed.*admin/ })).toBeVisible();

  // The engine notices the silent host and vSphere HA restarts its VMs: tasks that queue, run and
  // complete while the first page just watches.
  await expect(tasks.getByRole("row", { name: /vSphere HA restarted virtual machine.*Completed/ }).first()).toBeVisible({ timeout: 20_000 });

  await recover(other);
  await expect(tasks.getByRole("row", { name: /Recover simulated host esx-10\.seattle\.lab.*Completed/ })).toBeVisible();
  expect(await stillSamePage(page)).toBe(true);
});

test("a task started through one app process is seen live through the other; My tasks shows only mine", async ({ page, browser }) => {
  await signIn(page, "olivia");
  await markPage(page);
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("radio", { name: "All tasks" })).toHaveAttribute("aria-checked", "true");

  const other = await signedInPage(browser, "admin", SECOND_APP_URL);
  const datastore = await objectByName("Datastore", "edge-cluster-01-vsan");
  await other.goto(`/objects/${datastore.uid}`);
  const started = Date.now();
  await other.getByRole("button", { name: "Actions" }).click();
  await other.getByRole("menuitem", { name: "Refresh Capacity Information" }).click();
  const row = tasks.getByRole("row", { name: /Refresh capacity information of edge-cluster-01-vsan.*Completed.*admin/ });
  await expect(row).toBeVisible();
  console.log(`process B's task reached process A's Recent Tasks in ${Date.now() - started} ms (click to row)`);

  await tasks.getByRole("radio", { name: "My tasks" }).click();
  await expect(row).toBeHidden();
  // Other specs may have left olivia's own tasks; whatever shows now is hers.
  await expect(tasks.getByRole("row").filter({ hasText: "admin" })).toHaveCount(0);
  for (const initiator of await tasks.locator("tbody tr td:nth-child(4)").allTextContents()) expect(initiator).toBe("olivia");
  await tasks.getByRole("radio", { name: "All tasks" }).click();
  await expect(row).toBeVisible();
  expect(await stillSamePage(page)).toBe(true);
});

test("Recent Tasks shows progress and errors live, and each task has a page with its events", async ({ page }) => {
  // Tasks written straight through the engine's activity functions (as its controllers write
  // them): the pane's states on cue, without waiting on the simulator's timing.
  const network = await objectByName("Network", "dc-boston-vlan-120");
  const host = await objectByName("Host", "esx-05.boston.lab");
  await createTask(pool, { operation: "Network.update", description: "Update network dc-boston-vm-network", target: await objectByName("Network", "dc-boston-vm-network"), initiator: "admin", state: "success" });
  const failed = await createTask(pool, { operation: "Host.enterMaintenanceMode", description: "Enter maintenance mode on esx-05.boston.lab", target: host, initiator: "olivia" });
  await recordEvent(pool, { reason: "Host.enterMaintenanceMode", message: "olivia asked esx-05.boston.lab to enter maintenance mode", object: host, actor: "olivia", taskId: failed });
  const error = "The other hosts of prod-cluster-01 lack memory for 3 powered-on VMs (96 GiB needed, 40 GiB free); no VM was moved.";
  await finishTasks(pool, [failed], { error });
  await recordEvent(pool, { reason: "Host.maintenanceRefused", message: error, object: host, severity: "warning", taskId: failed });

  await signIn(page, "admin");
  await markPage(page);
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  const running = await createTask(pool, { operation: "Network.update", description: "Update network dc-boston-vlan-120", target: network, initiator: "admin" });
  await progressTasks(pool, [running], 40, "Reconfiguring port groups: 2 of 5 hosts");
  const runningRow = tasks.getByRole("row", { name: /Update network dc-boston-vlan-120/ });
  await expect(runningRow.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "40");
  await expect(runningRow).toContainText("Reconfiguring port groups: 2 of 5 hosts");
  const failedRow = tasks.getByRole("row", { name: /Enter maintenance mode on esx-05\.boston\.lab/ });
  await expect(failedRow).toContainText("Failed");
  await expect(failedRow).toContainText("lack memory for 3 powered-on VMs");
  await expect(tasks.getByRole("row", { name: /Update network dc-boston-vm-network.*Completed/ })).toBeVisible();

  for (const theme of ["Light", "Dark"] as const) {
    await page.getByRole("button", { name: "User menu for admin" }).click();
    await page.getByRole("menuitemradio", { name: theme }).click();
    await page.keyboard.press("Escape");
    await expect(page.locator("html")).toHaveClass(new RegExp(theme.toLowerCase()));
    await failedRow.getByText("lack memory", { exact: false }).hover();
    await expect(page.getByRole("tooltip")).toContainText("96 GiB needed");
    await page.screenshot({ path: `test-results/screenshots/recent-tasks-${theme.toLowerCase()}.png` });
    await page.keyboard.press("Escape");
    await expect(page.getByRole("tooltip")).toBeHidden();
    await tasks.screenshot({ path: `test-results/screenshots/recent-tasks-pane-${theme.toLowerCase()}.png` });
  }

  // The failed task's page: its facts, its error in words, and its events.
  await failedRow.getByRole("link", { name: "Enter maintenance mode on esx-05.boston.lab" }).click();
  await expect(page.getByRole("heading", { name: "Enter maintenance mode on esx-05.boston.lab" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "The task failed" })).toContainText(error);
  const events = page.getByRole("table", { name: "Events" });
  await expect(events.getByRole("row", { name: /olivia asked esx-05\.boston\.lab to enter maintenance mode.*olivia/ })).toBeVisible();
  await expect(events.getByRole("row", { name: /lack memory for 3 powered-on VMs/ })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "esx-05.boston.lab" })).toHaveAttribute("href", `/objects/${host.uid}`);
  await page.screenshot({ path: "test-results/screenshots/task-page-dark.png" });

  // The running task's page moves with the task, then completes, without a reload.
  await page.goto(`/tasks/${running}`);
  await markPage(page);
  await expect(page.getByRole("main").getByRole("progressbar")).toHaveAttribute("aria-valuenow", "40");
  await progressTasks(pool, [running], 75, "Reconfiguring port groups: 4 of 5 hosts");
  await expect(page.getByRole("main").getByRole("progressbar")).toHaveAttribute("aria-valuenow", "75");
  await expect(page.getByRole("main").getByText("Reconfiguring port groups: 4 of 5 hosts")).toBeVisible();
  await page.getByRole("button", { name: "User menu for admin" }).click();
  await page.getByRole("menuitemradio", { name: "Light" }).click();
  await page.keyboard.press("Escape");
  await page.screenshot({ path: "test-results/screenshots/task-page-light.png" });
  await finishTasks(pool, [running]);
  await expect(page.getByRole("main").getByText("Completed", { exact: true })).toBeVisible();
  await expect(tasks.getByRole("row", { name: /Update network dc-boston-vlan-120.*Completed/ })).toBeVisible();
  expect(await stillSamePage(page)).toBe(true);

  await page.goto("/tasks/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("heading", { name: "No such task" })).toBeVisible();
});

test("an object's header follows its running task's progress line and drops it the moment the task completes, without a reload", async ({ page }) => {
  const network = await objectByName("Network", "dc-seattle-vlan-120");
  await signIn(page, "admin");
  await page.goto(`/objects/${network.uid}`);
  await markPage(page);
  const line = page.getByRole("status").filter({ hasText: "Reconfiguring port groups" });
  const running = await createTask(pool, { operation: "Network.update", description: "Update network dc-seattle-vlan-120", target: network, initiator: "admin" });
  await progressTasks(pool, [running], 30, "Reconfiguring port groups: 1 of 3 hosts");
  await expect(line).toContainText("Reconfiguring port groups: 1 of 3 hosts");
  // Progress and completion arrive back to back, as a fast task's do: the line must not be left behind.
  await progressTasks(pool, [running], 90, "Reconfiguring port groups: 3 of 3 hosts");
  await finishTasks(pool, [running]);
  await expect(line).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Recent Tasks" }).getByRole("row", { name: /Update network dc-seattle-vlan-120.*Completed/ })).toBeVisible();
  // Still gone a few seconds later, when any refetch under way has settled.
  await page.waitForTimeout(2_500);
  await expect(line).toHaveCount(0);
  expect(await stillSamePage(page)).toBe(true);
});

test("More Tasks opens every task: filtered by status and target, live, exported as CSV; a developer sees only their namespaces'", async ({ page, browser }) => {
  const vmIn = async (namespace: string, name: string) =>
    (await pool.query<{ uid: string; kind: Kind; namespace: string; name: string }>(`SELECT uid::text, kind, namespace, name FROM resources WHERE kind = 'VirtualMachine' AND namespace = $1 AND name = $2`, [namespace, name])).rows[0]!;
  const web = await vmIn("web-team", "web-01");
  const db = await vmIn("ml-team", "db-03");
  const failWith = async (target: Awaited<ReturnType<typeof objectByName>>, description: string, error: string) => {
    const id = await createTask(pool, { operation: "VirtualMachine.reconfigure", description, target, initiator: "olivia" });
    await finishTasks(pool, [id], { error });
  };
  await failWith(web, "Reconfigure virtual machine web-01", "Tasks view probe: the datastore is full");
  await failWith(db, "Reconfigure virtual machine db-03", "Tasks view probe: another team's task");

  await signIn(page, "admin");
  await page.getByRole("region", { name: "Recent Tasks" }).getByRole("link", { name: "More Tasks" }).click();
  await expect(page.getByRole("heading", { name: "Tasks", level: 1 })).toBeVisible();
  await page.getByRole("combobox", { name: "Status" }).click();
  await page.getByRole("option", { name: "Failed" }).click();
  await expect(page).toHaveURL(/status=failed/);
  const table = page.getByRole("table", { name: "Tasks" });
  const row = table.getByRole("row", { name: /Reconfigure virtual machine web-01/ });
  await expect(row).toContainText("the datastore is full");
  await expect(row.getByRole("link", { name: "web-team/web-01" })).toHaveAttribute("href", `/objects/${web.uid}`);
  await expect(table.locator("tbody").getByText("Completed", { exact: true })).toHaveCount(0);

  // A task that fails while the view is open appears without a reload.
  await markPage(page);
  await failWith(web, "Reconfigure virtual machine web-01 once more", "Tasks view probe: still full");
  await expect(table.getByRole("row", { name: /web-01 once more/ })).toBeVisible();
  expect(await stillSamePage(page)).toBe(true);

  await page.getByRole("textbox", { name: "Target name contains" }).fill("db-03");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/target=db-03/);
  await expect(table.getByRole("row", { name: /web-01/ })).toHaveCount(0);
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export" }).click()]);
  const [header, ...rows] = readCsv(readFileSync((await file.path())!, "utf8"));
  expect(header!.slice(0, 4)).toEqual(["Task Name", "Target Kind", "Target", "Status"]);
  expect(rows.map((cells) => [cells[0], cells[2], cells[3]])).toContainEqual(["Reconfigure virtual machine db-03", "ml-team/db-03", "error"]);
  expect(rows.every((cells) => cells[2] === "ml-team/db-03" && cells[3] === "error")).toBe(true);

  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByRole("combobox", { name: "Status" }).click();
  await page.getByRole("option", { name: "Failed" }).click();
  for (const theme of ["Dark", "Light"] as const) {
    await page.getByRole("button", { name: "User menu for admin" }).click();
    await page.getByRole("menuitemradio", { name: theme }).click();
    await page.keyboard.press("Escape");
    await page.screenshot({ path: `test-results/screenshots/tasks-view-${theme.toLowerCase()}.png` });
  }

  // A developer of web-team: web-01's tasks, never ml-team's.
  const developer = await signedInPage(browser, "dev");
  await developer.goto("/tasks?status=failed");
  const theirs = developer.getByRole("table", { name: "Tasks" });
  await expect(theirs.getByRole("row", { name: /Reconfigure virtual machine web-01/ }).first()).toBeVisible();
  await expect(theirs.getByRole("row", { name: /db-03/ })).toHaveCount(0);
  await developer.context().close();
});
