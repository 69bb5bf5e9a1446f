import pg from "pg";
import type { Page } from "@playwright/test";
import { insertObject } from "@/lib/engine/object-store";
import { createVirtualMachine, deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { KIND_API_VERSIONS } from "@/lib/inventory/kinds";
import { IMAGE_KIND_ANNOTATION } from "@/lib/vocabulary/engine-owned-metadata";
import { openE2eDatabase } from "./e2e-database";
import { expect, fact, screenshotBothThemes, signIn, test } from "./fixtures";

// A VM of its own in data-team (where the developer dev has edit through the group "developers")
// and an ISO image of its own in the content library, both removed at the end.
const ADMIN = { id: "e2e-admin", username: "admin", role: "administrator" as const };
const RUN = Date.now().toString(36);
const VM = `devices-${RUN}`;
const ISO = `e2e-netinst-${RUN}`;
const SHOTS = "/tmp/vmdevices-shots";

let pool: pg.Pool;
test.beforeAll(async () => {
  pool = openE2eDatabase();
  await insertObject(pool, {
    apiVersion: KIND_API_VERSIONS.VirtualMachineImage,
    kind: "VirtualMachineImage",
    namespace: "",
    name: ISO,
    annotations: { [IMAGE_KIND_ANNOTATION]: "iso" },
    spec: { providerRef: { kind: "ContentLibraryItem", name: ISO } },
    status: { name: ISO, disks: [], conditions: [{ type: "Ready", status: "True", reason: "Imported", message: "" }] },
  });
  await createVirtualMachine(ADMIN, { namespace: "data-team", name: VM, spec: { className: "best-effort-small", imageName: "photon-5", storageClass: "dev-cluster-01-vsan", powerState: "PoweredOn" } }, pool);
});
test.afterAll(async () => {
  await deleteVirtualMachine(ADMIN, { namespace: "data-team", name: VM }, pool).catch(() => undefined);
  await expect.poll(async () => (await vmRow())?.uid ?? null, { timeout: 30_000 }).toBeNull();
  await pool.query(`DELETE FROM resources WHERE kind = 'VirtualMachineImage' AND name = $1`, [ISO]);
  await pool.end();
});

async function vmRow() {
  const { rows } = await pool.query<{ uid: string; spec: Record<string, unknown>; status: { powerState?: string }; generation: number }>(
    `SELECT uid::text, spec, status, generation::int FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'data-team' AND name = $1`,
    [VM],
  );
  return rows[0];
}

async function editSettings(page: Page) {
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: /^Edit Settings/ }).click();
  return page.getByRole("dialog", { name: `Edit Settings — ${VM}` });
}

const reconfigured = (page: Page, count: number) =>
  expect(page.getByRole("region", { name: "Recent Tasks" }).getByRole("row", { name: new RegExp(`Reconfigure virtual machine ${VM}.*Completed.*dev`) })).toHaveCount(count, { timeout: 20_000 });

test("a developer adds a 20 GiB hard disk and a connected CD/DVD drive from the library, sees them on the Summary, cannot shrink the disk, and removes it", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "dev");
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect.poll(async () => (await vmRow())?.status.powerState, { timeout: 30_000 }).toBe("PoweredOn");
  await page.goto(`/objects/${(await vmRow())!.uid}`);
  await expect(page.getByRole("heading", { level: 1, name: VM })).toBeVisible();

  let dialog = await editSettings(page);
  await dialog.getByRole("button", { name: "Add Hard Disk" }).click();
  await dialog.getByRole("spinbutton", { name: /^Hard disk 2/ }).fill("20");
  await dialog.getByRole("button", { name: "Add CD/DVD Drive" }).click();
  await dialog.getByRole("combobox", { name: "CD/DVD drive 1 ISO image" }).click();
  await page.getByRole("option", { name: ISO }).click();
  await expect(dialog.getByRole("checkbox", { name: "Connected" })).toBeChecked();
  await screenshotBothThemes(page, "vm-devices-dialog", SHOTS);
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  await reconfigured(page, 1);
  await expect(fact(page, "Hard disk 2")).toHaveText("20 GiB");
  await expect(fact(page, "CD/DVD drive 1")).toHaveText(`${ISO} (ISO) — connected`);
  await screenshotBothThemes(page, "vm-devices-summary", SHOTS);
  expect((await vmRow())!.spec).toMatchObject({
    volumes: [{ name: "disk-1", persistentVolumeClaim: { claimName: `${VM}-disk-1`, instanceVolumeClaim: { storageClass: "dev-cluster-01-vsan", size: "20Gi" } } }],
    cdrom: [{ name: "cdrom1", image: { kind: "VirtualMachineImage", name: ISO }, connected: true }],
  });

  // Shrinking is said as you type and refused by the engine in the same words; nothing is written.
  dialog = await editSettings(page);
  await expect(dialog.getByRole("spinbutton", { name: /^Hard disk 2/ })).toHaveValue("20");
  await dialog.getByRole("spinbutton", { name: /^Hard disk 2/ }).fill("10");
  const refusal = "Hard disk 2 can only grow: it is 20 GiB and cannot shrink to 10 GiB.";
  await expect(dialog.getByText(refusal)).toBeVisible();
  const before = (await vmRow())!.generation;
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: refusal })).toBeVisible();
  await screenshotBothThemes(page, "vm-devices-shrink-refused", SHOTS);
  expect((await vmRow())!.generation).toBe(before);

  // Removing a disk the VM has is confirmed; the drive is disconnected in the same change.
  await dialog.getByRole("spinbutton", { name: /^Hard disk 2/ }).fill("20");
  await dialog.getByRole("button", { name: "Remove Hard disk 2" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Remove Hard disk 2?" });
  await expect(confirm).toContainText(`detached from ${VM} and deleted from its datastore`);
  await confirm.getByRole("button", { name: "Remove disk" }).click();
  await expect(dialog.getByRole("spinbutton", { name: /^Hard disk 2/ })).toHaveCount(0);
  await dialog.getByRole("checkbox", { name: "Connected" }).uncheck();
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  await reconfigured(page, 2);
  await expect(fact(page, "CD/DVD drive 1")).toHaveText(`${ISO} (ISO) — disconnected`);
  await expect(page.locator("dt", { hasText: /^Hard disk 2$/ })).toHaveCount(0);
});
