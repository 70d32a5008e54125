import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertIntegration } from "../../integrations/__tests__/fixtures.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import type { DeletionListFilters } from "../../validations/deletion-requests.ts";
import { parseDeletionListPageParams } from "../../validations/deletion-requests.ts";
import { dueAt } from "../deadlines.ts";
import { requestDeletion } from "../erase.ts";
import { deletionRequestAudit, getDeletionRequest, listDeletionRequests } from "../queries.ts";
import { insertRichCustomer, officer } from "./fixtures.ts";
import { insertRequest } from "./request-fixtures.ts";

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
});
afterAll(async () => {
  await db.dispose();
});

const at = (iso: string) => new Date(iso);

describe("listDeletionRequests", () => {
  // Every request of this test is received in March 2031 (before: February), so the range scopes it.
  const range = { from: at("2031-02-01T00:00:00Z"), to: at("2031-04-01T00:00:00Z") };
  const now = at("2031-04-02T12:00:00Z");
  let ids: Record<"overdue" | "soon" | "later" | "completed" | "ccpa", string>;

  beforeAll(async () => {
    ids = {
      // Due 1 April 23:59:59.999 UTC: past at noon on 2 April, not completed.
      overdue: await insertRequest(db, { receivedAt: at("2031-03-01T10:00:00Z"), status: "notifying" }),
      // Due 5 April: three and a half days away.
      soon: await insertRequest(db, { receivedAt: at("2031-03-05T10:00:00Z"), status: "failed", source: "api" }),
      // Due 10 April: eight and a half days away.
      later: await insertRequest(db, { receivedAt: at("2031-03-10T10:00:00Z"), status: "erased", source: "bulk" }),
      // Due 20 March, but completed: never overdue.
      completed: await insertRequest(db, { receivedAt: at("2031-02-20T10:00:00Z"), status: "completed" }),
      // CCPA: 45 days, due 16 April.
      ccpa: await insertRequest(db, { receivedAt: at("2031-03-02T10:00:00Z"), regime: "ccpa", source: "api", status: "notifying" }),
    };
  });

  const list = async (filters: DeletionListFilters) => (await listDeletionRequests({ ...range, ...filters }, { now })).rows;

  it("lists newest first, each row with its deadline state at the given time", async () => {
    const rows = await list({});
    expect(rows.map((r) => r.id)).toEqual([ids.later, ids.soon, ids.ccpa, ids.overdue, ids.completed]);
    const states = Object.fromEntries(rows.map((r) => [r.id, r.deadline]));
    expect(states).toEqual({
      [ids.overdue]: "overdue",
      [ids.soon]: "due_soon",
      [ids.later]: "on_track",
      [ids.completed]: "on_track",
      [ids.ccpa]: "on_track",
    });
    const ccpa = rows.find((r) => r.id === ids.ccpa)!;
    expect(ccpa.dueAt).toEqual(at("2031-04-16T23:59:59.999Z"));
    expect(ccpa.requestedBy).toEqual({ type: "user", label: "officer@example.com" });
  });

  it("filters by deadline state in SQL, by the same rule (DUE_SOON_DAYS, completed never overdue)", async () => {
    expect((await list({ deadline: "overdue" })).map((r) => r.id)).toEqual([ids.overdue]);
    expect((await list({ deadline: "due_soon" })).map((r) => r.id)).toEqual([ids.soon]);
    expect((await list({ deadline: "on_track" })).map((r) => r.id)).toEqual([ids.later, ids.ccpa, ids.completed]);
    // A week on, the later one is due soon and the first two overdue; the CCPA one (16 April, 7.5 days off) still on track.
    const later = await listDeletionRequests({ ...range, deadline: "overdue" }, { now: at("2031-04-09T12:00:00Z") });
    expect(later.rows.map((r) => r.id)).toEqual([ids.soon, ids.overdue]);
    const soonAfter = await listDeletionRequests({ ...range, deadline: "due_soon" }, { now: at("2031-04-09T12:00:00Z") });
    expect(soonAfter.rows.map((r) => r.id)).toEqual([ids.later]);
  });

  it("filters by status, regime, source and received time", async () => {
    expect((await list({ status: "notifying" })).map((r) => r.id)).toEqual([ids.ccpa, ids.overdue]);
    expect((await list({ regime: "ccpa" })).map((r) => r.id)).toEqual([ids.ccpa]);
    expect((await list({ source: "api" })).map((r) => r.id)).toEqual([ids.soon, ids.ccpa]);
    expect((await list({ source: "bulk", regime: "gdpr", status: "erased" })).map((r) => r.id)).toEqual([ids.later]);
    const march = await listDeletionRequests({ from: at("2031-03-02T10:00:00Z"), to: at("2031-03-10T10:00:00Z") }, { now });
    expect(march.rows.map((r) => r.id)).toEqual([ids.soon, ids.ccpa]);
  });

  it("reads its filters from the URL as the page does, naming a bad one and keeping the rest", () => {
    const { params, errors } = parseDeletionListPageParams({ deadline: "overdue", regime: "pdpa", from: "2031-03-01" });
    expect(params.deadline).toBe("overdue");
    expect(params.from).toEqual(at("2031-03-01T00:00:00Z"));
    expect(errors.map((e) => e.field)).toEqual(["regime"]);
  });

  it("pages by keyset both ways, ties on the receipt time broken by id", async () => {
    const window = { from: at("2032-01-01T00:00:00Z"), to: at("2032-02-01T00:00:00Z") };
    const same = at("2032-01-10T09:00:00Z");
    for (let i = 0; i < 4; i++) await insertRequest(db, { receivedAt: same });
    for (let i = 0; i < 3; i++) await insertRequest(db, { receivedAt: at(`2032-01-1${i + 1}T09:00:00Z`) });
    const all = (await listDeletionRequests(window, { pageSize: 50 })).rows.map((r) => r.id);
    expect(all).toHaveLength(7);

    const pages: string[][] = [];
    let page = await listDeletionRequests(window, { pageSize: 3 });
    expect(page.previous).toBeUndefined();
    pages.push(page.rows.map((r) => r.id));
    while (page.next) {
      page = await listDeletionRequests({ ...window, after: decode(page.next) }, { pageSize: 3 });
      pages.push(page.rows.map((r) => r.id));
    }
    expect(pages.flat()).toEqual(all);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    // And back from the last page.
    const back = await listDeletionRequests({ ...window, before: decode(page.previous!) }, { pageSize: 3 });
    expect(back.rows.map((r) => r.id)).toEqual(pages[1]);
    expect(back.next).toBeDefined();
  });
});

const decode = (cursor: string) => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { t: string; id: string };

describe("getDeletionRequest", () => {
  it("answers a request with its summary, each integration's delete signal and its audit entries", async () => {
    const braze = await insertIntegration(db, { name: "Braze (queries)" });
    await insertIntegration(db, { name: "Meta (queries)", enabled: false });
    const c = await insertRichCustomer(db, { memberships: 2, events: 4 });
    const { request } = await requestDeletion({ customer: { id: c.id }, source: "dashboard", regime: "ccpa", actor: officer });
    await db.driver.query(
      `UPDATE integration_signals SET status = 'delivered', attempts = 1, delivered_at = now(), last_status_code = 202, receiver_ref = 'braze-ack-1'
       WHERE deletion_request_id = $1 AND integration_id = $2`,
      [request.id, braze],
    );

    const detail = (await getDeletionRequest(request.id))!;
    expect(detail).toMatchObject({
      id: request.id,
      regime: "ccpa",
      source: "dashboard",
      status: "notifying",
      extension: 0,
      extensionUnit: "days",
      maxExtension: 45,
      requestedBy: { type: "user", label: officer.label },
      customerId: c.id,
    });
    expect(detail.dueAt).toEqual(dueAt({ regime: "ccpa", receivedAt: detail.receivedAt }));
    expect(detail.summary).toMatchObject({ audiences: 2, journeys: 1, events: 4 });
    expect(detail.erasedAt).not.toBeNull();
    const byName = Object.fromEntries(detail.deliveries.map((d) => [d.integration.name, d]));
    expect(byName["Braze (queries)"]).toMatchObject({
      status: "delivered",
      attempts: 1,
      lastStatusCode: 202,
      receiverRef: "braze-ack-1",
      nextAttemptAt: null,
      integration: { connection: "connected" },
    });
    expect(byName["Braze (queries)"]!.deliveredAt).toBeInstanceOf(Date);
    expect(byName["Meta (queries)"]).toMatchObject({ status: "pending", attempts: 0, integration: { connection: "paused" } });
    expect(byName["Meta (queries)"]!.nextAttemptAt).toBeInstanceOf(Date);

    const audit = await deletionRequestAudit(detail);
    // One statement wrote both (in chain order, which need not be this one); the page shows them by time.
    expect(audit.map((e) => e.action).sort()).toEqual(["customer.delete", "deletion.request"]);
    expect(audit.every((e, i) => i === 0 || e.occurredAt >= audit[i - 1]!.occurredAt)).toBe(true);
  });

  it("answers null for an unknown or malformed id", async () => {
    expect(await getDeletionRequest("00000000-0000-4000-8000-00000000dead")).toBeNull();
    expect(await getDeletionRequest("garbage")).toBeNull();
    expect(await getDeletionRequest("a\u0000b")).toBeNull();
  });
});
