import { authFile, DEMO_USERS_BY_ROLE, signIn, type DemoRole } from "./auth";
import { DEMO, expect, test } from "./fixtures";

const anonymous = { cookies: [], origins: [] };

// What each role's sidebar offers (PRODUCT.md, "Who uses it").
const NAV: Record<DemoRole, string[]> = {
  admin: ["Customers", "Audiences", "Deletions", "Integrations", "Audit log", "Settings"],
  privacy_officer: ["Customers", "Audiences", "Deletions", "Integrations"],
  marketer: ["Customers", "Audiences"],
  auditor: ["Customers", "Audiences", "Deletions", "Integrations", "Audit log"],
};

test.describe("signed out", () => {
  test.use({ storageState: anonymous });

  test("every dashboard page sends an anonymous visitor to sign in", async ({ page }) => {
    for (const path of ["/customers", `/customers/${DEMO.ana.id}`, "/audit", "/settings"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
    }
  });

  test("a wrong password is refused, and the sixth in a row locks the account", async ({ page }) => {
    const email = `lockout-${Date.now()}@example.com`;
    for (let attempt = 1; attempt <= 5; attempt++) {
      await signIn(page, email, "not-the-password");
      await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
    }
    await signIn(page, email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "Too many failed sign-in attempts for this account" })).toBeVisible();
  });

  test("bad input names the field and signs nobody in", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter the email address you sign in with")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("signing out ends the session, also for a copy of its cookie", async ({ page, context }) => {
    await signIn(page, DEMO_USERS_BY_ROLE.privacy_officer);
    await expect(page).toHaveURL(/\/customers$/);
    const cookies = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await context.addCookies(cookies);
    await page.goto("/customers");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

for (const role of Object.keys(NAV) as DemoRole[]) {
  test.describe(`as ${role}`, () => {
    test.use({ storageState: authFile(role) });

    test(`the sidebar offers exactly what a ${role} may open`, async ({ page }) => {
      await page.goto("/customers");
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link")).toHaveText(NAV[role]);
      await expect(page.getByText(DEMO_USERS_BY_ROLE[role])).toBeVisible();
    });
  });
}

test.describe("forbidden pages", () => {
  test.use({ storageState: authFile("marketer") });

  test("a marketer opening the audit log or settings gets 403 with an explanation", async ({ page }) => {
    for (const path of ["/audit", "/settings", "/deletions"]) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole("heading", { name: "Your role cannot open this page" })).toBeVisible();
    }
  });
});
