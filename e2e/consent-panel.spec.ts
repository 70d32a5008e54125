import { DEMO } from "../lib/seed/reference";
import { expect, expectNoA11yViolations, test } from "./fixtures";

// The consent panel shows everything before it saves. Each test works on a
// demo customer this spec alone owns (lib/seed/reference.ts): Gustavo
// (everything on), Farah (nothing recorded) and Hana (some purposes and Meta off).

const profile = (customer: { id: string }) => `/customers/${customer.id}`;

test("a draft shows every effect before saving: loyalty, email in audiences and journeys, and Braze's sync", async ({ page }) => {
  await page.goto(profile(DEMO.gustavo));
  const purposes = page.getByRole("table", { name: "Consent per purpose" });
  const vendors = page.getByRole("table", { name: "Consent per vendor and integration sync" });
  const preview = page.getByRole("region", { name: /Unsaved changes/ });
  const braze = vendors.getByRole("row", { name: /Braze/ });

  await test.step("behavioral campaigns off: the preview says loyalty rewards stop", async () => {
    await purposes.getByRole("switch", { name: "Behavioral campaigns" }).click();
    await expect(preview).toContainText("Turning off Behavioral campaigns");
    await expect(preview).toContainText("New loyalty events are still stored but earn no points, tier progress or campaign rewards.");
    await expect(preview).toContainText("Notifies Meta Custom Audiences: syncing stops.");
    await expect(preview).not.toContainText("No audience");
  });

  await test.step("email off too: Braze's Sync cell reads blocked, as a draft, before anything is saved", async () => {
    await expect(braze).toContainText("Allowed");
    await purposes.getByRole("switch", { name: "Email marketing" }).click();
    await expect(braze.getByRole("cell").last()).toContainText("Blocked");
    await expect(braze.getByRole("cell").last()).toContainText("Email marketing");
    await expect(braze.getByRole("cell").last()).toContainText("Draft");
    const emailRow = purposes.getByRole("row", { name: /Email marketing/ });
    await expect(emailRow).toContainText("false");
    await expect(emailRow).toContainText("Unsaved");
    await expect(preview).toContainText("Journeys skip email steps for this customer");
    await expect(preview).toContainText("Clears email on 3 audience memberships, so sends skip email.");
    // Labels, never the internal keys.
    await expect(preview).not.toContainText("email_marketing");
    await expect(preview).not.toContainText("behavioral_campaigns");
    await expectNoA11yViolations(page);
  });

  await test.step("discarding puts every column back to what is saved", async () => {
    await preview.getByRole("button", { name: "Discard" }).click();
    await expect(preview).toHaveCount(0);
    await expect(braze.getByRole("cell").last()).toContainText("Allowed");
    await expect(braze).not.toContainText("Draft");
  });
});

test("leaving the page with unsaved switches asks first", async ({ page }) => {
  await page.goto(profile(DEMO.gustavo));
  const purposes = page.getByRole("table", { name: "Consent per purpose" });
  const leave = page.getByRole("dialog", { name: "Leave without saving?" });

  await purposes.getByRole("switch", { name: "Link tracking" }).click();
  await test.step("an in-app link opens the question; staying keeps the draft", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).click();
    await expect(leave).toBeVisible();
    await expect(leave).toContainText("1 unsaved consent switch will be lost");
    await expectNoA11yViolations(page);
    await leave.getByRole("button", { name: "Stay on this page" }).click();
    await expect(leave).toHaveCount(0);
    await expect(page).toHaveURL(new RegExp(`/customers/${DEMO.gustavo.id}`));
    await expect(purposes.getByRole("switch", { name: "Link tracking" })).not.toBeChecked();
  });

  await test.step("the browser's own unload asks too", async () => {
    const asked = page.waitForEvent("dialog");
    await page.close({ runBeforeUnload: true });
    const dialog = await asked;
    expect(dialog.type()).toBe("beforeunload");
    await dialog.accept();
  });
});

test("leaving and discarding goes where the link pointed, with nothing saved", async ({ page }) => {
  await page.goto(profile(DEMO.gustavo));
  await page.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Coupon campaigns" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Customers" }).click();
  await page.getByRole("dialog", { name: "Leave without saving?" }).getByRole("button", { name: "Leave and discard" }).click();
  await expect(page).toHaveURL(/\/customers$/);
  await page.goto(profile(DEMO.gustavo));
  await expect(page.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Coupon campaigns" })).toBeChecked();
});

test("a first change lists every purpose 'Block the others' blocks; Escape returns focus to Save", async ({ page }) => {
  await page.goto(profile(DEMO.farah));
  await page.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Link tracking" }).click();
  const save = page.getByRole("button", { name: "Save changes" });
  await save.click();
  const dialog = page.getByRole("dialog", { name: "Record consent for the first time" });
  const block = dialog.getByRole("region", { name: "Block everything else" });
  const keep = dialog.getByRole("region", { name: "Record the others as allowed" });

  await test.step("each choice says what it blocks and does", async () => {
    for (const label of ["Behavioral campaigns", "Email marketing", "Push notifications", "Coupon campaigns", "Punch card campaigns"]) {
      await expect(block).toContainText(label);
    }
    await expect(block).toContainText("earn no points, tier progress or campaign rewards");
    await expect(block).toContainText("earn no coupon rewards");
    await expect(block).toContainText("earn no punch card rewards");
    await expect(block).toContainText("Clears email on 3 audience memberships");
    await expect(block).toContainText("Clears the push token on 3 audience memberships");
    await expect(keep).toContainText("Blocks Link tracking.");
    await expect(keep).toContainText("Messages to this customer carry plain links, without tracking.");
    await expectNoA11yViolations(page);
  });

  await test.step("Escape changes nothing and gives focus back to Save", async () => {
    await page.keyboard.press("Escape");
    await expect(dialog).toHaveCount(0);
    await expect(save).toBeFocused();
    await expect(page.getByText("Not recorded: all allowed.")).toBeVisible();
  });

  await test.step("blocking the others records them blocked", async () => {
    await save.click();
    await dialog.getByRole("button", { name: "Block the others" }).click();
    await expect(page.getByText("Consent saved (version 1)", { exact: true })).toBeVisible();
    const purposes = page.getByRole("table", { name: "Consent per purpose" });
    await expect(purposes.getByRole("switch", { name: "Email marketing" })).not.toBeChecked();
    await expect(purposes.getByRole("row", { name: /Email marketing/ })).toContainText("not named");
  });
});

test("a saved change reads in labels: the toast and the history name purposes and integrations", async ({ page }) => {
  await page.goto(profile(DEMO.hana));
  const recorded = await page.getByText(/^Recorded, version \d+/).textContent();
  const next = Number(/version (\d+)/.exec(recorded ?? "")![1]) + 1;
  const vendors = page.getByRole("table", { name: "Consent per vendor and integration sync" });
  await vendors.getByRole("switch", { name: "Meta Custom Audiences" }).click();
  await page.getByRole("table", { name: "Consent per purpose" }).getByRole("switch", { name: "Email marketing" }).click();
  const preview = page.getByRole("region", { name: /Unsaved changes/ });
  await expect(preview).toContainText("Allows Email marketing and Meta Custom Audiences.");
  await preview.getByRole("button", { name: "Save changes" }).click();

  await expect(page.getByText(`Consent saved (version ${next})`, { exact: true })).toBeVisible();
  // The toast's text, which its live-region copy repeats; it starts with a capital letter.
  await expect(page.getByText(/^Email restored on 3 audience memberships; .*will be notified\.$/).first()).toBeVisible();
  const history = page.getByRole("region", { name: "Consent history" });
  const latest = history.getByRole("article", { name: `Version ${next}`, exact: true });
  await expect(latest).toContainText("Meta Custom Audiences");
  await expect(latest).toContainText("Email marketing");
  await expect(latest).not.toContainText("vendors.meta");
  await expectNoA11yViolations(page);
});
