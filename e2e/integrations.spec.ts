import { DEMO_INTEGRATIONS } from "../lib/seed/reference.ts";
import { authFile } from "./auth";
import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";
import { IntegrationsSettings } from "./pages/integrations-settings";
import { SettingsPage, unique } from "./pages/settings";

// This spec owns Iris (lib/seed/reference.ts): the seed (lib/seed/deliveries.ts)
// gave her consent's signals a fate — Meta delivered at once, Warehouse after
// one failure, Braze failed after every attempt — and only this spec retries
// it. Nour's failed Braze signal is read-only: it is never retried here. With
// or without a delivery worker running beside the app, a retried signal shows
// pending, retrying or delivered (nothing answers the demo endpoints in the
// e2e run unless a receiver does), so the checks accept any of those.

const [META, BRAZE, WAREHOUSE] = DEMO_INTEGRATIONS;
const SENT_AGAIN = /Pending|Retrying|Delivered/;

test.describe("as an auditor", () => {
  test.use({ storageState: authFile("auditor") });

  test("reads every integration's figures and delivery log, and gets no retry button", async ({ page }) => {
    await test.step("the list shows each integration's state in words, with its figures", async () => {
      await page.goto("/integrations");
      await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
      for (const integration of DEMO_INTEGRATIONS) {
        const card = page.getByRole("article", { name: integration.name });
        await expect(card).toContainText(/Connected|Paused|Disabled by the endpoint/);
        await expect(card).toContainText(/Healthy|Retrying|Failing/);
        for (const figure of [
          "Pending",
          "Delivered",
          "Failed",
          "Success rate, 24 h",
          "p95 latency, 24 h",
          "Propagation lag, 24 h",
          "Propagation lag, 7 days",
          "Last error",
        ]) {
          await expect(card).toContainText(figure);
        }
      }
      // Meta's seeded signals were all delivered, within a second of each change.
      await expect(page.getByRole("article", { name: META!.name })).toContainText("p50 / p95 of");
      await expect(page.getByRole("button", { name: /Retry/ })).toHaveCount(0);
      await expectNoA11yViolations(page);
    });

    await test.step("the delivery log lists signals with customer, status, attempts and the receiver's reference", async () => {
      await page.getByRole("link", { name: `Delivery log of ${META!.name}` }).click();
      await expect(page.getByRole("heading", { level: 1, name: META!.name })).toBeVisible();
      // Other specs' deletions queue delete signals (newest first): Jonas's consent change is among the consent changes.
      await page.goto(`/integrations/${META!.id}?kind=consent_change`);
      await expect(page.getByLabel("Kind", { exact: true })).toHaveValue("consent_change");
      const log = page.getByRole("table", { name: "Delivery log" });
      const jonas = log.getByRole("row").filter({ hasText: DEMO.jonas.externalId });
      await expect(jonas).toContainText("Delivered");
      await expect(jonas).toContainText("Consent change: stop syncing (version 1)");
      await expect(jonas).toContainText(/meta-evt-[0-9a-f]{8}/);
      await expect(jonas.getByRole("link", { name: DEMO.jonas.externalId })).toHaveAttribute("href", `/customers/${DEMO.jonas.id}`);
      await expectNoA11yViolations(page);
    });

    await test.step("a failed signal's attempts open, every one with its answer; still no button", async () => {
      await page.goto(`/integrations/${BRAZE!.id}`);
      await page.getByLabel("Status", { exact: true }).selectOption({ label: "Failed" });
      await page.getByRole("button", { name: "Apply filters" }).click();
      await expect(page).toHaveURL(/status=failed/);
      const nour = page.getByRole("table", { name: "Delivery log" }).getByRole("row").filter({ hasText: DEMO.nour.externalId });
      await expect(nour).toContainText("Failed");
      await nour.getByRole("link", { name: /^Attempts of signal/ }).click();
      const attempts = page.getByRole("table", { name: "Attempts, oldest first" });
      await expect(attempts.getByRole("row").filter({ has: page.getByRole("cell") })).toHaveCount(10);
      await expect(attempts).toContainText("The endpoint answered 503.");
      await expect(page.getByRole("region", { name: "Attempts of this signal" })).toContainText("Failed");
      await expect(page.getByRole("button", { name: /Retry/ })).toHaveCount(0);
      await expectNoA11yViolations(page);
    });
  });
});

test.describe("as a privacy officer", () => {
  test.use({ storageState: authFile("privacy_officer") });

  test("retries a failed signal: it goes back to pending under the same id, and the profile says so", async ({ page }) => {
    await page.goto(`/integrations/${BRAZE!.id}?status=failed`);
    const iris = page.getByRole("table", { name: "Delivery log" }).getByRole("row").filter({ hasText: DEMO.iris.externalId });
    await expect(iris).toContainText("Failed");
    const id = (await iris.locator("code").first().textContent())!.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    await test.step("retry it", async () => {
      await iris.getByRole("button", { name: `Retry signal ${id}` }).click();
      // Revalidated: it is no longer failed, so it leaves the failed filter.
      await expect(page.getByRole("table", { name: "Delivery log" }).getByRole("row").filter({ hasText: id })).toHaveCount(0);
    });

    await test.step("the same signal, same id, is sent again on a fresh schedule", async () => {
      await page.goto(`/integrations/${BRAZE!.id}?signal=${id}`);
      const detail = page.getByRole("region", { name: "Attempts of this signal" });
      await expect(detail).toContainText(id);
      await expect(detail).toContainText(SENT_AGAIN);
      await expect(detail).toContainText("retried by hand");
      await expectNoA11yViolations(page);
    });

    await test.step("the customer's history shows Braze's signal no longer failed", async () => {
      await page.goto(`/customers/${DEMO.iris.id}`);
      const told = page.getByRole("region", { name: "Consent history" }).getByRole("list", { name: "When each integration was told" });
      const braze = told.getByRole("listitem").filter({ hasText: BRAZE!.name });
      await expect(braze).toContainText(SENT_AGAIN);
      await expect(braze.getByText("Failed", { exact: true })).toHaveCount(0);
    });
  });

  test("“Retry all failed” says how many before anything happens, and works from the keyboard", async ({ page }) => {
    await page.goto(`/integrations/${BRAZE!.id}`);
    const figure = page
      .getByRole("region", { name: `${BRAZE!.name}: signals by status` })
      .locator("dt", { hasText: /^Failed$/ })
      .locator("xpath=following-sibling::dd[1]");
    const failed = Number((await figure.textContent())!.replace(/,/g, ""));
    expect(failed).toBeGreaterThan(0);
    const trigger = page.getByRole("button", { name: "Retry all failed" });
    await trigger.focus();
    await page.keyboard.press("Enter");
    const noun = failed === 1 ? "signal" : "signals";
    const dialog = page.getByRole("dialog", { name: `Retry ${failed} failed ${noun} to ${BRAZE!.name}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("button", { name: `Retry ${failed} failed ${noun}` })).toBeVisible();
    await expectNoA11yViolations(page);
    // Cancelled: Nour's signal stays failed for the auditor's test.
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(trigger).toBeFocused();
  });

  test("the integrations pages fit a phone: nothing wider than the screen but the tables, which scroll", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ["/integrations", `/integrations/${WAREHOUSE!.id}`]) {
      await page.goto(path);
      await expect(page.locator("h1")).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});

test("the profile shows when each integration was told of a change, and what each had been told as of a time", async ({ page }) => {
  await page.goto(`/customers/${DEMO.iris.id}`);
  const history = page.getByRole("region", { name: "Consent history" });
  const entry = history.getByRole("article", { name: "Version 1: first recording" });

  await test.step("each integration's signal and its fate", async () => {
    const told = entry.getByRole("list", { name: "When each integration was told" });
    const meta = told.getByRole("listitem").filter({ hasText: META!.name });
    await expect(meta).toContainText("Delivered");
    await expect(meta).toContainText("stop syncing");
    await expect(meta).toContainText(/receiver ref meta-evt-[0-9a-f]{8}/);
    await expect(told.getByRole("listitem").filter({ hasText: WAREHOUSE!.name })).toContainText("Delivered");
    // Braze failed in the seed; the privacy officer's test may have retried it meanwhile.
    await expect(told.getByRole("listitem").filter({ hasText: BRAZE!.name })).toContainText(/Failed|Pending|Retrying|Delivered/);
    await expectNoA11yViolations(page);
  });

  await test.step("as of 30 seconds after the change: Meta had been told, Warehouse (one failure first) and Braze not yet", async () => {
    const changedAt = await entry.locator("time").first().getAttribute("datetime");
    const asOf = new Date(Date.parse(changedAt!) + 30_000).toISOString().slice(0, 19);
    await page.getByLabel("As of (UTC)").fill(asOf);
    await history.getByRole("button", { name: "Apply" }).click();
    const told = page.getByRole("list", { name: "What each integration had been told by then" });
    await expect(told.getByRole("listitem").filter({ hasText: META!.name })).toContainText("Told: blocked");
    await expect(told.getByRole("listitem").filter({ hasText: META!.name })).toContainText("version 1");
    await expect(told.getByRole("listitem").filter({ hasText: WAREHOUSE!.name })).toContainText("Not told yet");
    await expect(told.getByRole("listitem").filter({ hasText: BRAZE!.name })).toContainText("Not told yet");
    // Her consent then blocked both: Warehouse and Braze were behind.
    await expect(told.getByRole("listitem").filter({ hasText: BRAZE!.name })).toContainText("Behind: the consent then blocked syncing.");
    await expectNoA11yViolations(page);
  });
});

test("an endpoint's query-string token is whole for the admin who edits it and masked on every page others read", async ({ browser }) => {
  const token = unique("tok").replace(/[^A-Za-z0-9]/g, "");
  // Nothing listens on port 9: signals to it are refused and retried, and the integration is paused at the end.
  const endpoint = `http://127.0.0.1:9/hooks/e2e?token=${token}&region=eu`;
  const masked = "http://127.0.0.1:9/hooks/e2e?token=…&region=…";
  // "Zulu" sorts after the demo integrations wherever other specs list them by name.
  const name = unique("Zulu tokened");
  const admin = await browser.newContext({ storageState: authFile("admin") });
  const adminPage = await admin.newPage();
  const settings = new IntegrationsSettings(adminPage);

  await test.step("an admin adds it and sees the whole URL, in Settings, to edit, and on the integrations page", async () => {
    await new SettingsPage(adminPage).goto();
    const vendor = `e2e-tok-${token.slice(-8).toLowerCase()}`;
    await settings.add({ name, vendor, endpoint, purposes: [] });
    await settings.takeSecret("Integration added", `Signing secret for ${name}`);
    await expect(settings.row(name)).toContainText(endpoint);
    await settings
      .row(name)
      .getByRole("button", { name: `Edit ${name}` })
      .click();
    await expect(adminPage.getByRole("dialog", { name: `Edit ${name}` }).getByLabel("Endpoint URL")).toHaveValue(endpoint);
    await adminPage.keyboard.press("Escape");
    await adminPage.goto("/integrations");
    await expect(adminPage.getByRole("article", { name })).toContainText(endpoint);
  });

  for (const role of ["auditor", "privacy_officer"] as const) {
    await test.step(`a ${role.replace("_", " ")} reads it masked: the list, its delivery log page and the API`, async () => {
      const context = await browser.newContext({ storageState: authFile(role) });
      const page = await context.newPage();
      await page.goto("/integrations");
      const card = page.getByRole("article", { name });
      await expect(card).toContainText(masked);
      expect(await page.content()).not.toContain(token);
      await card.getByRole("link", { name: `Delivery log of ${name}` }).click();
      await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
      await expect(page.getByText(masked, { exact: true })).toBeVisible();
      expect(await page.content()).not.toContain(token);
      await expectNoA11yViolations(page);
      const listed = await page.request.get("/api/integrations");
      expect(listed.status()).toBe(200);
      expect(await listed.text()).not.toContain(token);
      await context.close();
    });
  }

  await test.step("the admin pauses it", async () => {
    await new SettingsPage(adminPage).goto();
    await settings
      .row(name)
      .getByRole("button", { name: `Pause ${name}` })
      .click();
    await adminPage
      .getByRole("dialog", { name: `Pause ${name}?` })
      .getByRole("button", { name: "Pause integration" })
      .click();
    await expect(settings.row(name)).toContainText("Paused");
  });
  await admin.close();
});
