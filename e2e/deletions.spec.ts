import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dueAt } from "../lib/deletions/deadlines.ts";
import { formatDate } from "../lib/format.ts";
import { authFile } from "./auth";
import { expect, expectNoA11yViolations, test } from "./fixtures";

// Deletion requests, the deadline extension and the receipt. Each test makes
// its own requests in the e2e server's database through the product's own
// erasure (e2e/deletion-fixture.ts: a new customer, erased at once, dated
// back where a deadline must have passed), so no demo customer is touched.
// Their delete signals go to the demo integrations, whose endpoints nobody
// answers here: they stay pending or retrying unless the fixture failed one.

const onPostgres = (() => {
  try {
    return Boolean((JSON.parse(readFileSync(".data/e2e/secrets.json", "utf8")) as { DATABASE_URL: string | null }).DATABASE_URL);
  } catch {
    return false;
  }
})();
test.skip(!onPostgres, "the deletion fixture writes to the e2e server's PostgreSQL database (DATABASE_URL)");

type Made = { id: string; customerId: string };
function makeDeletion(input: { regime?: "gdpr" | "ccpa"; receivedDaysAgo?: number; failOne?: boolean } = {}): Made {
  const out = execFileSync("node_modules/.bin/tsx", ["--conditions=react-server", "e2e/deletion-fixture.ts", JSON.stringify(input)], {
    encoding: "utf8",
  });
  return JSON.parse(out) as Made;
}

const row = (page: import("@playwright/test").Page, id: string) =>
  page
    .getByRole("table", { name: "Deletion requests" })
    .getByRole("row")
    .filter({ has: page.locator(`a[href="/deletions/${id}"]`) });

test.describe("as a privacy officer", () => {
  test.use({ storageState: authFile("privacy_officer") });

  test("sees overdue and due-soon requests stand out, filters, opens one, retries, extends it with a reason and opens its receipt", async ({
    page,
  }) => {
    // Each fixture call starts a tsx process: a few seconds apiece on the shared machine.
    test.slow();
    const overdue = makeDeletion({ regime: "gdpr", receivedDaysAgo: 40, failOne: true });
    const soon = makeDeletion({ regime: "gdpr", receivedDaysAgo: 27 });

    await test.step("the list marks the overdue and the due-soon request in words", async () => {
      await page.goto("/deletions");
      await expect(page.getByRole("heading", { level: 1, name: "Deletions" })).toBeVisible();
      await page.getByLabel("Deadline").selectOption({ label: "Overdue" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page).toHaveURL(/deadline=overdue/);
      await expect(row(page, overdue.id)).toContainText("Overdue");
      await expect(row(page, overdue.id)).toContainText("Delivery failed");
      await expect(row(page, overdue.id)).toContainText("GDPR");
      await expect(row(page, soon.id)).toHaveCount(0);
      await expectNoA11yViolations(page);

      await page.getByLabel("Deadline").selectOption({ label: "Due soon" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page).toHaveURL(/deadline=due_soon/);
      await expect(row(page, soon.id)).toContainText("Due soon");
      await expect(row(page, overdue.id)).toHaveCount(0);
    });

    await test.step("a bad filter is named, and the rest still applies", async () => {
      await page.goto("/deletions?deadline=overdue&regime=pdpa");
      await expect(page.getByRole("alert").filter({ hasText: "could not be used" })).toContainText("Regime");
      await expect(row(page, overdue.id)).toContainText("Overdue");
    });

    await test.step("the request shows who asked and how, its deadline, and each integration's delete signal", async () => {
      await row(page, overdue.id).getByRole("link").click();
      await expect(page.getByRole("heading", { level: 1, name: "Deletion request" })).toBeVisible();
      await expect(page.getByText(overdue.id).first()).toBeVisible();
      await expect(page.getByText("Overdue").first()).toBeVisible();
      await expect(page.getByText("API", { exact: false }).first()).toBeVisible();
      const signals = page.getByRole("table", { name: "Delete signal per integration" });
      await expect(signals.getByRole("row").filter({ hasText: "Failed" })).toHaveCount(1);
      await expect(page.getByRole("heading", { name: "Retention policy applied" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
      await expect(page.getByText("Deletion requested")).toBeVisible();
      await expectNoA11yViolations(page);
    });

    await test.step("a failed delete signal is retried by hand", async () => {
      const failed = page.getByRole("table", { name: "Delete signal per integration" }).getByRole("row").filter({ hasText: "Failed" });
      await failed.getByRole("button", { name: /^Retry the delete signal to/ }).click();
      await expect(
        page.getByRole("table", { name: "Delete signal per integration" }).getByRole("row").filter({ hasText: "Failed" }),
      ).toHaveCount(0);
    });

    await test.step("the deadline is extended with a reason, and the resulting due date is shown first", async () => {
      const detail = await (await page.request.get(`/api/deletion-requests/${overdue.id}`)).json();
      const receivedAt = new Date((detail as { data: { received_at: string } }).data.received_at);
      const expected = formatDate(dueAt({ regime: "gdpr", receivedAt, extension: 2 }));
      await page.getByLabel("Extend to a total of").selectOption({ label: "2 months" });
      await expect(page.getByText(`New due date: ${expected}`)).toBeVisible();
      await page.getByLabel("Reason").fill("The customer holds two accounts that a processor must reconcile.");
      await page.getByRole("button", { name: "Extend deadline" }).click();
      await expect(page.getByText("2 months", { exact: true })).toBeVisible();
      await expect(page.getByText("The customer holds two accounts that a processor must reconcile.")).toBeVisible();
      await expect(page.getByText(/Already extended by 2 months/)).toBeVisible();
      await expect(page.getByText("Deletion deadline extended")).toBeVisible();
    });

    await test.step("the receipt is printable, downloadable, and names no one", async () => {
      await page.getByRole("link", { name: "Receipt", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Proof of deletion" })).toBeVisible();
      const receipt = page.getByRole("article", { name: `Deletion request ${overdue.id}` });
      await expect(receipt).toContainText(/hmac-sha256:[0-9a-f]{64}/);
      await expect(receipt).toContainText("2 months");
      await expect(receipt.getByRole("table", { name: "Acknowledgements per integration" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Print" })).toBeVisible();
      const text = await receipt.innerText();
      expect(text).not.toContain("e2e-del-");
      expect(text).not.toContain("example.test");
      expect(text).not.toContain("Erin Deletion");
      await expectNoA11yViolations(page);
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "Download JSON" }).click();
      expect((await download).suggestedFilename()).toBe(`deletion-receipt-${overdue.id}.json`);
    });
  });

  test("at phone width the list and a request fit the screen", async ({ page }) => {
    test.slow();
    const made = makeDeletion({ regime: "ccpa" });
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ["/deletions", `/deletions/${made.id}`, `/deletions/${made.id}/receipt`]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
    }
  });
});

test.describe("as an auditor", () => {
  test.use({ storageState: authFile("auditor") });

  test("reads the list, a request and its receipt, with no extension or retry controls", async ({ page }) => {
    test.slow();
    const made = makeDeletion({ regime: "gdpr", receivedDaysAgo: 40, failOne: true });
    await page.goto("/deletions?deadline=overdue");
    await expect(row(page, made.id)).toContainText("Overdue");
    await row(page, made.id).getByRole("link").click();
    await expect(page.getByRole("heading", { level: 1, name: "Deletion request" })).toBeVisible();
    await expect(
      page.getByRole("table", { name: "Delete signal per integration" }).getByRole("row").filter({ hasText: "Failed" }),
    ).toHaveCount(1);
    await expect(page.getByRole("button", { name: /Retry/ })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "Extend the deadline" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Extend deadline" })).toHaveCount(0);
    await expectNoA11yViolations(page);
    await page.getByRole("link", { name: "Receipt", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Proof of deletion" })).toBeVisible();
    await expectNoA11yViolations(page);
  });
});
