import type { Locator, Page } from "@playwright/test";
import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

// "VIP members" holds the read-only demo customers (Ana, Bruno, Chen; their ids
// sort first, so they lead the first page) and bulk customers no spec changes;
// the demo customers other specs change are in no audience read here
// (lib/seed/reference.ts), so its totals and pages hold still.
const CHEN = DEMO.chen;

/** A stat card's number, by its label. */
async function stat(page: Page, label: string): Promise<number> {
  const term = page.locator("dl dt").filter({ hasText: new RegExp(`^${label}$`) });
  const value = (await term.locator("xpath=following-sibling::dd[1]").textContent()) ?? "";
  return Number(/^[\d,]+/.exec(value.trim())?.[0].replace(/,/g, ""));
}

function memberRow(table: Locator, name: string) {
  return table.getByRole("row").filter({ has: table.page().getByRole("link", { name, exact: true }) });
}

async function expectTotalsAddUp(page: Page) {
  const members = await stat(page, "Members");
  const reachable = await stat(page, "Reachable");
  const consent = await stat(page, "Skipped: consent");
  const noContact = await stat(page, "Skipped: no contact");
  expect(members).toBeGreaterThan(0);
  expect(reachable + consent + noContact).toBe(members);
  expect((await stat(page, "Link tracking on")) + (await stat(page, "Link tracking off"))).toBe(reachable);
}

test("a marketer previews an email send, then push, and filters who is skipped", async ({ page }) => {
  const members = page.getByRole("table", { name: "Audience members" });

  await test.step("open the preview from the sidebar", async () => {
    await page.goto("/customers");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audiences" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Audience send preview" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Choose an audience" })).toBeVisible();
  });

  await test.step("pick an audience and email", async () => {
    const audience = page.getByLabel("Audience", { exact: true });
    const option = audience.getByRole("option", { name: /^VIP members \([\d,]+ members\)$/ });
    await audience.selectOption({ label: (await option.textContent())! });
    await expect(page.getByRole("radio", { name: "Email" })).toBeChecked();
    await page.getByRole("button", { name: "Preview send" }).click();
    await expect(page).toHaveURL(/\/audiences\?audience=[0-9a-f-]{36}&channel=email$/);
    await expect(page.getByRole("heading", { name: "Email send to VIP members" })).toBeVisible();
    await expectTotalsAddUp(page);
  });

  await test.step("see each member's status and link tracking", async () => {
    await expect(memberRow(members, DEMO.ana.name)).toContainText("Reachable");
    await expect(memberRow(members, DEMO.ana.name)).toContainText("On");
    // Bruno turned email marketing off.
    await expect(memberRow(members, DEMO.bruno.name)).toContainText("Skipped: consent");
    await expect(memberRow(members, DEMO.bruno.name)).toContainText("Email marketing turned off");
    // Chen allows email but never named link tracking: plain links.
    await expect(memberRow(members, CHEN.name)).toContainText("Reachable");
    await expect(memberRow(members, CHEN.name)).toContainText("Off · plain links");
    await expectNoA11yViolations(page);
  });

  await test.step("switch to push", async () => {
    await page.getByRole("radio", { name: "Push" }).check();
    await page.getByRole("button", { name: "Preview send" }).click();
    await expect(page).toHaveURL(/channel=push/);
    await expect(page.getByRole("heading", { name: "Push send to VIP members" })).toBeVisible();
    await expectTotalsAddUp(page);
    await expect(memberRow(members, DEMO.bruno.name)).toContainText("Reachable");
    await expect(memberRow(members, DEMO.bruno.name)).toContainText("Off · plain links");
    // Chen has no push token and never named push: consent is the reason given.
    await expect(memberRow(members, CHEN.name)).toContainText("Skipped: consent");
    await expect(memberRow(members, CHEN.name)).toContainText("Push notifications never named");
    await expectNoA11yViolations(page);
  });

  await test.step("filter to members skipped for consent", async () => {
    const consent = await stat(page, "Skipped: consent");
    await page
      .getByRole("navigation", { name: "Filter members by status" })
      .getByRole("link", { name: /^Skipped: consent/ })
      .click();
    await expect(page).toHaveURL(/status=consent/);
    await expect(page.getByRole("link", { name: /^Skipped: consent/ })).toHaveAttribute("aria-current", "page");
    const rows = members.getByRole("row").filter({ has: page.getByRole("cell") });
    expect(consent).toBeGreaterThan(0);
    await expect(rows).toHaveCount(Math.min(consent, 25));
    for (const text of await rows.allTextContents()) expect(text).toContain("Skipped: consent");
    await expect(memberRow(members, CHEN.name)).toBeVisible();
    await expect(memberRow(members, DEMO.ana.name)).toHaveCount(0);
  });
});

test("pages through an audience's members and opens a customer", async ({ page }) => {
  await page.goto("/audiences");
  const audience = page.getByLabel("Audience", { exact: true });
  const option = audience.getByRole("option", { name: /^VIP members/ });
  await audience.selectOption({ label: (await option.textContent())! });
  await page.getByRole("button", { name: "Preview send" }).click();
  const members = page.getByRole("table", { name: "Audience members" });
  await expect(memberRow(members, DEMO.ana.name)).toBeVisible();
  expect(await members.getByRole("row").count()).toBe(26); // header + 25

  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(memberRow(members, DEMO.ana.name)).toHaveCount(0);
  await page.getByRole("link", { name: "Previous" }).click();
  await expect(memberRow(members, DEMO.ana.name)).toBeVisible();
  await expect(page.getByRole("link", { name: "Previous" })).toHaveCount(0);

  await memberRow(members, DEMO.bruno.name).getByRole("link", { name: DEMO.bruno.name }).click();
  await expect(page).toHaveURL(`/customers/${DEMO.bruno.id}`);
  await expect(page.getByRole("heading", { level: 1, name: DEMO.bruno.name })).toBeVisible();
});

test("bad parameters are named and left out; an unknown audience says so", async ({ page }) => {
  const response = await page.goto("/audiences?audience=not-an-id&channel=fax");
  expect(response?.status()).toBe(200);
  const alert = page.getByRole("alert").filter({ hasText: "could not be used" });
  await expect(alert).toContainText("audience");
  await expect(alert).toContainText("channel");
  await expect(page.getByRole("heading", { name: "Choose an audience" })).toBeVisible();

  await page.goto("/audiences?audience=11111111-2222-4333-8444-555555555555&channel=push");
  await expect(page.getByRole("heading", { name: "Audience not found" })).toBeVisible();
  await expectNoA11yViolations(page);
});

test("the send preview API answers counts to a signed-in marketer", async ({ page }) => {
  await page.goto("/audiences");
  const id = await page
    .getByLabel("Audience", { exact: true })
    .getByRole("option", { name: /^VIP members/ })
    .getAttribute("value");
  // page.request carries the browser's session cookie.
  const response = await page.request.get(`/api/audiences/${id}/send-preview?channel=push`);
  expect(response.status()).toBe(200);
  const { data } = await response.json();
  expect(data).toMatchObject({ audience: { id, name: "VIP members" }, channel: "push" });
  expect(data.reachable + data.skipped.consent + data.skipped.no_contact).toBe(data.members);
  expect(data.link_tracking.on + data.link_tracking.off).toBe(data.reachable);
  const bad = await page.request.get(`/api/audiences/${id}/send-preview?channel=sms`);
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.fields).toHaveProperty("channel");
});
