import { authFile, DEMO_USERS_BY_ROLE, signIn } from "./auth";
import { expect, expectNoA11yViolations, test } from "./fixtures";
import { SettingsPage, unique } from "./pages/settings";

test.use({ storageState: authFile("admin") });

test("an admin adds a user, changes their role, and deactivating them signs them out at once", async ({ page, browser }) => {
  const settings = new SettingsPage(page);
  const name = unique("E2E Person");
  const email = `${unique("e2e-user")}@example.com`;
  await settings.goto();

  const password = await test.step("add the user with a generated password, shown once", async () => {
    const generated = await settings.addUser(name, email, "Marketer");
    expect(generated).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await expect(settings.userRow(email)).toContainText("Marketer");
    await expect(settings.userRow(email)).toContainText("Active");
    expect(await page.content()).not.toContain(generated);
    return generated;
  });

  // The new user signs in elsewhere, to show deactivation ends that session.
  const theirs = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const theirPage = await theirs.newPage();
  await test.step("the new user can sign in with it", async () => {
    await signIn(theirPage, email, password);
    await expect(theirPage).toHaveURL(/\/customers$/);
  });

  await test.step("change their role", async () => {
    await settings
      .userRow(email)
      .getByRole("button", { name: `Change role of ${name}` })
      .click();
    const dialog = page.getByRole("dialog", { name: `Change the role of ${name}` });
    await expect(dialog.getByLabel("New role")).toHaveValue("marketer");
    await dialog.getByLabel("New role").selectOption({ label: "Auditor" });
    await dialog.getByRole("button", { name: "Change role" }).click();
    await expect(dialog).toBeHidden();
    await expect(settings.userRow(email)).toContainText("Auditor");
  });

  await test.step("deactivate them after a confirmation that names them", async () => {
    await settings
      .userRow(email)
      .getByRole("button", { name: `Deactivate ${name}` })
      .click();
    const dialog = page.getByRole("dialog", { name: `Deactivate ${name}?` });
    await expect(dialog).toContainText(email);
    await dialog.getByRole("button", { name: "Deactivate user" }).click();
    await expect(dialog).toBeHidden();
    await expect(settings.userRow(email)).toContainText("Deactivated");
    await expect(settings.userRow(email).getByRole("button", { name: `Reactivate ${name}` })).toBeVisible();
  });

  await test.step("their open session has ended and they cannot sign in again", async () => {
    await theirPage.goto("/customers");
    await expect(theirPage).toHaveURL(/\/sign-in/);
    await signIn(theirPage, email, password);
    // Filtered: after a client-side redirect Next's route announcer is an alert too.
    await expect(theirPage.getByRole("alert").filter({ hasText: "Invalid email or password" })).toBeVisible();
    await expect(theirPage).toHaveURL(/\/sign-in/);
  });
  await theirs.close();
});

test("bad input names the field and adds nobody", async ({ page }) => {
  const settings = new SettingsPage(page);
  await settings.goto();
  await page.getByRole("button", { name: "Add user" }).click();
  const dialog = page.getByRole("dialog", { name: "Add user" });
  await dialog.getByLabel("Name").fill("Nobody");
  await dialog.getByLabel("Email").fill("not-an-email");
  await dialog.getByLabel("Set a password").check();
  await dialog.getByLabel(/^Password/).fill("short");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText("Enter an email address like name@example.com")).toBeVisible();
  await expect(dialog.getByText("Use at least 12 characters")).toBeVisible();
  await expect(dialog.getByText("Choose one of the roles")).toBeVisible();
  await expect(dialog.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  // What was typed stays, to be corrected.
  await expect(dialog.getByLabel("Name")).toHaveValue("Nobody");

  await dialog.getByLabel("Email").fill(DEMO_USERS_BY_ROLE.auditor.toUpperCase());
  await dialog.getByLabel("Role").selectOption({ label: "Auditor" });
  await dialog.getByLabel(/^Password/).fill("password1234");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText(/Too easy to guess/)).toBeVisible();
  await dialog.getByLabel(/^Password/).fill("long-enough-password");
  await dialog.getByRole("button", { name: "Add user" }).click();
  await expect(dialog.getByText("A user with this email already exists.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: "Nobody" })).toHaveCount(0);
});

test("an admin creates API keys that are shown once, work with their role, and stop when revoked", async ({ page, request }) => {
  const settings = new SettingsPage(page);
  const auditorName = unique("E2E evidence export");
  const marketerName = unique("E2E CRM sync");
  await settings.goto();

  const auditorKey = await test.step("create an auditor key and see it once", async () => {
    const key = await settings.createKey(auditorName, "Auditor");
    expect(key).toMatch(/^cdk_[A-Za-z0-9_-]{43}$/);
    const row = settings.keyRow(auditorName);
    await expect(row).toContainText(`${key.slice(0, 12)}…`);
    await expect(row).toContainText(DEMO_USERS_BY_ROLE.admin);
    await expect(row).toContainText("Never");
    await expect(row).toContainText("Active");
    expect(await page.content()).not.toContain(key);
    return key;
  });
  const marketerKey = await settings.createKey(marketerName, "Marketer");

  await test.step("each key acts with its own role", async () => {
    const asAuditor = await request.get("/api/audit/export", { headers: { Authorization: `Bearer ${auditorKey}` } });
    expect(asAuditor.status()).toBe(200);
    expect(asAuditor.headers()["content-type"]).toContain("text/csv");
    const asMarketer = await request.get("/api/audit/export", { headers: { Authorization: `Bearer ${marketerKey}` } });
    expect(asMarketer.status()).toBe(403);
    await page.reload();
    await expect(settings.keyRow(auditorName)).not.toContainText("Never");
  });

  await test.step("revoke the auditor key after a confirmation; it is refused from then on", async () => {
    await settings
      .keyRow(auditorName)
      .getByRole("button", { name: `Revoke ${auditorName}` })
      .click();
    const dialog = page.getByRole("dialog", { name: `Revoke "${auditorName}"?` });
    await dialog.getByRole("button", { name: "Revoke key" }).click();
    await expect(dialog).toBeHidden();
    await expect(settings.keyRow(auditorName)).toContainText("Revoked");
    const revoked = await request.get("/api/audit/export", { headers: { Authorization: `Bearer ${auditorKey}` } });
    expect(revoked.status()).toBe(401);
  });
});

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test("the settings page and its dialogs pass axe", async ({ page }) => {
      const settings = new SettingsPage(page);
      await settings.goto();
      await expect(page.getByRole("table", { name: "Roles and what they may do" })).toContainText("Read and export the audit log");
      await expectNoA11yViolations(page);

      await test.step("add user, with errors shown", async () => {
        await page.getByRole("button", { name: "Add user" }).click();
        const dialog = page.getByRole("dialog", { name: "Add user" });
        await dialog.getByLabel("Set a password").check();
        await dialog.getByRole("button", { name: "Add user" }).click();
        await expect(dialog.getByText("Enter the person's name")).toBeVisible();
        await expectNoA11yViolations(page);
        await page.keyboard.press("Escape");
        await expect(dialog).toBeHidden();
      });

      await test.step("change role and deactivate, opened for a demo user and cancelled", async () => {
        const row = settings.userRow(DEMO_USERS_BY_ROLE.privacy_officer);
        await row.getByRole("button", { name: /^Change role of/ }).click();
        await expect(page.getByRole("dialog")).toBeVisible();
        await expectNoA11yViolations(page);
        await page.keyboard.press("Escape");
        await row.getByRole("button", { name: /^Deactivate/ }).click();
        const confirm = page.getByRole("dialog");
        await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
        await expectNoA11yViolations(page);
        await confirm.getByRole("button", { name: "Cancel" }).click();
        await expect(confirm).toBeHidden();
      });

      await test.step("create key, then the key shown once, then revoke", async () => {
        const name = unique("E2E axe key");
        await page.getByRole("button", { name: "Create key" }).click();
        const dialog = page.getByRole("dialog", { name: "Create API key" });
        await expectNoA11yViolations(page);
        await dialog.getByLabel("Name").fill(name);
        await dialog.getByLabel("Role").selectOption({ label: "Auditor" });
        await dialog.getByRole("button", { name: "Create key" }).click();
        const reveal = page.getByRole("dialog", { name: "API key created" });
        await expect(reveal.getByLabel("API key")).toHaveValue(/^cdk_/);
        await expectNoA11yViolations(page);
        await reveal.getByRole("button", { name: "Done" }).click();
        await settings
          .keyRow(name)
          .getByRole("button", { name: `Revoke ${name}` })
          .click();
        await expect(page.getByRole("dialog", { name: `Revoke "${name}"?` })).toBeVisible();
        await expectNoA11yViolations(page);
        await page.keyboard.press("Escape");
      });

      await test.step("the admin cannot deactivate themself from the table", async () => {
        const own = settings.userRow(DEMO_USERS_BY_ROLE.admin);
        await expect(own).toContainText("You");
        await expect(own.getByRole("button", { name: /^Deactivate/ })).toHaveCount(0);
      });
    });
  });
}
