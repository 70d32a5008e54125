import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

/**
 * The seeded demo customers (lib/seed/reference.ts). Each has an `owner`: a
 * spec reads or changes only the read-only ones and those it owns
 * (lib/seed/__tests__/e2e-ownership.test.ts checks the spec files).
 */
export { DEMO } from "../lib/seed/reference.ts";

export class CustomersPage {
  constructor(readonly page: Page) {}

  async goto(query = "") {
    await this.page.goto(`/customers${query}`);
    await expect(this.page.getByRole("heading", { level: 1, name: "Customers" })).toBeVisible();
  }

  get results() {
    return this.page.getByRole("table", { name: "Customers" });
  }

  /** A customer's row, found by email (names repeat in the demo data; emails do not). */
  row(email: string) {
    return this.results.getByRole("row").filter({ hasText: email });
  }

  async search(text: string) {
    await this.page.getByRole("searchbox", { name: "Search" }).fill(text);
    await this.page.getByRole("searchbox", { name: "Search" }).press("Enter");
  }

  /** The result rows, without the header row. */
  get rows() {
    return this.results.getByRole("row").filter({ has: this.page.getByRole("cell") });
  }

  async filterPurpose(label: string, state: "Allowed" | "Blocked") {
    await this.page.getByLabel("Purpose", { exact: true }).selectOption({ label });
    await this.page.getByLabel("Purpose is").selectOption({ label: state });
    await this.page.getByRole("button", { name: "Apply filters" }).click();
  }

  /** Filters by a vendor, chosen by its integration's name. */
  async filterVendor(name: string, state: "Allowed" | "Blocked") {
    await this.page.getByLabel("Vendor", { exact: true }).selectOption({ label: name });
    await this.page.getByLabel("Vendor is").selectOption({ label: state });
    await this.page.getByRole("button", { name: "Apply filters" }).click();
  }
}

/** Fails with the list of axe violations (WCAG 2.x A and AA) on the current page. */
export async function expectNoA11yViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

export const test = base.extend<{ customers: CustomersPage }>({
  customers: async ({ page }, provide) => provide(new CustomersPage(page)),
});

export { expect };
