import AxeBuilder from "@axe-core/playwright";
import { expect, signIn, test } from "./fixtures";

// WCAG 2 A/AA rules (contrast, labels, roles, names) on every page of the shell, in both themes.
for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`accessibility in the ${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("sign-in page, Home, an object, search, Administration and Triggered Alarms have no WCAG A/AA violations", async ({ page }) => {
      const audit = async (what: string) => {
        const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
        expect(results.violations.map((violation) => `${what}: ${violation.id} — ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
      };
      await page.goto("/login");
      await audit("login");
      await signIn(page, "admin");
      await expect(page.getByText("60 VMs")).toBeVisible();
      await audit("home");
      await page.getByRole("tree").getByRole("treeitem", { name: /^dc-boston,/ }).click();
      await expect(page.getByRole("heading", { name: "dc-boston" })).toBeVisible();
      await audit("object");
      await page.goto("/search?q=web");
      await expect(page.getByRole("heading", { name: "Search" })).toBeVisible();
      await audit("search");
      await page.goto("/admin/users");
      await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
      await audit("users");
      await page.goto("/alarms");
      await expect(page.getByRole("heading", { name: "Triggered Alarms" })).toBeVisible();
      await audit("triggered alarms");
    });
  });
}
