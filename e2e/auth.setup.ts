import { expect, test as setup } from "@playwright/test";
import { authFile, DEMO_USERS_BY_ROLE, signIn } from "./auth";

// Signs each role in once through the form and saves its cookies for the tests.
for (const [role, email] of Object.entries(DEMO_USERS_BY_ROLE)) {
  setup(`sign in as ${role}`, async ({ page }) => {
    // scrypt is deliberately slow; on a busy 2-core CI machine a first sign-in can take seconds.
    setup.setTimeout(90_000);
    await signIn(page, email);
    await expect(page).toHaveURL(/\/customers$/, { timeout: 60_000 });
    await page.context().storageState({ path: authFile(role as keyof typeof DEMO_USERS_BY_ROLE) });
  });
}
