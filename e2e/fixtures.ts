import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Page } from "@playwright/test";

/** Seeded demo customers (lib/seed/reference.ts) the read-only tests look at. */
export const DEMO = {
  ana: { id: "00000000-0000-4000-8000-000000000001", name: "Ana López", email: "ana.lopez@example.com" },
  bruno: { id: "00000000-0000-4000-8000-000000000002", name: "Bruno Silva", email: "bruno.silva@example.com" },
} as const;

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

  async filterPurpose(label: string, state: "Allowed" | "Blocked") {
    await this.page.getByLabel("Purpose", { exact: true }).selectOption({ label });
    await this.page.getByLabel("Purpose is").selectOption({ label: state });
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
