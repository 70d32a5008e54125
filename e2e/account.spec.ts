import { authFile, signIn } from "./auth";
import { expect, expectNoA11yViolations, test } from "./fixtures";
import { SettingsPage, unique } from "./pages/settings";

// One's own password and sessions, on a user this spec creates (changing a
// demo user's password would end the sessions the other specs run with).

test.use({ storageState: authFile("admin") });

test("a person sees and ends their sessions and changes their password; an admin signs them out everywhere", async ({ page, browser }) => {
  // Five scrypt sign-ins and password checks on a shared two-core machine.
  test.setTimeout(90_000);
  const email = `${unique("e2e-account")}@staff.example`;
  const settings = new SettingsPage(page);
  await settings.goto();
  const password = await settings.addUser("Account Owner", email, "Auditor");

  // Contexts, not browser.newPage: axe needs a page whose context can open another.
  const laptopContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const phoneContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const laptop = await laptopContext.newPage();
  const phone = await phoneContext.newPage();
  await signIn(laptop, email, password);
  await expect(laptop).toHaveURL(/\/customers/);
  await signIn(phone, email, password);
  await expect(phone).toHaveURL(/\/customers/);

  await test.step("the account page lists both sessions, this one marked", async () => {
    await laptop.getByRole("link", { name: "Your account" }).click();
    await expect(laptop.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    const sessions = laptop.getByRole("table", { name: "Your sessions" });
    await expect(sessions.getByRole("row")).toHaveCount(3);
    await expect(sessions.getByText("This session")).toHaveCount(1);
    await expectNoA11yViolations(laptop);
  });

  await test.step("ending the other session signs the phone out", async () => {
    await laptop.getByRole("button", { name: /^End the session on/ }).click();
    await expect(laptop.getByText("Session ended", { exact: true })).toBeVisible();
    await expect(laptop.getByRole("table", { name: "Your sessions" }).getByRole("row")).toHaveCount(2);
    await phone.reload();
    await expect(phone).toHaveURL(/\/sign-in/);
  });

  await test.step("a wrong current password or a guessable new one is refused at its field", async () => {
    await laptop.getByLabel("Current password").fill("not-my-password-at-all");
    await laptop.getByLabel(/^New password(?! again)/).fill("quartz-meadow-lantern-77");
    await laptop.getByLabel("New password again").fill("quartz-meadow-lantern-77");
    await laptop.getByRole("button", { name: "Change password" }).click();
    await expect(laptop.getByText("Your current password is not right.")).toBeVisible();
    await laptop.getByLabel("Current password").fill(password);
    await laptop.getByLabel(/^New password(?! again)/).fill("password1234");
    await laptop.getByLabel("New password again").fill("password1234");
    await laptop.getByRole("button", { name: "Change password" }).click();
    await expect(laptop.getByText(/Too easy to guess/)).toBeVisible();
  });

  await test.step("the right one changes it, and this session stays signed in", async () => {
    await laptop.getByLabel(/^New password(?! again)/).fill("quartz-meadow-lantern-77");
    await laptop.getByLabel("New password again").fill("quartz-meadow-lantern-77");
    await laptop.getByRole("button", { name: "Change password" }).click();
    await expect(laptop.getByText("Password changed", { exact: true })).toBeVisible();
    await laptop.reload();
    await expect(laptop.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  });

  await test.step("an admin signs them out everywhere", async () => {
    await settings.goto();
    await settings.userRow(email).getByRole("button", { name: "Sign Account Owner out everywhere" }).click();
    const dialog = page.getByRole("dialog", { name: "Sign Account Owner out everywhere?" });
    await dialog.getByRole("button", { name: "End their sessions" }).click();
    await expect(page.getByText("Sessions ended", { exact: true })).toBeVisible();
    await laptop.reload();
    await expect(laptop).toHaveURL(/\/sign-in/);
  });
  await laptopContext.close();
  await phoneContext.close();
});
