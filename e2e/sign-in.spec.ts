import type { Page } from "@playwright/test";
import { SECOND_APP_URL, SIGN_IN_LOCKOUT_SECONDS } from "../playwright.config";
import { DEMO_PASSWORD, expect, signIn, test } from "./fixtures";

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
    // The live stream may hear the session end before the action's redirect arrives.
    await expect(page).toHaveURL(/\/login(\?next=%2F)?$/);
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

test.describe("sign-in limits", () => {
  test("failures through two app processes lock the account; the right password is refused until the lockout ends", async ({ page, browser }) => {
    test.slow();
    const elsewhere = await (await browser.newContext({ baseURL: SECOND_APP_URL })).newPage();
    const attempt = async (on: Page, password: string) => {
      await on.getByLabel("Username").fill("dev");
      await on.getByLabel("Password").fill(password);
      await on.getByRole("button", { name: "Sign in" }).click();
    };
    /** A refused attempt: its answer has arrived once the form has emptied the password field. */
    const refusedAttempt = async (on: Page, password: string) => {
      await attempt(on, password);
      await expect(on.getByLabel("Password")).toHaveValue("");
      return on.locator("form [role=alert]");
    };
    await page.goto("/login");
    await elsewhere.goto("/login");
    for (const [on, guess] of [[page, "guess-1"], [elsewhere, "guess-2"], [page, "guess-3"], [elsewhere, "guess-4"]] as const) {
      await expect(await refusedAttempt(on, guess)).toHaveText("Incorrect username or password.");
    }
    await expect(await refusedAttempt(page, "guess-5")).toHaveText(
      `Incorrect username or password. After 5 failed attempts, sign-in to this account is locked for ${SIGN_IN_LOCKOUT_SECONDS} seconds.`,
    );

    await expect(await refusedAttempt(elsewhere, DEMO_PASSWORD)).toHaveText(
      /^Sign-in to this account is locked after too many failed attempts\. Wait [1-5] seconds? and try again\.$/,
    );
    await expect(elsewhere).toHaveURL(/\/login/);

    await page.waitForTimeout(SIGN_IN_LOCKOUT_SECONDS * 1_000);
    await attempt(page, DEMO_PASSWORD);
    await expect(page.getByRole("button", { name: "User menu for dev" })).toBeVisible();
  });
});

test.describe("sign-in without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the form posts, so the password never reaches a URL, and signing in returns to the page asked for", async ({ page }) => {
    const urls: string[] = [];
    const methods: string[] = [];
    page.on("request", (request) => {
      urls.push(request.url());
      if (request.isNavigationRequest()) methods.push(request.method());
    });
    await page.goto("/search?q=web");
    await expect(page).toHaveURL(/\/login\?next=%2Fsearch%3Fq%3Dweb$/);
    await page.getByLabel("Username").fill("olivia");
    await page.getByLabel("Password").fill("not-her-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form [role=alert]")).toHaveText("Incorrect username or password.");
    await expect(page.getByLabel("Username")).toHaveValue("olivia");

    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/search\?q=web$/);
    expect(methods).toContain("POST");
    expect(urls.filter((url) => url.includes("password") || url.includes(DEMO_PASSWORD))).toEqual([]);
  });
});

test("the console works when opened at 127.0.0.1, not only at localhost", async ({ page, baseURL }) => {
  const byAddress = baseURL!.replace("//localhost:", "//127.0.0.1:");
  await page.goto(`${byAddress}/login`);
  await page.getByLabel("Username").fill("olivia");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "User menu for olivia" })).toBeVisible();
  expect(new URL(page.url()).host).toBe(new URL(byAddress).host);
});
