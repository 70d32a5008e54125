import { createServer, type Server } from "node:http";
import { Webhook } from "standardwebhooks";
import { DEMO_INTEGRATIONS } from "../lib/seed/reference.ts";
import { authFile } from "./auth";
import { DEMO, expect, expectNoA11yViolations, test } from "./fixtures";

// A privacy officer deletes Petra (this spec owns her) through the profile's
// dialog and follows the request until every integration has acknowledged,
// then downloads the receipt. The demo integrations point at
// 127.0.0.1:4010/hooks/<vendor> (lib/seed/reference.ts); this spec is that
// receiver while it runs: it verifies each request's signature with the
// vendor's demo secret and acknowledges `customer.deleted`, answering 503 to
// anything else (as the e2e server's unreachable endpoints otherwise do).
// It runs in its own project before the others (playwright.config.ts), so
// the integrations other specs add do not exist yet: completion waits on
// every integration, and theirs would never answer.

const PORT = 4010;
type Received = { vendor: string; type: string; data: Record<string, unknown>; body: string };

function startReceiver(received: Received[]): Promise<Server> {
  const verifiers = new Map(DEMO_INTEGRATIONS.map((i) => [i.vendor as string, new Webhook(i.signingSecret)]));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const vendor = /^\/hooks\/([^/?]+)/.exec(request.url ?? "")?.[1] ?? "";
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
      let event: { type: string; data: Record<string, unknown> };
      try {
        event = verifiers.get(vendor)!.verify(body, headers) as typeof event;
      } catch {
        response.writeHead(401).end();
        return;
      }
      if (event.type !== "customer.deleted") {
        response.writeHead(503).end("busy");
        return;
      }
      received.push({ vendor, type: event.type, data: event.data, body });
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ reference: `${vendor}-del-${received.length}` }));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(PORT, "127.0.0.1", () => resolve(server));
  });
}

test.use({ storageState: authFile("privacy_officer") });

test("a privacy officer deletes a customer, follows the request to completed as the receivers acknowledge, and downloads the receipt", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const received: Received[] = [];
  const receiver = await startReceiver(received);
  try {
    await test.step("delete Petra through the dialog, confirming with her external id", async () => {
      await page.goto(`/customers/${DEMO.petra.id}`);
      await expect(page.getByRole("heading", { level: 1, name: DEMO.petra.name })).toBeVisible();
      await page.getByRole("button", { name: "Delete customer" }).click();
      const dialog = page.getByRole("dialog", { name: "Delete customer" });
      await dialog.getByLabel(/to confirm/).fill(DEMO.petra.externalId);
      await dialog.getByRole("button", { name: "Delete customer" }).click();
      await page.waitForURL(/\/deletions\/[0-9a-f-]{36}$/);
    });
    const requestId = page.url().split("/").at(-1)!;

    await test.step("the request page follows the signals until every integration acknowledged", async () => {
      await expect(page.getByRole("heading", { level: 1, name: "Deletion request" })).toBeVisible();
      const table = page.getByRole("table", { name: "Delete signal per integration" });
      for (const integration of DEMO_INTEGRATIONS) await expect(table).toContainText(integration.name);
      // The page refreshes itself while it is notifying; no reload here.
      await expect(page.getByText("Completed", { exact: true }).first()).toBeVisible({ timeout: 60_000 });
      for (const integration of DEMO_INTEGRATIONS) {
        const row = table.getByRole("row").filter({ hasText: integration.name });
        await expect(row).toContainText("HTTP 200");
        await expect(row).toContainText(`${integration.vendor}-del-`);
      }
      await expectNoA11yViolations(page);
    });

    await test.step("each integration got one signed customer.deleted naming her by external id only", async () => {
      const ours = received.filter((r) => r.data.request_id === requestId);
      expect(ours.map((r) => r.vendor).sort()).toEqual(DEMO_INTEGRATIONS.map((i) => i.vendor).sort());
      for (const r of ours) {
        expect(r.data.customer_id).toBe(DEMO.petra.externalId);
        for (const text of [DEMO.petra.email, DEMO.petra.name, DEMO.petra.phone]) expect(r.body).not.toContain(text);
      }
    });

    await test.step("the printable receipt, and its JSON download, hold the acknowledgements and no personal data", async () => {
      await page.getByRole("link", { name: "Receipt", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Proof of deletion" })).toBeVisible();
      await expectNoA11yViolations(page);
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download JSON" }).click()]);
      const text = await download.createReadStream().then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString("utf8");
      });
      for (const needle of [DEMO.petra.email, DEMO.petra.name, DEMO.petra.phone, DEMO.petra.externalId, DEMO.petra.pushToken]) {
        expect(text).not.toContain(needle);
      }
      const receipt = JSON.parse(text) as { data: Record<string, unknown> } | Record<string, unknown>;
      const body = ("data" in receipt ? receipt.data : receipt) as Record<string, unknown>;
      expect(body).toMatchObject({ request_id: requestId, status: "completed" });
      expect(JSON.stringify(body)).toMatch(/hmac-sha256:[0-9a-f]{64}/);
      const acks = (body.acknowledgements ?? body.integrations) as Array<Record<string, unknown>>;
      expect(acks).toHaveLength(DEMO_INTEGRATIONS.length);
      for (const ack of acks) expect(JSON.stringify(ack)).toMatch(/-del-\d+/);
    });
  } finally {
    await new Promise((resolve) => receiver.close(resolve));
  }
});
