import { expect, test as setup } from "@playwright/test";
import { authFile, DEMO_USERS_BY_ROLE, signIn } from "./auth";

// Signs each role in once through the form and saves its cookies for the tests.
for (const [role, email] of Object.entries(DEMO_USERS_BY_ROLE)) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(/\/customers$/);
    await page.context().storageState({ path: authFile(role as keyof typeof DEMO_USERS_BY_ROLE) });
  });
}
