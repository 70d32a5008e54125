import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../../app/api/integrations/[id]/deliveries/route.ts";
import { createApiKey } from "../../auth/api-keys.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { parseDeliveryApiParams, parseDeliveryPageParams, type DeliveryLogFilters } from "../../validations/deliveries.ts";
import { getSignalDetail, listDeliveries } from "../deliveries.ts";
import { insertAttempt, insertIntegration, insertSignal, minutes } from "./fixtures.ts";

const T0 = new Date("2026-11-10T08:00:00.000Z");
const at = (m: number) => new Date(T0.getTime() + minutes(m));

let db: TestDatabase;
let integration: string;
let other: string;
let customer: string;
/** The signals, oldest first: index i was queued at minute i (4 and 5 in the same millisecond). */
const ids: string[] = [];
const plan = [
  { status: "delivered", kind: "consent_change" },
  { status: "failed", kind: "consent_change" },
  { status: "delivered", kind: "delete" },
  { status: "retrying", kind: "consent_change" },
  { status: "pending", kind: "test" },
  { status: "delivered", kind: "consent_change" },
  { status: "failed", kind: "delete" },
] as const;

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  integration = await insertIntegration(db, { name: "Logged" });
  other = await insertIntegration(db, { name: "Other" });
  customer = (await db.driver.query<{ id: string }>(`INSERT INTO customers (external_id) VALUES ('cus_log_1') RETURNING id::text`))[0]!.id;
  for (const [i, p] of plan.entries()) {
    ids.push(
      await insertSignal(db, {
        integrationId: integration,
        customerId: i === 2 ? null : customer,
        kind: p.kind,
        status: p.status,
        attempts: p.status === "pending" ? 0 : 2,
        attemptBase: i === 1 ? 1 : 0,
        createdAt: at(i === 5 ? 4 : i),
        deliveredAt: p.status === "delivered" ? at(i + 0.5) : null,
        payload: p.kind === "consent_change" ? { allowed: i % 2 === 0, version: i + 1 } : {},
        receiverRef: p.status === "delivered" ? `ref-${i}` : null,
        lastError: p.status === "failed" ? "The endpoint answered 500." : null,
      }),
    );
  }
  await insertSignal(db, { integrationId: other, customerId: customer, status: "failed", createdAt: at(3) });
  for (const attempt of [1, 2]) {
    await insertAttempt(db, {
      signalId: ids[1]!,
      integrationId: integration,
      attempt,
      startedAt: at(1 + attempt),
      latencyMs: attempt * 111,
      statusCode: 500,
      error: "The endpoint answered 500.",
      outcome: attempt === 2 ? "failed" : "retry",
    });
  }
});
afterAll(async () => db?.dispose());

/** Walks every page forward, then back from the last, and returns the ids of each page. */
async function walk(filters: DeliveryLogFilters, pageSize: number) {
  const forward: string[][] = [];
  let page = await listDeliveries(integration, filters, pageSize);
  forward.push(page.rows.map((r) => r.id));
  const seen = [page];
  while (page.next) {
    page = await listDeliveries(integration, { ...filters, after: parseCursor(page.next) }, pageSize);
    forward.push(page.rows.map((r) => r.id));
    seen.push(page);
  }
  const backward: string[][] = [forward.at(-1)!];
  while (page.previous) {
    page = await listDeliveries(integration, { ...filters, before: parseCursor(page.previous) }, pageSize);
    backward.unshift(page.rows.map((r) => r.id));
  }
  return { forward, backward, first: seen[0]! };
}
const parseCursor = (cursor: string) => parseDeliveryPageParams({ after: cursor }).params.after!;

describe("the delivery log", () => {
  it("lists newest first, ties by id, in keyset pages both ways", async () => {
    const newestFirst = [6, ...[4, 5].sort((a, b) => (ids[b]! > ids[a]! ? 1 : -1)), 3, 2, 1, 0].map((i) => ids[i]!);
    const { forward, backward, first } = await walk({}, 3);
    expect(forward.flat()).toEqual(newestFirst);
    expect(forward.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(backward).toEqual(forward);
    expect(first.previous).toBeUndefined();
  });

  it("filters by status, kind and queue time, and pages within the filter", async () => {
    expect((await walk({ status: "failed" }, 1)).forward).toEqual([[ids[6]], [ids[1]]]);
    expect((await walk({ kind: "delete" }, 5)).forward.flat()).toEqual([ids[6], ids[2]]);
    // from is inclusive, to exclusive: minutes 1, 2 and 3.
    expect((await walk({ from: at(1), to: at(4) }, 2)).forward.flat()).toEqual([ids[3], ids[2], ids[1]]);
    expect((await walk({ status: "delivered", kind: "consent_change", from: at(1) }, 10)).forward.flat()).toEqual([ids[5]]);
    expect((await listDeliveries(integration, { status: "delivered", to: at(0) })).rows).toEqual([]);
  });

  it("shows each row's customer, decision, last answer and the receiver's reference", async () => {
    const rows = (await listDeliveries(integration, {}, 10)).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids[1]!)).toMatchObject({
      status: "failed",
      attempts: 2,
      attemptBase: 1,
      customer: { id: customer, externalId: "cus_log_1" },
      consent: { allowed: false, version: 2 },
      lastLatencyMs: 222,
      lastError: "The endpoint answered 500.",
    });
    expect(byId.get(ids[0]!)).toMatchObject({ receiverRef: "ref-0", deliveredAt: at(0.5), consent: { allowed: true, version: 1 } });
    // An erased customer's signals stay, without the customer.
    expect(byId.get(ids[2]!)).toMatchObject({ customer: null, consent: null });
    expect(rows.some((r) => r.id === ids[0] && r.lastLatencyMs === null)).toBe(true);
  });

  it("opens one signal with its attempts, oldest first, only under its own integration", async () => {
    const detail = (await getSignalDetail(integration, ids[1]!))!;
    expect(detail.signal.id).toBe(ids[1]);
    expect(detail.attempts).toEqual([
      {
        attempt: 1,
        startedAt: at(2),
        statusCode: 500,
        latencyMs: 111,
        error: "The endpoint answered 500.",
        receiverRef: null,
        outcome: "retry",
      },
      {
        attempt: 2,
        startedAt: at(3),
        statusCode: 500,
        latencyMs: 222,
        error: "The endpoint answered 500.",
        receiverRef: null,
        outcome: "failed",
      },
    ]);
    expect(await getSignalDetail(other, ids[1]!)).toBeNull();
    expect(await getSignalDetail(integration, "not-an-id")).toBeNull();
    expect(await listDeliveries("not-an-id", {})).toEqual({ rows: [] });
  });

  it("reads the page's parameters by name, dropping a bad one", () => {
    const parsed = parseDeliveryPageParams({ status: "failed", kind: "sms", from: "2026-11-10", to: "2026-11-09T10:00", signal: ids[0] });
    expect(parsed.params).toMatchObject({ status: "failed", from: new Date("2026-11-10T00:00:00Z"), signal: ids[0] });
    expect(parsed.errors.map((e) => e.field).sort()).toEqual(["kind", "to"]);
    expect(parseDeliveryPageParams({ from: "2026-11-10T09:30" }).params.from).toEqual(new Date("2026-11-10T09:30:00Z"));
    expect(parseDeliveryPageParams({ from: "2026-11-10T09:30:00+02:00" }).params.from).toEqual(new Date("2026-11-10T07:30:00Z"));
    expect(parseDeliveryPageParams({ from: "0000-01-01" }).errors).toEqual([{ field: "from", message: expect.stringContaining("2000") }]);
    expect(parseDeliveryApiParams({ limit: "0" })).toMatchObject({ ok: false, errors: [{ field: "limit" }] });
  });
});

describe("GET /api/integrations/{id}/deliveries", () => {
  const call = async (id: string, query: string, key: string) =>
    GET(new Request(`http://localhost/api/integrations/${id}/deliveries${query}`, { headers: { authorization: `Bearer ${key}` } }), {
      params: Promise.resolve({ id }),
    });

  it("answers a page in the API's shape, follows its cursor, and refuses bad input by name", async () => {
    const { key } = await createApiKey({ name: "auditor key", role: "auditor", createdById: null }, db.prisma);
    const response = await call(integration, "?status=failed&limit=1", key);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { deliveries: Array<Record<string, unknown>>; next: string | null } };
    expect(body.data.deliveries).toEqual([
      expect.objectContaining({
        id: ids[6],
        kind: "delete",
        status: "failed",
        next_attempt_at: null,
        customer: { id: customer, external_id: "cus_log_1" },
      }),
    ]);
    const next = (await (await call(integration, `?status=failed&limit=1&after=${body.data.next}`, key)).json()) as typeof body;
    expect(next.data.deliveries.map((d) => d.id)).toEqual([ids[1]]);
    expect(next.data.next).toBeNull();

    const bad = await call(integration, "?status=lost&from=yesterday", key);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { fields: { status: expect.any(String), from: expect.any(String) } } });
    expect((await call("00000000-0000-4000-8000-00000000dead", "", key)).status).toBe(404);
  });
});
