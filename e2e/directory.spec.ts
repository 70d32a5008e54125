import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

test("a newcomer searches by email prefix, filters by a blocked purpose and opens a profile", async ({ page, customers }) => {
  await test.step("open the directory", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/customers$/);
    await expect(customers.results).toBeVisible();
    await expectNoA11yViolations(page);
  });

  await test.step("search by email prefix", async () => {
    await customers.search("ana.lo");
    await expect(page).toHaveURL(/q=ana\.lo/);
    await expect(page.getByRole("heading", { name: /email starts with “ana\.lo”/ })).toBeVisible();
    await expect(customers.row(DEMO.ana.email)).toBeVisible();
    const emails = await customers.results.getByRole("row").locator("td:first-child div").allTextContents();
    expect(emails.length).toBeGreaterThan(0);
    for (const email of emails) expect(email.startsWith("ana.lo")).toBe(true);
  });

  await test.step("filter by email_marketing blocked", async () => {
    await customers.goto();
    await customers.filterPurpose("Email marketing", "Blocked");
    await expect(page).toHaveURL(/purpose=email_marketing/);
    await expect(page).toHaveURL(/purposeState=blocked/);
    await expect(customers.row(DEMO.bruno.email)).toBeVisible();
    // Ana has no consent recorded, so every purpose is allowed for her.
    await expect(customers.row(DEMO.ana.email)).toHaveCount(0);
    await expect(customers.row(DEMO.bruno.email)).toContainText("Email marketing");
  });

  await test.step("open the profile", async () => {
    await customers.row(DEMO.bruno.email).getByRole("link", { name: DEMO.bruno.name }).click();
    await expect(page).toHaveURL(`/customers/${DEMO.bruno.id}`);
    await expect(page.getByRole("heading", { level: 1, name: DEMO.bruno.name })).toBeVisible();
    const purposes = page.getByRole("table", { name: "Consent per purpose" });
    await expect(purposes.getByRole("row", { name: /Email marketing/ })).toContainText("Blocked");
    await expect(purposes.getByRole("row", { name: /Push notifications/ })).toContainText("Allowed");
    const audiences = page.getByRole("table", { name: "Audience memberships" });
    await expect(audiences.getByRole("row", { name: /VIP members/ })).toContainText("cleared");
    await expectNoA11yViolations(page);
  });
});

test("a customer with no consent recorded shows every purpose allowed", async ({ page }) => {
  await page.goto(`/customers/${DEMO.ana.id}`);
  await expect(page.getByText("Not recorded: all allowed.")).toBeVisible();
  const purposes = page.getByRole("table", { name: "Consent per purpose" });
  await expect(purposes.getByRole("switch")).toHaveCount(6);
  await expect(purposes.getByRole("switch", { checked: true })).toHaveCount(6);
  await expect(purposes.getByRole("cell", { name: "not recorded" })).toHaveCount(6);
  await expect(page.getByRole("table", { name: "Recent loyalty events" })).toBeVisible();
});

test("pages forward and back through the directory", async ({ page, customers }) => {
  await customers.goto();
  const firstRow = await customers.results.getByRole("row").nth(1).textContent();
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(customers.results.getByRole("row").nth(1)).not.toHaveText(firstRow!);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(customers.results.getByRole("row").nth(1)).toHaveText(firstRow!);
  await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);
});

test("an empty search says so and offers other fields or clearing it", async ({ page, customers }) => {
  await customers.goto("?q=demo-bruno");
  await expect(page.getByRole("heading", { name: "No customers match" })).toBeVisible();
  await page.getByRole("link", { name: "Search external id instead" }).click();
  await expect(customers.row("bruno.silva@example.com")).toBeVisible();
  await customers.goto("?q=nobody-here%40nowhere.test");
  await expect(page.getByRole("heading", { name: "No customers match" })).toBeVisible();
  await page.getByRole("link", { name: "Clear search and filters" }).click();
  await expect(customers.results).toBeVisible();
});

test("malformed search parameters give a clear message, not an error page", async ({ page, customers }) => {
  const response = await page.goto("/customers?after=not-a-cursor&purpose=teleport&sort=sideways");
  expect(response?.status()).toBe(200);
  const alert = page.getByRole("alert").filter({ hasText: "could not be used" });
  await expect(alert).toContainText("after");
  await expect(alert).toContainText("purpose");
  await expect(alert).toContainText("sort");
  await expect(customers.results).toBeVisible();
});

test("unknown and malformed customer ids answer 404", async ({ page }) => {
  for (const id of ["11111111-2222-4333-8444-555555555555", "not-a-uuid", "%27%3B--"]) {
    const response = await page.goto(`/customers/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Customer not found" })).toBeVisible();
  }
  await expectNoA11yViolations(page);
});

test("a membership without a push token says whether consent cleared it or the profile has none", async ({ page }) => {
  await page.goto("/customers/00000000-0000-4000-8000-000000000003"); // Chen Wei: no push token on the profile
  const audiences = page.getByRole("table", { name: "Audience memberships" });
  await expect(audiences.getByRole("row", { name: /VIP members/ })).toContainText("none on profile");
  await expect(audiences.getByRole("row", { name: /VIP members/ })).toContainText("chen.wei@example.com");
});
