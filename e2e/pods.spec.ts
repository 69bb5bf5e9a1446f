// Pods in the console, as a namespace's owner meets them: dev opens web-team and finds its pods
// beside its VMs (Summary counts both; the Pods tab lists them as kubectl does, live as a new pod
// starts), opens a pod (containers, node, IP), reads its Logs (on a simulated host, the simulator's
// lines), and deletes it from its Actions. Pods are created through the engine, as kubectl would;
// only the pods this spec creates are touched.
import type { Page } from "@playwright/test";
import type pg from "pg";
import { createPod, deletePod } from "@/lib/engine/operations/pod-operations";
import { openE2eDatabase } from "./e2e-database";
import { expect, pageAs, signIn, test } from "./fixtures";

const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const RUN = Date.now().toString(36);
const FIRST = `web-${RUN}`;
const SECOND = `worker-${RUN}`;
const LOGGED = `logged-${RUN}`;
const IMAGE = "registry.local/web-team/busybox:1";

let pool: pg.Pool;
const podSpec = (container: string) => ({ containers: [{ name: container, image: IMAGE, command: ["sh", "-c", "echo hello; sleep 3600"], resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "500m", memory: "128Mi" } } }] });

test.beforeAll(async () => {
  pool = openE2eDatabase();
  await createPod(ADMIN, { namespace: "web-team", name: FIRST, labels: { app: "web" }, spec: podSpec("web") }, pool);
});

test.afterAll(async () => {
  for (const name of [FIRST, SECOND, LOGGED]) await deletePod(ADMIN, { namespace: "web-team", name }, pool).catch(() => undefined);
  await pool.end();
});

const namespaceUid = async () => (await pool.query<{ uid: string }>(`SELECT uid::text FROM resources WHERE kind = 'Namespace' AND name = 'web-team'`)).rows[0]!.uid;

const BOTH_SIZES = [[1440, 900], [1280, 800]] as const;

/** Light and dark screenshots, at 1440×900 and, for the densest pages, 1280×800 too. */
async function screenshots(page: Page, name: string, sizes: readonly (readonly [number, number])[] = [BOTH_SIZES[0]]) {
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
      await page.screenshot({ path: `test-results/screenshots/${name}-${width}-${scheme}.png`, animations: "disabled" });
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1440, height: 900 });
}

test("a namespace's pods beside its VMs, live; a pod's Summary and Logs; Delete", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "dev");
  const namespace = await namespaceUid();

  // The namespace's Summary counts its VMs and its pods side by side, and its tabs list each.
  await page.goto(`/objects/${namespace}`);
  const tabs = page.getByRole("navigation", { name: "Object tabs" });
  await expect(page.getByText(/^1 \(1 running\)$/)).toBeVisible();
  await expect(page.getByText(/^\d+ \(\d+ powered on\)$/)).toBeVisible();
  await screenshots(page, "namespace-summary-pods");

  await page.goto(`/objects/${namespace}/pods`);
  const table = page.getByRole("table");
  const first = table.getByRole("row").filter({ has: page.getByRole("link", { name: FIRST, exact: true }) });
  await expect(first.getByText("Running", { exact: true })).toBeVisible();
  await expect(first.getByText("1/1")).toBeVisible();
  await expect(first.getByText(/^10\.\d+\.\d+\.\d+$/)).toBeVisible();

  // A pod created meanwhile (kubectl run, another user) appears without a reload.
  await createPod(ADMIN, { namespace: "web-team", name: SECOND, spec: podSpec("worker") }, pool);
  const second = table.getByRole("row").filter({ has: page.getByRole("link", { name: SECOND, exact: true }) });
  await expect(second.getByText("Running", { exact: true })).toBeVisible();
  await screenshots(page, "namespace-pods", BOTH_SIZES);
  await expect(tabs.getByRole("link", { name: "VMs" })).toBeVisible();

  // The pod's page: its container, where it runs, and its log.
  await first.getByRole("link", { name: FIRST, exact: true }).click();
  await expect(page.getByRole("heading", { name: FIRST })).toBeVisible();
  const containers = page.getByRole("table", { name: "Containers" });
  await expect(containers.getByRole("row").filter({ hasText: "web" })).toContainText(IMAGE);
  await expect(containers).toContainText("cpu 100m, memory 64Mi");
  const node = (await pool.query<{ node: string }>(`SELECT spec->>'nodeName' AS node FROM resources WHERE kind = 'Pod' AND namespace = 'web-team' AND name = $1`, [FIRST])).rows[0]!.node;
  // A developer may not open hosts: the node is named, not linked into "not found".
  await expect(page.locator("dl").getByText(node, { exact: true })).toBeVisible();
  await expect(page.locator("dl").getByRole("link", { name: node })).toHaveCount(0);
  await screenshots(page, "pod-summary", BOTH_SIZES);

  await page.getByRole("navigation", { name: "Object tabs" }).getByRole("link", { name: "Logs" }).click();
  const log = page.getByRole("log", { name: "Log of container web" });
  await expect(log).toContainText(`simulated container web started from ${IMAGE} on simulated host ${node}`);
  await expect(page.getByRole("checkbox")).toBeDisabled();
  await screenshots(page, "pod-logs");

  // Actions › Delete asks first, then the pod leaves the namespace's list.
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Delete…" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Delete pod ${FIRST}?`);
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(new RegExp(`/objects/${namespace}/pods`));
  await expect(page.getByRole("link", { name: FIRST, exact: true })).toHaveCount(0);
  await expect(page.getByRole("link", { name: SECOND, exact: true })).toBeVisible();
});

test("a pod's log route answers only someone who may see the pod, and names a bad parameter", async ({ page, browser }) => {
  const pod = await createPod(ADMIN, { namespace: "web-team", name: LOGGED, spec: podSpec("web") }, pool);
  const route = `/api/objects/${pod.object.uid}/log`;
  await signIn(page, "admin");
  await expect.poll(async () => (await page.request.get(route)).status()).toBe(200);
  const container = await page.request.get(`${route}?container=${encodeURIComponent("__proto__")}`);
  expect(container.status()).toBe(422);
  expect(await container.text()).toContain("container must be a container's name");
  const previous = await page.request.get(`${route}?previous=${"x".repeat(10_000)}`);
  expect(previous.status()).toBe(422);
  expect(await previous.text()).toContain("previous must be true or false");
  // dana holds no role in web-team: the pod reads as a missing one; without a session, 401.
  const stranger = await pageAs(browser, "dana");
  expect((await stranger.request.get(route)).status()).toBe(404);
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(route)).status()).toBe(401);
  await anonymous.close();
  await stranger.context().close();
});
