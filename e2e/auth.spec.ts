import { createHash } from "node:crypto";
import { authFile, DEMO_PASSWORD, DEMO_USERS_BY_ROLE, signIn, type DemoRole } from "./auth";
import { DEMO, expect, test } from "./fixtures";

const anonymous = { cookies: [], origins: [] };

// What each role's sidebar offers (PRODUCT.md, "Who uses it").
const NAV: Record<DemoRole, string[]> = {
  admin: ["Customers", "Audiences", "Deletions", "Bulk deletions", "Integrations", "Audit log", "Settings"],
  privacy_officer: ["Customers", "Audiences", "Deletions", "Bulk deletions", "Integrations"],
  marketer: ["Customers", "Audiences"],
  auditor: ["Customers", "Audiences", "Deletions", "Bulk deletions", "Integrations", "Audit log"],
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

  test("a next parameter that leads off the app is ignored: signing in stays on the app", async ({ page, baseURL }) => {
    for (const next of ["/..//evil.example", "/%2e%2e//evil.example"]) {
      await page.context().clearCookies();
      await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
      await page.getByLabel("Email").fill(DEMO_USERS_BY_ROLE.auditor);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page).toHaveURL(`${baseURL}/customers`);
    }
  });

  test("signing in after being sent from /audiences returns there", async ({ page }) => {
    await page.goto("/audiences");
    await expect(page).toHaveURL(/\/sign-in\?next=%2Faudiences$/);
    await page.getByLabel("Email").fill(DEMO_USERS_BY_ROLE.marketer);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/audiences$/);
    await expect(page.getByRole("heading", { level: 1, name: "Audience send preview" })).toBeVisible();
  });

  test("a wrong password keeps the typed email", async ({ page }) => {
    const email = `keeps-email-${Date.now()}@example.com`;
    await signIn(page, email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page.getByLabel("Password")).toHaveValue("");
  });

  test("the audit log stores the socket address, not an X-Forwarded-For a client wrote", async ({ request, browser, baseURL }) => {
    const email = `forwarded-${Date.now()}@example.com`;
    const response = await request.post("/api/auth/sign-in/email", {
      headers: { origin: baseURL!, "x-forwarded-for": "=7+7" },
      data: { email, password: "not-the-password" },
    });
    expect(response.status()).toBe(401);
    // The failure names the unknown account by a digest of what was typed (lib/auth/server.ts).
    const targetId = createHash("sha256").update(email).digest("hex").slice(0, 16);
    const admin = await browser.newContext({ storageState: authFile("admin") });
    const csv = await admin.request.get(`/api/audit/export?action=sign_in.failure&targetType=unknown_account&targetId=${targetId}`);
    expect(csv.status()).toBe(200);
    const [header, row, ...rest] = (await csv.text()).trim().split("\n");
    expect(rest).toEqual([]);
    const ip = row!.split(",")[header!.split(",").indexOf("ip")];
    expect(ip).toBe("127.0.0.1");
    await admin.close();
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
