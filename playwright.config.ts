import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { authFile } from "./e2e/auth";

const port = Number(process.env.E2E_PORT ?? 3300);
// Playwright cannot download its browsers on every network; Debian's Chromium works (see README).
const chromiumPath = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

const browser = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: chromiumPath,
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  },
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  // No retries, in CI either: a flaky test fails the run instead of passing on a second try.
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/, use: { ...browser } },
    // Before the others: it waits for every integration to acknowledge a deletion, so it runs while only the demo ones exist.
    { name: "deletion-journey", dependencies: ["setup"], testMatch: /deletion-journey\.spec\.ts/, use: { ...browser } },
    // Tests run as the marketer unless they ask for another role (e2e/auth.ts).
    {
      name: "chromium",
      dependencies: ["setup", "deletion-journey"],
      testIgnore: /deletion-journey\.spec\.ts/,
      use: { ...browser, storageState: authFile("marketer") },
    },
  ],
  webServer: {
    command: "npx tsx e2e/serve.ts",
    url: `http://127.0.0.1:${port}/customers`,
    env: { E2E_PORT: String(port) },
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    stdout: "pipe",
  },
});
