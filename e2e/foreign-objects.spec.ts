// An object a developer may not see, opened by its id, answers exactly as one that does not exist:
// the same status, the same page and the same <title>, on the object page and on every tab, and the
// page carries neither its name nor its kind.
import { randomUUID } from "node:crypto";
import { openE2eDatabase } from "./e2e-database";
import { expect, signIn, test } from "./fixtures";

const pool = openE2eDatabase();
test.afterAll(() => pool.end());

test("a developer's browser learns nothing of an object in another namespace: it is titled and answered as a missing one", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "dana");
  // web-team is dev's: dana has no role there.
  const { rows } = await pool.query<{ uid: string; name: string }>(
    `SELECT uid::text, name FROM resources WHERE kind = 'VirtualMachine' AND namespace = 'web-team' ORDER BY name LIMIT 1`,
  );
  const foreign = rows[0]!;
  const missing = randomUUID();
  const answer = async (path: string) => {
    const response = await page.goto(path);
    await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible({ timeout: 20_000 });
    return { status: response!.status(), title: await page.title(), text: await page.locator("main").innerText(), html: await response!.text() };
  };
  for (const tab of ["", "/summary", "/monitor", "/configure", "/permissions", "/yaml", "/vms"]) {
    const seen = await answer(`/objects/${foreign.uid}${tab}`);
    const none = await answer(`/objects/${missing}${tab}`);
    expect({ ...seen, html: undefined }, `/objects/<uid>${tab}`).toEqual({ ...none, html: undefined });
    expect(seen.title).toBe("Object not found · Skylight");
    // The shell around the page may hold such words of its own (dana's VMs have names too): the
    // foreign object's page holds no more of them than the missing object's.
    const count = (html: string, word: string) => html.split(word).length - 1;
    for (const word of [foreign.name, "VirtualMachine", "web-team"]) expect(count(seen.html, word), word).toBe(count(none.html, word));
  }
  for (const route of ["", "/tasks", "/events", "/performance"]) {
    const seen = await page.request.get(`/api/objects/${foreign.uid}${route}`);
    const none = await page.request.get(`/api/objects/${missing}${route}`);
    expect([seen.status(), await seen.json()]).toEqual([none.status(), await none.json()]);
    expect(seen.status()).toBe(404);
  }
});
