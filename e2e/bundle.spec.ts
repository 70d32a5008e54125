import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

// What the browser downloads: every file Next.js serves from /_next/static.
function clientFiles(dir = ".next/static"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? clientFiles(full) : [full];
  });
}

test("no server secret or server-only module reaches a client bundle", async ({ page }) => {
  const secrets = JSON.parse(readFileSync(".data/e2e/secrets.json", "utf8")) as Record<string, string | null>;
  const files = clientFiles();
  expect(files.length).toBeGreaterThan(5);
  const needles = [
    secrets.BETTER_AUTH_SECRET!,
    secrets.TOMBSTONE_SECRET!,
    ...(secrets.DATABASE_URL ? [secrets.DATABASE_URL] : []),
    "BETTER_AUTH_SECRET",
    "TOMBSTONE_SECRET",
    "auth-secret", // lib/auth/secret.ts's file name
    "tombstone-secret",
    "customer_tombstones", // SQL from lib/deletions
    "key_hash", // the API keys table
    "pg_advisory", // SQL from lib/db
  ];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const needle of needles) expect(text.includes(needle), `${needle} found in ${file}`).toBe(false);
  }
  // And the pages the browser actually loads carry none either.
  await page.goto("/sign-in");
  expect(await page.content()).not.toContain(secrets.BETTER_AUTH_SECRET);
});
