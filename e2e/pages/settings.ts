import type { Page } from "@playwright/test";
import { expect } from "../fixtures";

export const unique = (tag: string) => `${tag}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The settings page, found the way a person finds it: by roles and labels. */
export class SettingsPage {
  constructor(readonly page: Page) {}

  async goto() {
    await this.page.goto("/settings");
    await expect(this.page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  }

  userRow(email: string) {
    return this.page.getByRole("table", { name: "Users" }).getByRole("row").filter({ hasText: email });
  }

  keyRow(name: string) {
    return this.page.getByRole("table", { name: "API keys" }).getByRole("row").filter({ hasText: name });
  }

  /** Adds a user with a generated password and returns that password, read from the one-time dialog. */
  async addUser(name: string, email: string, role: string): Promise<string> {
    await this.page.getByRole("button", { name: "Add user" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Add user" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role").selectOption({ label: role });
    await expect(dialog.getByLabel("Generate a strong password")).toBeChecked();
    await dialog.getByRole("button", { name: "Add user" }).click();
    const reveal = this.page.getByRole("dialog", { name: "User added" });
    await expect(reveal.getByText("Shown once.")).toBeVisible();
    const password = await reveal.getByLabel(`Password for ${email}`).inputValue();
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(reveal).toBeHidden();
    return password;
  }

  /** Creates a key and returns it, read from the dialog that shows it once. */
  async createKey(name: string, role: string): Promise<string> {
    await this.page.getByRole("button", { name: "Create key" }).click();
    const dialog = this.page.getByRole("dialog", { name: "Create API key" });
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByLabel("Role").selectOption({ label: role });
    await dialog.getByRole("button", { name: "Create key" }).click();
    const reveal = this.page.getByRole("dialog", { name: "API key created" });
    await expect(reveal.getByText("it cannot be shown again")).toBeVisible();
    const key = await reveal.getByLabel("API key").inputValue();
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(reveal).toBeHidden();
    return key;
  }
}
