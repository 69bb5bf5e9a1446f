import { expect, signIn, test } from "./fixtures";

test.describe("sign-in", () => {
  test("an unauthenticated page request goes to /login and comes back after signing in", async ({ page }) => {
    await page.goto("/search?q=web");
    await expect(page).toHaveURL(/\/login\?next=%2Fsearch%3Fq%3Dweb$/);
    await page.getByLabel("Username").fill("olivia");
    await page.getByLabel("Password").fill("skylight-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/search\?q=web$/);
    await expect(page.getByRole("heading", { name: "Search" })).toBeVisible();
  });

  test("a wrong password shows one clear message and reveals nothing else", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Username").fill("olivia");
    await page.getByLabel("Password").fill("not-her-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form [role=alert]")).toHaveText("Incorrect username or password.");
    await expect(page.getByLabel("Password")).toHaveValue("");

    await page.getByLabel("Username").fill("no-such-user");
    await page.getByLabel("Password").fill("whatever-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form [role=alert]")).toHaveText("Incorrect username or password.");
    await expect(page).toHaveURL(/\/login/);
  });

  test("empty fields are named before anything is sent", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your username")).toBeVisible();
    await expect(page.getByText("Enter your password")).toBeVisible();
  });

  test("sign-out ends the session", async ({ page }) => {
    await signIn(page, "olivia");
    await page.getByRole("button", { name: "User menu for olivia" }).click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/login\?next=%2F$/);
  });

  test("the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
    await signIn(page, "olivia");
    const session = (await context.cookies()).find((cookie) => cookie.name.endsWith("session_token"));
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  });

  test("API requests without a session get 401 with a JSON error", async ({ request }) => {
    const response = await request.get("/api/inventory/summary");
    expect(response.status()).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "unauthenticated", message: "Sign in to use this API." } });
  });
});
