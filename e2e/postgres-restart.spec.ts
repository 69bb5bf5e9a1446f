// The suite's embedded PostgreSQL killed with SIGKILL under both app processes, as a crash would:
// the launcher starts it again, and the console (on both processes, with the sessions signed in
// before) and kubectl answer again; a VM applied before the crash is there and runs, and the
// console can change it.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Page } from "@playwright/test";
import { deleteVirtualMachine } from "@/lib/engine/operations/vm-operations";
import { createApiToken } from "@/lib/kube/api-tokens";
import { ensureCertificateAuthority } from "@/lib/kube/certificate-authority";
import { buildKubeconfig } from "@/lib/kube/kubeconfig";
import { DATA_DIR, KUBE_PORT, SECOND_APP_URL } from "../playwright.config";
import { openE2eDatabase } from "./e2e-database";
import { expect, mlTeamVmManifest, signIn, test } from "./fixtures";

const run = promisify(execFile);
const VM = `crash-${Date.now().toString(36)}`;
const KUBECONFIG = "test-results/postgres-restart.kubeconfig";
const MANIFEST = mlTeamVmManifest(VM);

async function kubectl(args: string[], input?: string) {
  const child = run("/usr/bin/kubectl", args, { env: { ...process.env, KUBECONFIG }, timeout: 60_000 });
  if (input !== undefined) child.child.stdin?.end(input);
  return child.then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ""}${error.stderr ?? ""}`,
  );
}

const postmasterPid = () => Number(readFileSync(path.join(DATA_DIR, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
/** The postmaster's pid, or undefined while its pid file is being replaced. */
const currentPostmasterPid = () => {
  try {
    return postmasterPid();
  } catch {
    return undefined;
  }
};

/** Loads the VM list until the server answers it again (through a database that is coming back). */
async function findVmInList(page: Page) {
  await expect(async () => {
    await page.goto(`/vms?q=${VM}`);
    await expect(page.getByRole("region", { name: "Virtual machines" }).getByRole("link", { name: VM })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
}

test.afterAll(async () => {
  const pool = openE2eDatabase();
  await deleteVirtualMachine({ id: "e2e", role: "administrator", username: "admin" }, { namespace: "ml-team", name: VM }, pool).catch(() => undefined);
  await pool.end();
});

test("after kill -9 of the embedded PostgreSQL the console on both processes and kubectl answer again, and a VM applied before is there and can be changed", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // olivia's kubeconfig, straight from the database as `npm run kubeconfig` makes one; this
  // process holds no connection when the server dies.
  const pool = openE2eDatabase();
  const olivia = (await pool.query<{ id: string }>("SELECT id FROM users WHERE username = 'olivia'")).rows[0]!;
  const authority = await ensureCertificateAuthority(pool);
  const { token } = await createApiToken(pool, { userId: olivia.id, name: "postgres restart e2e" });
  await pool.end();
  mkdirSync("test-results", { recursive: true });
  writeFileSync(KUBECONFIG, buildKubeconfig({ server: `https://127.0.0.1:${KUBE_PORT}`, certificateAuthorityPem: authority.certificatePem, username: "olivia", token }));

  expect((await kubectl(["apply", "-f", "-"], MANIFEST)).trim()).toBe(`virtualmachine.vmoperator.vmware.com/${VM} created`);
  await signIn(page, "olivia");
  const second = await (await browser.newContext({ baseURL: SECOND_APP_URL })).newPage();
  await signIn(second, "olivia");

  const crashed = postmasterPid();
  process.kill(crashed, "SIGKILL");

  // Until they notice the postmaster is gone its backends may still answer: wait for the new one.
  await expect.poll(() => currentPostmasterPid() ?? crashed, { timeout: 60_000 }).not.toBe(crashed);
  await findVmInList(page);
  await findVmInList(second);
  expect(await kubectl(["wait", `vm/${VM}`, "-n", "ml-team", "--for=jsonpath={.status.powerState}=PoweredOn", "--timeout=30s"])).toContain("condition met");

  // A change through the console after the restart: a server action, the engine, live updates.
  await page.getByRole("region", { name: "Virtual machines" }).getByRole("link", { name: VM }).click();
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1, name: VM }) });
  await expect(header.getByText("Powered On")).toBeVisible();
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: "Power Off" }).click();
  await page.getByRole("alertdialog", { name: `Power off ${VM}?` }).getByRole("button", { name: "Power Off" }).click();
  await expect(header.getByText("Powered Off")).toBeVisible({ timeout: 20_000 });
  const tasks = page.getByRole("region", { name: "Recent Tasks" });
  await expect(tasks.getByRole("row", { name: new RegExp(`Power off virtual machine ${VM}.*Completed`) })).toBeVisible();
  expect(await kubectl(["get", "vm", VM, "-n", "ml-team", "-o", "jsonpath={.status.powerState}"])).toBe("PoweredOff");
});
