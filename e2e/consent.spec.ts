import { authFile, DEMO_USERS_BY_ROLE } from "./auth";
import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

// This spec owns Dana (everything allowed) and Eli (nothing recorded) in
// lib/seed/reference.ts: no other spec reads or changes them. Each test that
// changes consent has its own, so the tests run in any order or in parallel.
const DANA = `/customers/${DEMO.dana.id}`;
const ELI = `/customers/${DEMO.eli.id}`;

test("a marketer turns email_marketing off: preview, save, audiences cleared, history, survives a reload; a stale tab gets a conflict", async ({
  page,
  browser,
}) => {
  const purposes = page.getByRole("table", { name: "Consent per purpose" });
  const emailSwitch = purposes.getByRole("switch", { name: "Email marketing" });
  const preview = page.getByRole("region", { name: /Unsaved changes/ });

  await test.step("a second tab opens the same customer first", async () => {
    await page.goto(DANA);
    await expect(emailSwitch).toBeChecked();
  });
  const stale = await browser.newPage({ storageState: authFile("marketer") });
  await stale.goto(DANA);

  await test.step("switching shows the effect preview before anything is saved", async () => {
    await emailSwitch.click();
    await expect(emailSwitch).not.toBeChecked();
    await expect(preview).toContainText("Turning off Email marketing");
    await expect(preview).toContainText("Clears email on 3 audience memberships");
    await expect(preview).toContainText("Notifies Braze and Meta Custom Audiences");
    await expectNoA11yViolations(page);
  });

  await test.step("save with a reason", async () => {
    await preview.getByLabel("Reason (optional)").fill("Unsubscribed by phone");
    await preview.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Consent saved (version 2)", { exact: true })).toBeVisible();
    await expect(preview).toHaveCount(0);
  });

  await test.step("the profile's audiences show email cleared", async () => {
    const audiences = page.getByRole("table", { name: "Audience memberships" });
    const rows = audiences.getByRole("row").filter({ has: page.getByRole("cell") });
    await expect(rows).toHaveCount(DEMO.dana.audiences.length);
    for (const name of DEMO.dana.audiences) {
      await expect(rows.filter({ hasText: name })).toContainText("cleared");
      await expect(rows.filter({ hasText: name })).not.toContainText(DEMO.dana.email);
    }
  });

  await test.step("the integrations' signals are queued and visible", async () => {
    const signals = page.getByRole("table", { name: "Integration signals" });
    // Queued; the delivery worker running inside the e2e server may already have tried it (nothing answers the demo endpoints).
    await expect(signals.getByRole("row", { name: /Braze/ })).toContainText(/pending|retrying|delivered/);
    await expect(signals.getByRole("row", { name: /Meta Custom Audiences/ })).toContainText("stop syncing");
  });

  await test.step("the history shows the entry with its reason", async () => {
    const history = page.getByRole("region", { name: "Consent history" });
    await expect(history).toContainText("Unsubscribed by phone");
    await expect(history).toContainText(DEMO_USERS_BY_ROLE.marketer);
  });

  await test.step("the switch survives a reload", async () => {
    await page.reload();
    await expect(emailSwitch).not.toBeChecked();
    await expect(purposes.getByRole("row", { name: /Email marketing/ })).toContainText("Blocked");
    await expectNoA11yViolations(page);
  });

  await test.step("the stale tab's save is refused with the fresh state, and its choice is kept to save again", async () => {
    const staleSwitch = stale.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Push notifications" });
    await staleSwitch.click();
    await stale.getByRole("button", { name: "Save changes" }).click();
    await expect(stale.getByRole("alert").filter({ hasText: "Someone else changed" })).toBeVisible();
    // The fresh state arrived: email_marketing is now off in the stale tab too.
    await expect(
      stale.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Email marketing" }),
    ).not.toBeChecked();
    await expect(staleSwitch).not.toBeChecked();
    await stale.getByRole("button", { name: "Save changes" }).click();
    await expect(stale.getByText("Consent saved (version 3)", { exact: true })).toBeVisible();
    await stale.close();
  });
});

test("a first change asks how to record the rest", async ({ page }) => {
  await page.goto(ELI);
  await expect(page.getByText("Not recorded: all allowed.")).toBeVisible();
  const purposes = page.getByRole("table", { name: "Consent per purpose" });
  await purposes.getByRole("switch", { name: "Link tracking" }).click();
  await page.getByRole("button", { name: "Save changes" }).click();

  const dialog = page.getByRole("dialog", { name: "Record consent for the first time" });
  await expect(dialog).toBeVisible();
  // Blocking the rest would clear email and push and notify every integration; keeping them allowed does neither.
  await expect(dialog).toContainText("Clears email on 3 audience memberships");
  await expectNoA11yViolations(page);
  await dialog.getByRole("button", { name: "Record others as allowed" }).click();

  await expect(page.getByText("Consent saved (version 1)", { exact: true })).toBeVisible();
  await expect(purposes.getByRole("switch", { name: "Link tracking" })).not.toBeChecked();
  await expect(purposes.getByRole("switch", { name: "Email marketing" })).toBeChecked();
  await page.reload();
  await expect(purposes.getByRole("row", { name: /Email marketing/ })).toContainText("true");
  await expect(purposes.getByRole("row", { name: /Link tracking/ })).toContainText("false");
});

test.describe("as an auditor", () => {
  test.use({ storageState: authFile("auditor") });
  test("sees consent but cannot switch it", async ({ page }) => {
    // Read-only Bruno: Dana's consent may be changing in a test running beside this one.
    await page.goto(`/customers/${DEMO.bruno.id}`);
    await expect(page.getByText("Your role can view consent but not change it.")).toBeVisible();
    await expect(page.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Email marketing" })).toBeDisabled();
  });
});
