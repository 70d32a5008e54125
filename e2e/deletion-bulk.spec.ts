import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import pg from "pg";
import type { Page } from "@playwright/test";
import { demoUser } from "../lib/seed/reference.ts";
import { authFile, signIn } from "./auth";
import { expect, expectNoA11yViolations, test } from "./fixtures";

// A privacy officer's bulk deletion: a small CSV of customers this spec
// creates goes to done with a progress bar and a result to download; one of
// more than 100 waits for approval, which its uploader cannot give and a
// second privacy officer does. The spec inserts its customers straight into
// the e2e database, so it needs PostgreSQL (PGlite is the server's alone).

const secrets = JSON.parse(readFileSync(".data/e2e/secrets.json", "utf8")) as { DATABASE_URL: string | null };
const SECOND_OFFICER = "privacy2@example.com";

test.use({ storageState: authFile("privacy_officer") });
test.skip(!secrets.DATABASE_URL, "the spec inserts its own customers, which needs the e2e database on PostgreSQL");

/** `n` customers of this spec's own, with a tag no other test uses; their external ids. */
async function insertCustomers(n: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: secrets.DATABASE_URL! });
  await client.connect();
  try {
    const tag = randomUUID().slice(0, 8);
    const { rows } = await client.query<{ external_id: string }>(
      `INSERT INTO customers (external_id, name, name_search, email)
       SELECT 'bulk-e2e-' || $1 || '-' || g, 'Bulk E2E ' || g, 'bulk e2e ' || g, 'bulk.e2e.' || $1 || '.' || g || '@example.com'
       FROM generate_series(1, $2::int) g RETURNING external_id`,
      [tag, n],
    );
    return rows.map((r) => r.external_id);
  } finally {
    await client.end();
  }
}

async function upload(page: Page, csv: string, name: string) {
  await page.goto("/deletions/bulk");
  await expect(page.getByRole("heading", { level: 1, name: "Bulk deletions" })).toBeVisible();
  await page.getByLabel("CSV file").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByLabel("Regime").selectOption({ label: "GDPR (one month)" });
  await page.getByLabel("Reason").fill("Asked by email");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page).toHaveURL(/\/deletions\/bulk\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Bulk deletion" })).toBeVisible();
}

const progress = (page: Page) => page.getByRole("region", { name: "Progress", exact: true });

// Uploaded by an admin: the threshold counts each person's uploads over 24 hours, and the officer's large file below, run
// in parallel, would otherwise make this small one wait for approval too.
test.describe(() => {
  test.use({ storageState: authFile("admin") });

  test("a small CSV is erased in the background: progress to done, outcomes per row, the result downloaded", async ({ page }) => {
    const ids = await insertCustomers(3);
    await test.step("the upload page passes axe", async () => {
      await page.goto("/deletions/bulk");
      await expectNoA11yViolations(page);
    });
    await test.step("upload: three customers and one nobody has", async () => {
      await upload(page, `external_id\r\n${ids.join("\r\n")}\r\nnobody-${randomUUID()}\r\n`, "small.csv");
    });
    await test.step("the progress bar reaches done; each row says what happened", async () => {
      await expect(progress(page).getByText("Done")).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole("progressbar", { name: "Rows processed" })).toHaveAttribute("aria-valuenow", "4");
      const rows = page.getByRole("table", { name: "Rows and their outcomes" });
      await expect(rows.getByRole("row").filter({ hasText: "Erased" })).toHaveCount(3);
      await expect(rows.getByRole("row").filter({ hasText: "Not found" })).toHaveCount(1);
      await expect(rows.getByRole("link", { name: "Deletion request for row 2" })).toBeVisible();
      await expectNoA11yViolations(page);
    });
    await test.step("download the result CSV", async () => {
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "Download result CSV" }).click();
      const text = readFileSync((await (await download).path())!, "utf8");
      const lines = text.trim().split("\r\n");
      expect(lines[0]).toBe("row,outcome,request_id,message");
      expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["erased", "erased", "erased", "not_found"]);
    });
    await test.step("the list shows the batch, done", async () => {
      await page.getByRole("link", { name: "Bulk deletions", exact: true }).first().click();
      await expect(
        page.getByRole("table", { name: "Bulk deletions" }).getByRole("row").filter({ hasText: "small.csv" }).first(),
      ).toContainText("Done");
    });
  });
});

test("more than 100 wait for a second privacy officer: the uploader cannot approve, the second does, and it is erased", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const ids = await insertCustomers(101);
  let url = "";
  await test.step("upload 101 customers: waiting for approval", async () => {
    await upload(page, ids.join("\n"), "large.csv");
    url = page.url();
    await expect(page.getByRole("heading", { name: "Waiting for approval" })).toBeVisible();
    await expect(page.getByText("You uploaded this file, so you cannot approve or reject it")).toBeVisible();
    await expect(
      page.getByText("This file would erase 101 customers: more than 100 customers within 24 hours by one person"),
    ).toBeVisible();
    await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    await expect(progress(page).getByText("Waiting for approval")).toBeVisible();
    await expectNoA11yViolations(page);
  });
  await test.step("a second privacy officer approves", async () => {
    expect(demoUser("privacy_officer").email).not.toBe(SECOND_OFFICER);
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const second = await context.newPage();
    await signIn(second, SECOND_OFFICER);
    await expect(second).toHaveURL(/\/customers$/, { timeout: 60_000 });
    await second.goto(url);
    await second.getByRole("button", { name: "Approve" }).click();
    const dialog = second.getByRole("dialog", { name: "Erase 101 customers?" });
    await expect(dialog).toBeVisible();
    await dialog.getByRole("button", { name: "Erase 101 customers" }).click();
    await expect(progress(second).getByText("Done")).toBeVisible({ timeout: 60_000 });
    await context.close();
  });
  await test.step("the uploader sees it done, approved by the second officer", async () => {
    await page.reload();
    await expect(progress(page).getByText("Done")).toBeVisible();
    await expect(page.getByText(`approved by ${SECOND_OFFICER}`)).toBeVisible();
    await expect(page.getByRole("progressbar", { name: "Rows processed" })).toHaveAttribute("aria-valuenow", "101");
  });
});

test("a 100 MB upload to the page is answered 413 before it is read whole, declared or chunked", async () => {
  const send = (headers: Record<string, string>) =>
    new Promise<{ status: number }>((resolve, reject) => {
      const url = new URL("/deletions/bulk", test.info().project.use.baseURL);
      let sent = 0;
      let answered = false;
      const post = httpRequest(url, { method: "POST", headers: { "next-action": "0123456789abcdef", ...headers } }, (answer) => {
        answered = true;
        answer.resume();
        resolve({ status: answer.statusCode ?? 0 });
        post.destroy();
      });
      post.on("error", (error) => (answered ? undefined : reject(error)));
      const chunk = Buffer.alloc(256 * 1024, "x");
      const pump = () => {
        while (!answered && sent < 100 * 1024 * 1024) {
          sent += chunk.byteLength;
          if (!post.write(chunk)) return void post.once("drain", pump);
        }
        if (!answered) post.end();
      };
      pump();
    });
  const declared = await send({ "content-length": String(100 * 1024 * 1024) });
  expect(declared.status).toBe(413);
  const chunked = await send({ "transfer-encoding": "chunked" });
  // (How much of a chunked body the server took before answering is bounded in lib/http/__tests__/action-size.test.ts:
  // over loopback the client writes all 100 MB before any answer can arrive, so it is not measured here.)
  expect(chunked.status).toBe(413);
});
