// The README's quick start as a newcomer meets it: the production console opened by 127.0.0.1 and
// by the machine's own address (as from another machine), hydrated (the sign-in form checks its
// fields in the browser) and signing in; and `npm run bench:start`, which times the first page of
// a fresh `npm start`, runs and reports (its figures are the benchmark's business, not this test's).
import { execFile } from "node:child_process";
import { networkInterfaces } from "node:os";
import { promisify } from "node:util";
import { ADMIN_PASSWORD } from "../playwright.config";
import { expect, test } from "./fixtures";

const run = promisify(execFile);
const PORT = Number(process.env.E2E_PORT ?? 3100);
const machineAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === "IPv4" && !entry.internal)?.address;

for (const address of ["127.0.0.1", machineAddress]) {
  test(`the console opened at ${address ?? "the machine's address"} hydrates and signs in`, async ({ page }) => {
    test.skip(!address, "this machine has no address besides loopback");
    await page.goto(`http://${address}:${PORT}/`);
    await expect(page).toHaveURL(new RegExp(`^http://${address!.replaceAll(".", "\\.")}:${PORT}/login`));
    // Only the browser's own code names the empty fields: a page that never hydrated posts instead.
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your username")).toBeVisible();
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "User menu for admin" })).toBeVisible();
    // Signed in where it was opened, and the navigator's root node is named after that address.
    await expect(page).toHaveURL(new RegExp(`^http://${address!.replaceAll(".", "\\.")}:${PORT}/`));
    await expect(page.getByRole("navigation", { name: "Navigator" }).getByRole("treeitem", { name: `${address}, Skylight server` })).toBeVisible();
    await page.getByRole("button", { name: "User menu for admin" }).click();
    await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
  });
}

test("npm run bench:start starts a fresh console and times its first page by every address", async () => {
  test.setTimeout(180_000);
  const { stdout } = await run("npx", ["tsx", "scripts/bench-start.ts", "--no-build"], { timeout: 170_000 });
  const result = JSON.parse(stdout.trim().split("\n").at(-1)!);
  expect(result).toMatchObject({ bench: "start", buildSeconds: null, readySeconds: expect.any(Number) });
  expect(Object.keys(result.firstPageMs)).toEqual(["127.0.0.1", ...(machineAddress ? [machineAddress] : [])]);
  for (const ms of Object.values(result.firstPageMs)) expect(ms).toBeGreaterThan(0);
});
