// Every page of the console renders on the server and hydrates in the browser without React
// complaining that the two differ: a hydration mismatch throws the server's HTML away (the page
// flickers and loses focus) and hides real bugs. Production React reports one as a minified error
// (#418, #423, #425) through window.reportError; development React names it.
import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

const HYDRATION_PROBLEM = /hydrat|Minified React error #(418|419|423|425)|react\.dev\/errors\/(418|419|423|425)/i;

function collectHydrationProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (HYDRATION_PROBLEM.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => {
    if (HYDRATION_PROBLEM.test(`${error.message}\n${error.stack ?? ""}`)) problems.push(`${page.url()}: ${error.message}`);
  });
  return problems;
}

async function objectPages(): Promise<string[]> {
  const pool = openE2eDatabase();
  try {
    const { rows } = await pool.query<{ uid: string; kind: string }>(
      `SELECT DISTINCT ON (kind) uid, kind FROM resources
        WHERE kind IN ('Datacenter', 'Cluster', 'Host', 'VirtualMachine', 'Datastore', 'Network', 'Namespace') AND deletion_timestamp IS NULL
        ORDER BY kind, name`,
    );
    const task = (await pool.query<{ id: string }>("SELECT id::text FROM tasks ORDER BY queued_at LIMIT 1")).rows[0];
    return [...(task ? [`/tasks/${task.id}`] : []), ...rows.flatMap(({ uid, kind }) => [
      `/objects/${uid}`,
      `/objects/${uid}/monitor`,
      ...(["Cluster", "Host", "VirtualMachine"].includes(kind) ? [`/objects/${uid}/configure`] : []),
      ...(kind === "Namespace" ? [`/objects/${uid}/permissions`] : []),
      `/objects/${uid}/yaml`,
    ])];
  } finally {
    await pool.end();
  }
}

const CONSOLE_PAGES = ["/", "/vms", "/events", "/tasks", "/tasks?status=failed", "/alarms", "/library", "/search?q=web", "/profile", "/namespaces/new"];
const ADMIN_PAGES = ["/admin/users", "/admin/groups", "/admin/namespaces", "/admin/self-service", "/admin/alarms", "/admin/extensions"];

test("no page of the console has a hydration error, for an administrator or a developer", async ({ page }) => {
  test.setTimeout(240_000);
  const problems = collectHydrationProblems(page);
  await page.goto("/login");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();

  await signIn(page, "admin");
  const pages = [...CONSOLE_PAGES, ...ADMIN_PAGES, ...(await objectPages())];
  for (const path of pages) {
    await page.goto(path);
    // Hydrated: the header's user menu answers a click only once React runs in the browser.
    await page.getByRole("button", { name: "User menu for admin" }).click();
    await page.keyboard.press("Escape");
  }

  await page.context().clearCookies();
  await signIn(page, "dev");
  for (const path of CONSOLE_PAGES) {
    await page.goto(path);
    await page.getByRole("button", { name: "User menu for dev" }).click();
    await page.keyboard.press("Escape");
  }
  expect(problems).toEqual([]);
});
