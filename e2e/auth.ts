import path from "node:path";
import type { Page } from "@playwright/test";

/** The seeded demo users (lib/seed/users.ts), one per role. */
export const DEMO_PASSWORD = "consent-desk-demo";
export const DEMO_USERS_BY_ROLE = {
  admin: "admin@example.com",
  privacy_officer: "privacy@example.com",
  marketer: "marketer@example.com",
  auditor: "auditor@example.com",
} as const;
export type DemoRole = keyof typeof DEMO_USERS_BY_ROLE;

export const authFile = (role: DemoRole) => path.join(import.meta.dirname, ".auth", `${role}.json`);

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
