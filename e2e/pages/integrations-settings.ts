import type { Page } from "@playwright/test";
import { expect } from "../fixtures";

/** Settings → Integrations, found the way a person finds it: by roles and labels. */
export class IntegrationsSettings {
  constructor(readonly page: Page) {}

  get heading() {
    return this.page.getByRole("heading", { level: 2, name: "Integrations", exact: true });
  }

  get table() {
    return this.page.getByRole("table", { name: "Integrations" });
  }

  row(name: string) {
    return this.table.getByRole("row").filter({ hasText: name });
  }

  /** Fills and submits the Add dialog; answers the dialog, still open (field errors, or the secret shown once). */
  async add(fields: { name: string; vendor: string; endpoint: string; purposes: string[] }) {
    const dialog = this.page.getByRole("dialog", { name: "Add integration" });
    if (!(await dialog.isVisible())) await this.page.getByRole("button", { name: "Add integration" }).click();
    await dialog.getByLabel("Name").fill(fields.name);
    await dialog.getByLabel("Vendor slug").fill(fields.vendor);
    await dialog.getByLabel("Endpoint URL").fill(fields.endpoint);
    for (const purpose of fields.purposes) await dialog.getByRole("checkbox", { name: purpose }).check();
    await dialog.getByRole("button", { name: "Add integration" }).click();
    return dialog;
  }

  /** Reads a secret from the dialog that shows it once, then closes it. */
  async takeSecret(title: string, label: string): Promise<string> {
    const reveal = this.page.getByRole("dialog", { name: title });
    await expect(reveal.getByText("Shown once.")).toBeVisible();
    const secret = await reveal.getByLabel(label).inputValue();
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(reveal).toBeHidden();
    return secret;
  }

  /** Sends a test signal from the row's dialog; answers the dialog showing the answer. */
  async sendTest(name: string) {
    await this.row(name)
      .getByRole("button", { name: `Send test signal to ${name}` })
      .click();
    const dialog = this.page.getByRole("dialog", { name: `Send a test signal to ${name}` });
    await dialog.getByRole("button", { name: "Send test signal" }).click();
    return dialog;
  }
}
