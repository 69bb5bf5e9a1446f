import { expect, pageAs, signIn, test } from "./fixtures";

test.describe("Administration", () => {
  for (const username of ["olivia", "dev"]) {
    test(`is refused to ${username} on the server, not just hidden`, async ({ page }) => {
      await signIn(page, username);
      await expect(page.getByRole("link", { name: "Administration" })).toHaveCount(0);
      const response = await page.goto("/admin/users");
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "You do not have permission to view this page" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Add User" })).toHaveCount(0);
      await expect(page.getByRole("cell", { name: "admin" })).toHaveCount(0);
    });
  }

  test("an administrator adds a user, resets their password and changes their role", async ({ page, browser }) => {
    test.slow();
    await signIn(page, "admin");
    await page.getByRole("link", { name: "Administration" }).click();
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();

    await page.getByRole("button", { name: "Add User" }).click();
    const dialog = page.getByRole("dialog", { name: "Add User" });
    await dialog.getByLabel("Username").fill("admin");
    await dialog.getByLabel("Display name").fill("Impostor");
    await dialog.getByLabel("Password").fill("short");
    await dialog.getByRole("button", { name: "Add User" }).click();
    await expect(dialog.getByText("must be at least 8 characters")).toBeVisible();
    await dialog.getByLabel("Password").fill("casey-password");
    await dialog.getByRole("button", { name: "Add User" }).click();
    await expect(dialog.getByText('A user named "admin" already exists.')).toBeVisible();

    await dialog.getByLabel("Username").fill("casey");
    await dialog.getByLabel("Display name").fill("Casey Jones");
    await dialog.getByRole("combobox", { name: "Role" }).click();
    await page.getByRole("option", { name: "Operator" }).click();
    await dialog.getByRole("button", { name: "Add User" }).click();
    await expect(dialog).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: "casey" });
    await expect(row).toContainText("Operator");

    // Casey has the console open when the password is reset: the reset signs them out at once.
    const caseyBefore = await pageAs(browser, "casey", "casey-password");
    await caseyBefore.goto("/vms");
    await row.getByRole("button", { name: "Actions for casey" }).click();
    await page.getByRole("menuitem", { name: "Reset Password…" }).click();
    await expect(page.getByRole("dialog")).toContainText("This signs casey out everywhere");
    await page.getByLabel("New password").fill("casey-new-password");
    await page.getByRole("button", { name: "Reset Password" }).click();
    await expect(page.getByText("Password reset for casey")).toBeVisible();
    await expect(caseyBefore).toHaveURL(/\/login\?next=%2Fvms$/, { timeout: 8_000 });
    expect((await caseyBefore.request.get("/api/session")).status()).toBe(401);

    await row.getByRole("button", { name: "Actions for casey" }).click();
    await page.getByRole("menuitem", { name: "Change Role" }).press("ArrowRight");
    await page.getByRole("menuitemradio", { name: "Developer" }).press("Enter");
    await expect(row).toContainText("Developer");

    const casey = await (await browser.newContext()).newPage();
    await casey.goto("/login");
    await casey.getByLabel("Username").fill("casey");
    await casey.getByLabel("Password").fill("casey-new-password");
    await casey.getByRole("button", { name: "Sign in" }).click();
    await expect(casey.getByRole("heading", { name: "No namespaces yet" })).toBeVisible();
  });

  test("a disabled user loses their open session and cannot sign in again", async ({ page, browser }) => {
    test.slow();
    const dana = await pageAs(browser, "dana");
    await signIn(page, "admin");
    await page.goto("/admin/users");
    const row = page.getByRole("row").filter({ hasText: "dana" });
    await row.getByRole("button", { name: "Actions for dana" }).click();
    await page.getByRole("menuitem", { name: "Disable…" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Disable" }).click();
    await expect(row).toContainText("Disabled");

    // Her open console goes to the sign-in page by itself, within seconds.
    await expect(dana).toHaveURL(/\/login\?next=/, { timeout: 8_000 });
    await dana.getByLabel("Username").fill("dana");
    await dana.getByLabel("Password").fill("skylight-demo");
    await dana.getByRole("button", { name: "Sign in" }).click();
    await expect(dana.locator("form [role=alert]")).toHaveText("This account is disabled. Ask an administrator to enable it.");

    await row.getByRole("button", { name: "Actions for dana" }).click();
    await page.getByRole("menuitem", { name: "Enable" }).click();
    await expect(row).toContainText("Enabled");
    await dana.getByLabel("Password").fill("skylight-demo");
    await dana.getByRole("button", { name: "Sign in" }).click();
    await expect(dana.getByRole("button", { name: "User menu for dana" })).toBeVisible();
  });
});
