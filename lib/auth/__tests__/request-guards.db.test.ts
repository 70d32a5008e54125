import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as exportAudit } from "../../../app/api/audit/export/route.ts";
import { POST as postEvents } from "../../../app/api/events/route.ts";
import { POST as uploadBatch } from "../../../app/api/deletion-batches/route.ts";
import { REFUSALS_PER_MINUTE } from "../../audit/refusals.ts";
import { seedDatabase } from "../../seed/index.ts";
import { DEMO } from "../../seed/reference.ts";
import { DEMO_PASSWORD, DEMO_USERS, seedDemoUsers } from "../../seed/users.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import type { Role } from "../permissions.ts";
import { signInCookie } from "../../testing/surface.ts";

// Two guards every route and action shares: a browser session may act only
// from this app's own pages (PRODUCT.md: no same-site forgery), and a refused
// caller is written into the audit log, rate-limited per actor.

let requestHeaders = new Headers();
vi.mock("next/headers", () => ({ headers: async () => requestHeaders, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next/cache", () => ({ revalidatePath: () => {} }));

const cookies = {} as Record<Role, string>;
/** A role's cookie, read when a test runs (after beforeAll signed everyone in). */
const cookieOf = (role: Role) => (): string => cookies[role];
let db: TestDatabase;
const count = async (sql: string, params: unknown[] = []) => Number((await db.driver.query<{ n: string }>(sql, params))[0]!.n);
const events = () => count("SELECT count(*) AS n FROM loyalty_events");
const refusals = (actorId: string) =>
  count(`SELECT count(*) AS n FROM audit_entries WHERE action = 'access.denied' AND actor_id = $1`, [actorId]);

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  await seedDatabase(db.driver, { customers: 0, eventsPerCustomer: 0 });
  await seedDemoUsers(db.prisma);
  for (const user of DEMO_USERS) cookies[user.role] = await signInCookie(user.email, DEMO_PASSWORD);
});
afterAll(async () => db?.dispose());

const event = JSON.stringify({ customer_id: DEMO.ana.externalId, type: "check_in" });
const post = (headers: Record<string, string>, body = event) =>
  postEvents(new Request("http://localhost/api/events", { method: "POST", headers: { cookie: cookies.marketer, ...headers }, body }));

describe("a browser session acts only from this app's own pages", () => {
  it.each([
    [
      "a form on another port (text/plain, same-site)",
      { "sec-fetch-site": "same-site", "content-type": "text/plain" },
      403,
      "cross_site_request",
    ],
    ["a cross-site fetch with JSON", { "sec-fetch-site": "cross-site", "content-type": "application/json" }, 403, "cross_site_request"],
    ["a foreign Origin", { origin: "http://evil.example", "content-type": "application/json" }, 403, "cross_site_request"],
    ["same-origin, but text/plain", { "sec-fetch-site": "same-origin", "content-type": "text/plain" }, 415, "unsupported_media_type"],
  ])("refuses %s and stores nothing", async (_name, headers, status, code) => {
    const before = await events();
    const response = await post(headers);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: { code } });
    expect(await events()).toBe(before);
  });

  it("accepts the app's own JSON request", async () => {
    const before = await events();
    expect((await post({ "sec-fetch-site": "same-origin", "content-type": "application/json" })).status).toBe(200);
    expect(await events()).toBe(before + 1);
  });
});

describe("the bulk upload form's request (components/deletions/upload-batch.ts)", () => {
  const batches = () => count("SELECT count(*) AS n FROM deletion_batches");
  /** A CSV body the route must never need to read: it is refused by who sends it, first. */
  const unread = () =>
    new ReadableStream<Uint8Array>({
      pull() {
        throw new Error("the body was read");
      },
    });
  const upload = (cookie: string, headers: Record<string, string>, body: BodyInit | ReadableStream<Uint8Array>) =>
    uploadBatch(
      new Request("http://localhost/api/deletion-batches?regime=gdpr&reason=Asked%20by%20email&file_name=list.csv", {
        method: "POST",
        headers: { cookie, "content-type": "text/csv", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
    );

  it("is taken from the app's own page with a privacy officer's session: 201 and the batch's id", async () => {
    const before = await batches();
    const response = await upload(
      cookies.privacy_officer,
      { "sec-fetch-site": "same-origin" },
      `external_id\r\n${DEMO.ana.externalId}\r\n`,
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ data: { id: expect.any(String), status: expect.any(String) } });
    expect(await batches()).toBe(before + 1);
  });

  it.each([
    ["from another site", cookieOf("privacy_officer"), { "sec-fetch-site": "cross-site" }, 403],
    ["by a marketer", cookieOf("marketer"), { "sec-fetch-site": "same-origin" }, 403],
    ["with no session", (): string => "", { "sec-fetch-site": "same-origin" }, 401],
  ] as const)("is refused %s before its body is read", async (_name, cookie, headers, status) => {
    const before = await batches();
    expect((await upload(cookie(), headers, unread())).status).toBe(status);
    expect(await batches()).toBe(before);
  });
});

describe("refused access is audited, at most REFUSALS_PER_MINUTE per actor", () => {
  it("records a route refusal with the route's pattern, never the path's ids", async () => {
    const marketer = DEMO_USERS.find((u) => u.role === "marketer")!;
    const before = await refusals(marketer.id);
    const response = await exportAudit(
      new Request("http://localhost/api/audit/export?format=csv", { headers: { cookie: cookies.marketer } }),
    );
    expect(response.status).toBe(403);
    expect(await refusals(marketer.id)).toBe(before + 1);
    const [entry] = await db.driver.query<{ target_type: string; target_id: string; summary: { permission: string } }>(
      `SELECT target_type, target_id, summary FROM audit_entries WHERE action = 'access.denied' AND actor_id = $1 ORDER BY id DESC LIMIT 1`,
      [marketer.id],
    );
    expect(entry).toMatchObject({ target_type: "route", target_id: "GET /api/audit/export", summary: { permission: "audit:read" } });
  });

  it("records an action refusal, and stops recording a flood", async () => {
    const auditor = DEMO_USERS.find((u) => u.role === "auditor")!;
    const { createApiKeyAction } = await import("../../actions/api-keys.ts");
    requestHeaders = new Headers({ cookie: cookies.auditor });
    const before = await refusals(auditor.id);
    expect(before).toBe(0);
    for (let i = 0; i < REFUSALS_PER_MINUTE + 5; i++) {
      const form = new FormData();
      form.set("name", "nope");
      form.set("role", "admin");
      expect((await createApiKeyAction(undefined, form)).ok).toBe(false);
    }
    expect(await refusals(auditor.id)).toBe(REFUSALS_PER_MINUTE);
    expect(await count("SELECT count(*) AS n FROM api_keys WHERE name = 'nope'")).toBe(0);
  });

  it("records nothing for an anonymous caller (401)", async () => {
    const total = await count(`SELECT count(*) AS n FROM audit_entries WHERE action = 'access.denied'`);
    expect((await exportAudit(new Request("http://localhost/api/audit/export"))).status).toBe(401);
    expect(await count(`SELECT count(*) AS n FROM audit_entries WHERE action = 'access.denied'`)).toBe(total);
  });
});
