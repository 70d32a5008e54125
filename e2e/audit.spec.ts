import { authFile, DEMO_USERS_BY_ROLE } from "./auth";
import { expect, test } from "./fixtures";

test.use({ storageState: authFile("auditor") });

test("an auditor sees the verified chain, filters sign-ins, and exports the filtered view", async ({ page }) => {
  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await expect(page.getByText(/Chain verified: \d+ entr(y|ies) in \d+ chains?/)).toBeVisible();

  await test.step("filter by action", async () => {
    await page.getByLabel("Action").selectOption({ label: "Signed in" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=sign_in\.success/);
    const rows = page.getByRole("table", { name: "Audit entries" }).getByRole("row");
    await expect(rows.nth(1)).toBeVisible();
    // The setup signed every demo user in; each sign-in is one entry.
    await expect(page.getByRole("table", { name: "Audit entries" })).toContainText(DEMO_USERS_BY_ROLE.auditor);
  });

  await test.step("export what is shown", async () => {
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export CSV" }).click();
    const file = await (await download).path();
    const csv = await import("node:fs").then((fs) => fs.readFileSync(file, "utf8"));
    const [header, ...lines] = csv.trim().split(/\r?\n/);
    expect(header).toContain("action");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toContain("sign_in.success");
  });
});
