import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

// Read-only: this spec changes nobody and reads only the read-only demo
// customers (Ana, Bruno, Chen) and bulk customers no spec changes.

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
    const emails = await customers.rows.locator("td:first-child div").allTextContents();
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
  // Oldest first, and compared by who is on the page (the profile links), not
  // by what the rows say: the first pages are bulk customers no spec changes,
  // and a consent change elsewhere cannot move or reword them.
  const profiles = () => customers.rows.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  await customers.goto("?sort=oldest");
  await expect(customers.rows).toHaveCount(50);
  const first = await profiles();
  expect(new Set(first).size).toBe(50);

  await test.step("forward: a page of other customers", async () => {
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/after=/);
    await expect(customers.rows.first().getByRole("link")).not.toHaveAttribute("href", first[0]!);
    await expect(customers.rows).toHaveCount(50);
    const second = await profiles();
    expect(second.filter((href) => first.includes(href))).toEqual([]);
  });

  await test.step("back: the same first page, and no page before it", async () => {
    await page.getByRole("link", { name: "Previous" }).click();
    await expect(customers.rows.first().getByRole("link")).toHaveAttribute("href", first[0]!);
    expect(await profiles()).toEqual(first);
    await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);
  });
});

test("with a vendor blocked, every row names it by its integration and none claims all allowed", async ({ page, customers }) => {
  await test.step("filter by Meta Custom Audiences blocked, oldest first", async () => {
    // Oldest first keeps the page to bulk customers no spec changes.
    await customers.goto("?sort=oldest");
    await customers.filterVendor("Meta Custom Audiences", "Blocked");
    await expect(page).toHaveURL(/vendor=meta/);
    await expect(page).toHaveURL(/vendorState=blocked/);
    await expect(page).toHaveURL(/sort=oldest/);
  });

  await test.step("every row says Meta Custom Audiences is blocked", async () => {
    await expect(customers.rows).toHaveCount(50);
    await expect(customers.rows.filter({ hasText: "all allowed" })).toHaveCount(0);
    await expect(customers.rows.filter({ hasNotText: "Meta Custom Audiences" })).toHaveCount(0);
    await expect(customers.rows.filter({ hasText: /\d+ blocked/ })).toHaveCount(50);
    await expect(customers.results).not.toContainText("vendors.meta");
  });

  await test.step("a known customer's cell lists purposes and vendors by name", async () => {
    await customers.search(DEMO.bruno.email);
    await expect(page).toHaveURL(/vendor=meta/);
    // Bruno: email and link tracking off, Meta off, Warehouse never named (so blocked); Braze on.
    await expect(customers.row(DEMO.bruno.email)).toContainText("4 blocked");
    await expect(customers.row(DEMO.bruno.email)).toContainText("Email marketing, Link tracking, Meta Custom Audiences, Warehouse webhook");
    await expect(customers.row(DEMO.bruno.email)).not.toContainText("Braze");
  });
});

test("an empty search says so and offers other fields or clearing it", async ({ page, customers }) => {
  await customers.goto(`?q=${DEMO.bruno.externalId}`);
  await expect(page.getByRole("heading", { name: "No customers match" })).toBeVisible();
  await page.getByRole("link", { name: "Search external id instead" }).click();
  await expect(customers.row(DEMO.bruno.email)).toBeVisible();
  await customers.goto("?q=nobody-here%40nowhere.test");
  await expect(page.getByRole("heading", { name: "No customers match" })).toBeVisible();
  await page.getByRole("link", { name: "Clear search and filters" }).click();
  await expect(customers.results).toBeVisible();
});

test("malformed search parameters give a clear message, not an error page", async ({ page, customers }) => {
  const response = await page.goto("/customers?after=not-a-cursor&purpose=teleport&sort=sideways");
  expect(response?.status()).toBe(200);
  const alert = page.getByRole("alert").filter({ hasText: "could not be used" });
  // Named by the labels a person sees on the form, not the URL's keys.
  for (const label of ["Page", "Purpose", "Sort"])
    await expect(alert.getByRole("listitem").filter({ hasText: new RegExp(`^${label} `) })).toHaveCount(1);
  await expect(alert.getByRole("listitem")).toHaveCount(3);
  await expect(alert).not.toContainText(/after|teleport|sideways|behavioral_campaigns/);
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
  await page.goto(`/customers/${DEMO.chen.id}`); // no push token on the profile
  const audiences = page.getByRole("table", { name: "Audience memberships" });
  await expect(audiences.getByRole("row", { name: /VIP members/ })).toContainText("none on profile");
  await expect(audiences.getByRole("row", { name: /VIP members/ })).toContainText(DEMO.chen.email);
});
