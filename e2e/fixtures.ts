// Playwright fixtures: sign in as one of the seeded users without clicking through the form,
// screenshots in both themes, and kubectl with a downloaded kubeconfig.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { promisify } from "node:util";
import { test as base, expect, type Browser, type Cookie, type Page } from "@playwright/test";
import { ADMIN_PASSWORD } from "../playwright.config";

const run = promisify(execFile);

export const DEMO_PASSWORD = "skylight-demo";
export const PASSWORDS: Record<string, string> = { admin: ADMIN_PASSWORD, olivia: DEMO_PASSWORD, dev: DEMO_PASSWORD, dana: DEMO_PASSWORD };

/**
 * Session cookies from this worker's earlier sign-ins, by user and password. Signing in through
 * the form costs seconds on a 2-core machine and the suite signs in about a hundred times;
 * e2e/sign-in.spec.ts covers the form itself.
 */
const signedInSessions = new Map<string, Cookie[]>();

/** Signs in (reusing a session this worker already holds, while the server still honours it) and lands on Home. */
export async function signIn(page: Page, username: string, password = PASSWORDS[username]!) {
  const key = `${username}\n${password}`;
  const saved = signedInSessions.get(key);
  if (saved) {
    await page.context().addCookies(saved);
    await page.goto("/");
    // Signed out, revoked, disabled or reset since: the server sends the browser to sign in.
    if (!new URL(page.url()).pathname.startsWith("/login")) {
      await expect(page.getByRole("button", { name: `User menu for ${username}` })).toBeVisible();
      return;
    }
    signedInSessions.delete(key);
    await page.context().clearCookies();
  }
  await page.goto("/login");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: `User menu for ${username}` })).toBeVisible();
  signedInSessions.set(key, await page.context().cookies());
}

export async function pageAs(browser: Browser, username: string, password = PASSWORDS[username]!): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, username, password);
  return page;
}

/** Screenshots of the page in the light and the dark theme, into test-results/screenshots unless told where. */
export async function screenshotBothThemes(page: Page, name: string, directory = "test-results/screenshots") {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(new RegExp(scheme));
    await page.screenshot({ path: `${directory}/${name}-${scheme}.png`, animations: "disabled" });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** A small vm-operator VirtualMachine in the demo's ml-team, as kubectl applies one. */
export const mlTeamVmManifest = (name: string) => `apiVersion: vmoperator.vmware.com/v1alpha3
kind: VirtualMachine
metadata:
  name: ${name}
  namespace: ml-team
spec:
  className: best-effort-xsmall
  imageName: photon-5
  storageClass: edge-cluster-01-vsan
  powerState: PoweredOn
`;

/** User menu › Download kubeconfig, saved under test-results/; returns its path. */
export async function downloadKubeconfig(page: Page, username: string): Promise<string> {
  await page.getByRole("button", { name: `User menu for ${username}` }).click();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: "Download kubeconfig" }).click()]);
  mkdirSync("test-results", { recursive: true });
  const path = `test-results/${download.suggestedFilename()}`;
  await download.saveAs(path);
  return path;
}

/** The real kubectl with `kubeconfig`: its output, and whether it succeeded, never a throw. */
export async function kubectl(kubeconfig: string, args: string[], input?: string) {
  const child = run("/usr/bin/kubectl", args, { env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 60_000 });
  if (input !== undefined) child.child.stdin?.end(input);
  return child.then(
    ({ stdout, stderr }) => ({ stdout, stderr, ok: true }),
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? "", stderr: error.stderr ?? "", ok: false }),
  );
}

export const test = base;
export { expect };
