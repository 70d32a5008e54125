import path from "node:path";
import type { Page } from "@playwright/test";

import type { Role } from "../lib/auth/permissions.ts";
import { DEMO_PASSWORD, demoUser } from "../lib/seed/reference.ts";

export { DEMO_PASSWORD };
export type DemoRole = Role;

/** The seeded demo users' emails (lib/seed/reference.ts), one per role. */
export const DEMO_USERS_BY_ROLE: Record<DemoRole, string> = {
  admin: demoUser("admin").email,
  privacy_officer: demoUser("privacy_officer").email,
  marketer: demoUser("marketer").email,
  auditor: demoUser("auditor").email,
};

export const authFile = (role: DemoRole) => path.join(import.meta.dirname, ".auth", `${role}.json`);

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
