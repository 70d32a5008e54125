import type { Request } from "@playwright/test";
import { startVerifyingReceiver } from "../lib/testing/verifying-receiver";
import { authFile } from "./auth";
import { expect, expectNoA11yViolations, test } from "./fixtures";
import { IntegrationsSettings } from "./pages/integrations-settings";
import { SettingsPage, unique } from "./pages/settings";

// Settings → Integrations, as an admin, against a real webhook receiver this
// spec starts on 127.0.0.1 (the e2e server sets INTEGRATIONS_ALLOW_PRIVATE=1)
// that checks every request's signature with the standardwebhooks package.
// Each test adds its own integration. Names start "Zulu" so that they sort
// after the demo integrations wherever other specs list integrations by name.

const integrationName = () => unique("Zulu receiver");
type Received = { body: string; verifiedBy: string[] };
/** The test signals a receiver got: the delivery worker may also send it a consent change another spec made meanwhile. */
const testSignals = (receiver: { requests: Received[] }) =>
  receiver.requests.filter((r) => (JSON.parse(r.body) as { type?: string }).type === "integration.test");
const vendorSlug = () =>
  unique("e2e")
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-");

test.describe("as an admin", () => {
  test.use({ storageState: authFile("admin") });

  test("an admin adds an integration, sees its secret once, tests it, pauses, resumes and rotates its secret", async ({ page }) => {
    test.slow();
    const receiver = await startVerifyingReceiver("/hooks/consent");
    const settings = new SettingsPage(page);
    const integrations = new IntegrationsSettings(page);
    const name = integrationName();
    const vendor = vendorSlug();
    await settings.goto();

    try {
      await test.step("the sections nav leads to Integrations", async () => {
        await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Integrations" }).click();
        await expect(page).toHaveURL(/#integrations$/);
        await expect(integrations.heading).toBeVisible();
      });

      await test.step("bad input is named at each field and adds nothing", async () => {
        const dialog = await integrations.add({ name: " ", vendor: "Not A Slug", endpoint: "ftp://files.example.com/", purposes: [] });
        await expect(dialog.getByText("Name the integration")).toBeVisible();
        await expect(dialog.getByText(/^A vendor slug is/)).toBeVisible();
        await expect(dialog.getByText("The endpoint must be an https:// URL")).toBeVisible();
        await expect(dialog.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");
        await expectNoA11yViolations(page);
      });

      const secret = await test.step("add it with the receiver's URL; the secret is shown once", async () => {
        await integrations.add({ name, vendor, endpoint: receiver.url, purposes: ["Email marketing"] });
        await expect(page.getByRole("dialog", { name: "Integration added" })).toBeVisible();
        await expectNoA11yViolations(page);
        const shown = await integrations.takeSecret("Integration added", `Signing secret for ${name}`);
        expect(shown).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
        expect(await page.content()).not.toContain(shown);
        const row = integrations.row(name);
        await expect(row).toContainText(vendor);
        await expect(row).toContainText(receiver.url);
        await expect(row).toContainText("Email marketing");
        await expect(row).toContainText("Connected");
        return shown;
      });
      receiver.trust(secret);

      await test.step("a test signal is delivered, verified by the receiver, and its answer shown in words", async () => {
        receiver.answer({ status: 200, body: JSON.stringify({ id: "rcv-e2e-1" }) });
        const dialog = await integrations.sendTest(name);
        const answer = dialog.getByRole("status");
        await expect(answer).toContainText(/Delivered: the endpoint answered 200 in \d[\d,]* ms\./);
        await expect(answer).toContainText("Receiver reference: rcv-e2e-1");
        expect(testSignals(receiver)).toHaveLength(1);
        expect(testSignals(receiver)[0]!.verifiedBy).toEqual([secret]);
        await expectNoA11yViolations(page);

        receiver.answer({ status: 503, body: "busy" });
        await dialog.getByRole("button", { name: "Send again" }).click();
        await expect(answer).toContainText("Not delivered: The endpoint answered 503.");
        await dialog.getByRole("button", { name: "Done" }).click();
        await expect(dialog).toBeHidden();
      });

      await test.step("edit its purposes", async () => {
        await integrations
          .row(name)
          .getByRole("button", { name: `Edit ${name}` })
          .click();
        const dialog = page.getByRole("dialog", { name: `Edit ${name}` });
        await expect(dialog.getByRole("checkbox", { name: "Email marketing" })).toBeChecked();
        await dialog.getByRole("checkbox", { name: "Push notifications" }).check();
        await dialog.getByRole("button", { name: "Save changes" }).click();
        await expect(dialog).toBeHidden();
        await expect(integrations.row(name)).toContainText("Email marketing, Push notifications");
      });

      await test.step("pause and resume, each after a confirmation", async () => {
        await integrations
          .row(name)
          .getByRole("button", { name: `Pause ${name}` })
          .click();
        const pause = page.getByRole("dialog", { name: `Pause ${name}?` });
        await expect(pause.getByRole("button", { name: "Cancel" })).toBeFocused();
        await expectNoA11yViolations(page);
        await pause.getByRole("button", { name: "Pause integration" }).click();
        await expect(pause).toBeHidden();
        await expect(integrations.row(name)).toContainText("Paused");

        await integrations
          .row(name)
          .getByRole("button", { name: `Resume ${name}` })
          .click();
        const resume = page.getByRole("dialog", { name: `Resume ${name}?` });
        await resume.getByRole("button", { name: "Resume integration" }).click();
        await expect(resume).toBeHidden();
        await expect(integrations.row(name)).toContainText("Connected");
      });

      await test.step("rotate the secret with an overlap: the new one shown once, requests signed by both", async () => {
        await integrations
          .row(name)
          .getByRole("button", { name: `Rotate secret of ${name}` })
          .click();
        const dialog = page.getByRole("dialog", { name: `Rotate the signing secret of ${name}?` });
        await expect(dialog.getByLabel("Keep the old secret signing for")).toHaveValue("24");
        await expectNoA11yViolations(page);
        await dialog.getByRole("button", { name: "Rotate secret" }).click();
        await expect(page.getByRole("dialog", { name: "Signing secret rotated" })).toContainText("carries two signatures");
        const rotated = await integrations.takeSecret("Signing secret rotated", `New signing secret for ${name}`);
        expect(rotated).not.toBe(secret);
        await expect(integrations.row(name)).toContainText("Old secret signs until");

        receiver.trust(rotated, secret);
        receiver.answer({ status: 200, body: JSON.stringify({ id: "rcv-e2e-2" }) });
        const again = await integrations.sendTest(name);
        await expect(again.getByRole("status")).toContainText("Receiver reference: rcv-e2e-2");
        expect(testSignals(receiver).at(-1)!.verifiedBy).toEqual([rotated, secret]);
        await page.keyboard.press("Escape");
      });
    } finally {
      await receiver.close();
    }
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`the integrations section and its dialogs pass axe on a phone's width, ${scheme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 390, height: 844 });
      const receiver = await startVerifyingReceiver();
      const integrations = new IntegrationsSettings(page);
      const name = integrationName();
      try {
        await new SettingsPage(page).goto();
        await integrations.add({ name, vendor: vendorSlug(), endpoint: receiver.url, purposes: [] });
        await integrations.takeSecret("Integration added", `Signing secret for ${name}`);
        await expect(integrations.row(name)).toContainText("Vendor only");
        await integrations.row(name).scrollIntoViewIfNeeded();
        await expectNoA11yViolations(page);
        const dialog = await integrations.sendTest(name);
        await expect(dialog.getByRole("status")).toContainText("Delivered");
        await expectNoA11yViolations(page);
      } finally {
        await receiver.close();
      }
    });
  }
});

test("a marketer sees no integrations section, and the integration action refuses them", async ({ page, browser, baseURL }) => {
  await test.step("the settings page, integrations included, is forbidden to a marketer", async () => {
    const response = await page.goto("/settings");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "Your role cannot open this page" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Integrations" })).toHaveCount(0);
  });

  // The action's id, from an admin's page: a refused add (nothing written) carries it.
  const admin = await browser.newContext({ storageState: authFile("admin") });
  const adminPage = await admin.newPage();
  const call = await test.step("an admin's page calls the add action", async () => {
    await new SettingsPage(adminPage).goto();
    const sent = adminPage.waitForRequest((r: Request) => r.method() === "POST" && r.headers()["next-action"] !== undefined);
    await new IntegrationsSettings(adminPage).add({ name: "", vendor: "", endpoint: "", purposes: [] });
    const request = await sent;
    return { action: request.headers()["next-action"]!, body: request.postData() ?? "" };
  });

  await test.step("the same action, called with the marketer's session and a valid integration, is refused", async () => {
    const vendor = vendorSlug();
    const [input] = JSON.parse(call.body) as [Record<string, unknown>];
    expect(Object.keys(input).sort()).toEqual(["enabled", "endpoint_url", "name", "purposes", "vendor"]);
    const valid = { ...input, name: integrationName(), vendor, endpoint_url: "http://127.0.0.1:9/hook", purposes: [], enabled: true };
    const answer = await page.request.post("/settings", {
      headers: { "next-action": call.action, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", origin: baseURL! },
      data: JSON.stringify([valid]),
    });
    expect(await answer.text()).toContain("The marketer role may not do this (needs integrations:manage).");
    const listed = await adminPage.request.get("/api/integrations");
    expect(listed.status()).toBe(200);
    expect(JSON.stringify(await listed.json())).not.toContain(vendor);
  });

  await test.step("and the REST API refuses the marketer's session too", async () => {
    const refused = await page.request.post("/api/integrations", {
      headers: { origin: baseURL!, "sec-fetch-site": "same-origin" },
      data: { name: "Nope", vendor: vendorSlug(), endpoint_url: "http://127.0.0.1:9/hook" },
    });
    expect(refused.status()).toBe(403);
  });
  await admin.close();
});
