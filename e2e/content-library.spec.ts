// The Content Library: an operator imports a small disk through the browser and sees it listed
// with its checksum; the upload endpoint refuses what it must before it keeps a byte.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { DATA_DIR } from "../playwright.config";
import { writeBootDisk } from "../lib/testing/boot-images";
import { expect, pageAs, signIn, test } from "./fixtures";

const work = mkdtempSync(path.join(tmpdir(), "skylight-e2e-library-"));
const libraryDir = path.join(DATA_DIR, "library");
const VIEWPORTS = [{ width: 1600, height: 1000 }, { width: 1280, height: 800 }] as const;
const leftovers = () => (existsSync(path.join(libraryDir, ".incoming")) ? readdirSync(path.join(libraryDir, ".incoming")) : []);

test("an operator imports a raw disk through the browser: progress, then the image listed with its checksum", async ({ page }) => {
  const file = path.join(work, "boot-sector.img");
  await writeBootDisk(file, "E2E");
  const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");

  await signIn(page, "olivia");
  await page.getByRole("navigation", { name: "Navigator" }).getByRole("link", { name: "Content Library" }).click();
  await expect(page.getByRole("heading", { name: "Content Library" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Content library images" }).getByRole("row", { name: /skylight-tiny/ })).toBeVisible();
  // Each image names its library and how many VMs were deployed from it (the demo's VMs run photon-5).
  await expect(page.getByRole("table", { name: "Content library images" }).getByRole("row", { name: /^photon-5 skylight-library .* \d+ VMs$/ })).toBeVisible();
  await expect(page.getByRole("region", { name: "VM templates" })).toBeVisible();

  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import Image" });
  await dialog.getByLabel("File").setInputFiles(file);
  await dialog.getByLabel("Name").fill("../x");
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog.getByText(/lowercase RFC 1123 labels/)).toBeVisible();
  await dialog.getByLabel("Name").fill("e2e-boot-disk");
  await dialog.getByLabel("Guest OS").fill("Boot sector demo");
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `test-results/screenshots/content-library-import-dialog-${viewport.width}x${viewport.height}.png`, animations: "disabled" });
  }
  await dialog.getByRole("button", { name: "Import" }).click();
  await expect(dialog.getByText(sha256)).toBeVisible({ timeout: 30_000 });
  await dialog.getByRole("button", { name: "Done" }).click();

  const row = page.getByRole("table", { name: "Content library images" }).getByRole("row", { name: /e2e-boot-disk/ });
  await expect(row).toContainText(sha256);
  await expect(row).toContainText("Disk (qcow2)");
  await expect(row).toContainText("Boot sector demo");
  await expect(row).toContainText("olivia");
  await expect(row).toContainText("No VMs");
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: `test-results/screenshots/content-library-${viewport.width}x${viewport.height}.png`, animations: "disabled" });
  }
  expect(readdirSync(path.join(libraryDir, "e2e-boot-disk")).sort()).toEqual(["disk.qcow2", "manifest.json"]);
});

test("the upload endpoint: 401 without a session, 403 for a developer, 400 naming the field for a bad name or a qcow2 with a backing file, 413 over the limit — nothing kept", async ({ page, browser, playwright, baseURL }) => {
  const body = Buffer.alloc(64 * 1024);
  const anonymous = await playwright.request.newContext({ baseURL });
  const refused = await anonymous.post("/api/library/images?name=anonymous", { data: body });
  expect(refused.status()).toBe(401);

  const developer = await pageAs(browser, "dev");
  expect((await developer.request.post("/api/library/images?name=by-dev", { data: body })).status()).toBe(403);
  await developer.context().close();

  await signIn(page, "olivia");
  const badName = await page.request.post(`/api/library/images?name=${encodeURIComponent("../x")}`, { data: body });
  expect(badName.status()).toBe(400);
  expect((await badName.json()).error).toMatchObject({ field: "name" });

  const hostile = path.join(work, "hostile.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", hostile]);
  const backing = await page.request.post("/api/library/images?name=hostile", { data: readFileSync(hostile) });
  expect(backing.status()).toBe(400);
  expect((await backing.json()).error).toMatchObject({ field: "file", message: expect.stringContaining("backing file") });

  // A declared length over the limit is refused before the body is read: the client sends a few bytes of it and gets 413.
  const cookie = (await page.context().cookies()).map((entry) => `${entry.name}=${entry.value}`).join("; ");
  const tooLarge = await new Promise<number>((resolve, reject) => {
    const outgoing = httpRequest(`${baseURL}/api/library/images?name=too-large`, { method: "POST", headers: { cookie, "content-length": String(64 * 1024 ** 4) } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      outgoing.destroy();
    });
    outgoing.on("error", reject);
    outgoing.write(body);
  });
  expect(tooLarge).toBe(413);

  for (const name of ["anonymous", "by-dev", "hostile", "too-large", "x"]) expect(existsSync(path.join(libraryDir, name)), name).toBe(false);
  expect(leftovers()).toEqual([]);
  await anonymous.dispose();
});
