import { expect, signIn, test } from "./fixtures";

interface SearchGroup {
  kind: string;
  hits: { uid: string; name: string; matched: string; matchedValue: string | null }[];
}

test("Ctrl-K opens the search palette from any page; results are grouped and Enter opens one", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await page.keyboard.press("Control+k");
  const input = page.getByRole("combobox", { name: "Search inventory" });
  await expect(input).toBeFocused();

  // By name: the three namespaces each have a db-03, and "esx-0" finds hosts.
  await page.keyboard.type("db-03");
  const palette = page.getByRole("dialog", { name: "Search the inventory" });
  await expect(palette.getByRole("group", { name: "Virtual Machines (3)" }).getByRole("option")).toHaveCount(3);
  await expect(palette.getByRole("option", { name: /db-03.*data-team/ })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/search-palette.png" });
  await input.fill("prod-cluster");
  await expect(palette.getByRole("group", { name: "Clusters (1)" })).toBeVisible();
  await expect(palette.getByRole("group", { name: "Datastores (1)" })).toBeVisible();
  await expect(palette.getByRole("option", { name: /prod-cluster-01 dc-boston/ })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowDown");
  await expect(palette.getByRole("option", { name: /prod-cluster-01-vsan/ })).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "prod-cluster-01-vsan" })).toBeVisible();
  await expect(palette).toBeHidden();

  // "See all results" opens the search page, grouped with counts.
  await page.getByRole("button", { name: /Search by name/ }).click();
  await page.keyboard.type("web");
  await palette.getByRole("option", { name: /See all results for “web”/ }).click();
  await expect(page).toHaveURL(/\/search\?q=web$/);
  await expect(page.getByRole("heading", { name: "Virtual Machines (12)" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Namespaces (1)" })).toBeVisible();
});

test("search finds a host and a powered-on VM by IP address", async ({ page }) => {
  await signIn(page, "admin");
  await page.keyboard.press("Control+k");
  await page.keyboard.type("10.20.7.10");
  await expect(page.getByRole("option", { name: /esx-07\.boston\.lab.*IP address 10\.20\.7\.10.*dev-cluster-01/ })).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "esx-07.boston.lab" })).toBeVisible();

  // A VM has an address once it is powered on and reconciled.
  let vm: SearchGroup["hits"][number] | undefined;
  await expect(async () => {
    const response = await page.request.get("/api/search?q=10.&limit=50");
    const groups = ((await response.json()) as { groups: SearchGroup[] }).groups;
    vm = groups.find((group) => group.kind === "VirtualMachine")?.hits.find((hit) => hit.matched === "IP address");
    expect(vm).toBeDefined();
  }).toPass({ timeout: 30_000 });

  await page.keyboard.press("Control+k");
  await page.keyboard.type(vm!.matchedValue!);
  const option = page.getByRole("group", { name: /^Virtual Machines/ }).getByRole("option", { name: new RegExp(`^${vm!.name} IP address ${vm!.matchedValue!.replace(/\./g, "\\.")}`) });
  await expect(option).toBeVisible();
  await option.click();
  await expect(page.getByRole("heading", { name: vm!.name })).toBeVisible();
  expect(page.url()).toContain(`/objects/${vm!.uid}`);
});
