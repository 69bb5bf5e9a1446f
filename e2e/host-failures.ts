// Host › Actions › Simulate Failure (confirmed) and Recover, as an administrator on a simulated host's page.
import { expect, type Page } from "@playwright/test";

export async function simulateFailure(page: Page) {
  await page.getByRole("button", { name: "Actions" }).click();
  await page.getByRole("menuitem", { name: /^Simulate Failure/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Simulate Failure" }).click();
}

/** Recover is offered once the host is seen not responding. */
export async function recover(page: Page) {
  await expect(async () => {
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Actions" }).click();
    await expect(page.getByRole("menuitem", { name: /^Recover/ })).toBeEnabled({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole("menuitem", { name: /^Recover/ }).click();
}
