import { DEMO_INTEGRATIONS } from "../lib/seed/reference.ts";
import { authFile } from "./auth";
import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

// This spec owns Olga (lib/seed/reference.ts): it deletes her through the
// profile's dialog, so no other spec reads her. The role checks use Chen, a
// read-only customer, and change nothing.
const OLGA = `/customers/${DEMO.olga.id}`;

test.describe("as a privacy officer", () => {
  test.use({ storageState: authFile("privacy_officer") });

  test("deletes a customer through the dialog: preview, wrong text, Escape, the right text, the request; the profile then shows the erasure", async ({
    page,
  }) => {
    // One long scenario with two axe runs, on a machine the other specs share.
    test.setTimeout(90_000);
    const dialog = page.getByRole("dialog", { name: "Delete customer" });
    const confirmation = dialog.getByLabel(/to confirm/);
    const deleteButton = dialog.getByRole("button", { name: "Delete customer" });

    await test.step("the dialog says what will happen first", async () => {
      await page.goto(OLGA);
      await expect(page.getByRole("heading", { level: 1, name: DEMO.olga.name })).toBeVisible();
      await page.getByRole("button", { name: "Delete customer" }).click();
      await expect(dialog).toBeVisible();
      const summary = dialog.getByRole("region", { name: "What will happen" });
      await expect(summary).toContainText(`Leaves 3 audiences: ${[...DEMO.olga.audiences].sort().join(", ")}.`);
      await expect(summary).toContainText("Ends 1 active journey enrolment: Welcome series.");
      // Other specs may add integrations meanwhile: the demo ones are named, whatever the count.
      await expect(summary).toContainText(/Tells \d+ integrations/);
      const notified = dialog.getByRole("list", { name: "Integrations to notify" });
      for (const integration of DEMO_INTEGRATIONS) await expect(notified).toContainText(integration.name);
      await expect(dialog.getByRole("list", { name: "Reporting totals that stay" })).toContainText("Audience sizes over time");
      await dialog.getByText("The retention policy, table by table").click();
      await expect(dialog).toContainText("Kept without identifiers: Art. 7(1) GDPR, proof of consent.");
      await expect(dialog.getByLabel("Regime")).toHaveValue("gdpr");
      await expectNoA11yViolations(page);
    });

    await test.step("the wrong text leaves the delete button disabled", async () => {
      await expect(deleteButton).toBeDisabled();
      await confirmation.fill("olga.petrova@example.co");
      await expect(deleteButton).toBeDisabled();
      await confirmation.fill(DEMO.olga.name);
      await expect(deleteButton).toBeDisabled();
    });

    await test.step("Escape closes the dialog and changes nothing", async () => {
      await page.keyboard.press("Escape");
      await expect(dialog).toHaveCount(0);
      await page.reload();
      await expect(page.getByRole("heading", { level: 1, name: DEMO.olga.name })).toBeVisible();
      await expect(page.getByRole("table", { name: "Consent per purpose" })).toBeVisible();
    });

    await test.step("Cancel too, and what was typed is gone", async () => {
      await page.getByRole("button", { name: "Delete customer" }).click();
      await expect(confirmation).toHaveValue("");
      await confirmation.fill(DEMO.olga.externalId);
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect(dialog).toHaveCount(0);
      await page.getByRole("button", { name: "Delete customer" }).click();
      await expect(confirmation).toHaveValue("");
    });

    let requestUrl = "";
    await test.step("the email (in any case) enables the button; deleting opens the request", async () => {
      // Typed as a person would: her email, her phone in national form, her first name. None of it is kept.
      await expect(dialog.getByText("Emails, phone numbers and the customer's names or ids are replaced by [erased].")).toBeVisible();
      await dialog.getByLabel("Reason (optional)").fill(`Asked by email from ${DEMO.olga.email}; Olga called from (555) 010-0015`);
      await confirmation.fill(`  ${DEMO.olga.email.toUpperCase()}`);
      await expect(deleteButton).toBeEnabled();
      await deleteButton.click();
      await page.waitForURL(/\/deletions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      requestUrl = new URL(page.url()).pathname;
    });

    await test.step("the request keeps the reason without her email, phone or name", async () => {
      await expect(page.getByRole("main")).toContainText("Asked by email from [erased]; [erased] called from [erased]");
      for (const text of ["Olga", DEMO.olga.email, "010-0015"]) await expect(page.getByRole("main")).not.toContainText(text);
    });

    await test.step("the profile shows that she was erased, when, and the request; nothing about her", async () => {
      await page.goto(OLGA);
      await expect(page.getByRole("heading", { level: 1, name: "Erased customer" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "This customer was erased" })).toBeVisible();
      await expect(page.getByRole("link", { name: "View the deletion request" })).toHaveAttribute("href", requestUrl);
      await expect(page.getByRole("main")).toContainText(/Erased on \d{2} \w{3} \d{4}/);
      for (const text of [DEMO.olga.name, DEMO.olga.email, DEMO.olga.externalId, DEMO.olga.phone]) {
        await expect(page.getByRole("main")).not.toContainText(text);
      }
      await expect(page.getByRole("table", { name: "Consent per purpose" })).toHaveCount(0);
      await expect(page.getByRole("switch")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Delete customer" })).toHaveCount(0);
      await expectNoA11yViolations(page);
    });

    await test.step("the directory no longer lists her", async () => {
      await page.goto(`/customers?q=${encodeURIComponent(DEMO.olga.email)}`);
      await expect(page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "No customers match" })).toBeVisible();
      await expect(page.getByRole("table", { name: "Customers" })).toHaveCount(0);
    });
  });
});

for (const role of ["marketer", "auditor"] as const) {
  test(`${role === "auditor" ? "an" : "a"} ${role} gets no delete control`, async ({ browser }) => {
    const context = await browser.newContext({ storageState: authFile(role) });
    const page = await context.newPage();
    await page.goto(`/customers/${DEMO.chen.id}`);
    await expect(page.getByRole("heading", { level: 1, name: DEMO.chen.name })).toBeVisible();
    await expect(page.getByRole("button", { name: "Delete customer" })).toHaveCount(0);
    await context.close();
  });
}
