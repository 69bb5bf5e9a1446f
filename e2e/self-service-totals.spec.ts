// A self-service template's total per user, end to end: an administrator sets it in Administration ›
// Self-Service beside the maxima (a total below the default is refused beside its field); dana's New
// Namespace form says how much of it she has used, and refuses the namespace that would pass it,
// beside the limit it concerns. The template is put back and dana's namespace deleted afterwards.
import type { Page } from "@playwright/test";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, screenshotBothThemes, signIn, test } from "./fixtures";

const CLUSTER = "dev-cluster-01";
const NAMESPACE = "totals-e2e";
const pool = openE2eDatabase();
test.afterAll(async () => {
  await pool.query(`UPDATE namespace_templates SET per_user_cpu = 64 WHERE cluster = $1`, [CLUSTER]);
  await pool.end();
});

async function editTemplate(page: Page) {
  await page.goto("/admin/self-service");
  const card = page.getByRole("region", { name: new RegExp(`^${CLUSTER}`) });
  await card.getByRole("button", { name: "Edit" }).click();
  const form = card.getByRole("form", { name: `Self-service template of ${CLUSTER}` });
  return { card, form, totals: form.getByRole("group", { name: "Total per user" }) };
}

test("an administrator sets a total per user, and a developer's New Namespace shows what she has used of it and refuses a namespace beyond it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const { rows } = await pool.query<{ cpu: number }>(
    `SELECT COALESCE(sum((n.spec->'limits'->>'cpu')::int), 0)::int AS cpu
       FROM self_served_namespaces s JOIN resources n ON n.uid = s.namespace_uid JOIN users u ON u.id = s.user_id
      WHERE u.username = 'dana' AND s.cluster = $1`,
    [CLUSTER],
  );
  const usedBefore = rows[0]!.cpu;

  // The administrator's editor: the totals sit beside the defaults and maxima.
  await signIn(page, "admin");
  const { card, form, totals } = await editTemplate(page);
  await expect(totals.getByLabel("CPU total (vCPUs)")).toHaveValue("64");
  await expect(totals.getByLabel("Memory total (GiB)")).toHaveValue("256");
  await expect(totals.getByLabel("Storage total (GiB)")).toHaveValue("2000");
  await totals.getByLabel("CPU total (vCPUs)").fill("4");
  await form.getByRole("button", { name: "Save Template" }).click();
  await expect(totals.getByText("CPU total per user (4) is below the default (8): no one could create a namespace with the defaults.")).toBeVisible();
  await form.getByRole("heading", { name: "Default limits" }).evaluate((heading) => heading.scrollIntoView({ block: "start" }));
  await screenshotBothThemes(page, "self-service-template-totals");
  const total = usedBefore + 16;
  await totals.getByLabel("CPU total (vCPUs)").fill(String(total));
  await form.getByRole("button", { name: "Save Template" }).click();
  await expect(card).toContainText(`All of one user's namespaces: ${total} vCPU, 256 GiB memory, 2000 GiB storage in total.`);

  // dana's New Namespace: what she has used of her total, before and after a namespace of 12 vCPUs.
  const dana = await pageAs(browser, "dana");
  await dana.goto("/namespaces/new");
  const yours = dana.getByRole("group", { name: `Your total on ${CLUSTER}` });
  await expect(yours).toContainText(`CPU: you have used ${usedBefore} of your ${total} vCPU`);
  const newNamespace = dana.getByRole("form", { name: "New Namespace" });
  await newNamespace.getByLabel("Name").fill(NAMESPACE);
  await newNamespace.getByLabel("CPU limit (vCPUs)").fill("12");
  await newNamespace.getByRole("button", { name: "Create Namespace" }).click();
  await expect(dana.getByRole("heading", { level: 1, name: NAMESPACE })).toBeVisible();
  const namespaceUrl = dana.url();

  await dana.goto("/namespaces/new");
  await expect(yours).toContainText(`CPU: you have used ${usedBefore + 12} of your ${total} vCPU`);
  await newNamespace.getByLabel("Name").fill(`${NAMESPACE}-2`);
  await newNamespace.getByRole("button", { name: "Create Namespace" }).click();
  await expect(newNamespace.getByText(`CPU limit is over your total on ${CLUSTER}: you have used ${usedBefore + 12} of your ${total} vCPUs and this namespace asks for 8 vCPUs.`)).toBeVisible();
  await screenshotBothThemes(dana, "self-service-your-total");
  const { rows: refused } = await pool.query(`SELECT 1 FROM resources WHERE kind = 'Namespace' AND name = $1`, [`${NAMESPACE}-2`]);
  expect(refused).toHaveLength(0);

  // Put things back: the demo's total, and dana's namespace deleted.
  const again = await editTemplate(page);
  await again.totals.getByLabel("CPU total (vCPUs)").fill("64");
  await again.form.getByRole("button", { name: "Save Template" }).click();
  await expect(again.card).toContainText("All of one user's namespaces: 64 vCPU, 256 GiB memory, 2000 GiB storage in total.");
  await page.goto(namespaceUrl);
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Delete Namespace…" }).click();
  await page.getByRole("alertdialog", { name: `Delete namespace ${NAMESPACE}?` }).getByRole("button", { name: "Delete Namespace" }).click();
  await expect.poll(async () => (await pool.query(`SELECT 1 FROM resources WHERE kind = 'Namespace' AND name = $1`, [NAMESPACE])).rowCount, { timeout: 30_000 }).toBe(0);
});
