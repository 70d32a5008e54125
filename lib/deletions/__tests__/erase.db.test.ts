import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertIntegration, insertSignal } from "../../integrations/__tests__/fixtures.ts";
import { verifyAuditChain } from "../../audit/verify.ts";
import { audienceSizesPerDay, eventsPerTypePerDay, pointsAndRewardsPerDay } from "../../reporting/totals.ts";
import { scanFor } from "../../testing/pii-scan.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { requestDeletion } from "../erase.ts";
import { CustomerNotFoundError } from "../errors.ts";
import { identifierHash } from "../tombstone.ts";
import { insertRichCustomer, officer } from "./fixtures.ts";

let db: TestDatabase;
let integrations: string[];

beforeAll(async () => {
  db = await createTestDatabase({ install: true });
  integrations = [await insertIntegration(db, { name: "Braze" }), await insertIntegration(db, { name: "Meta", enabled: false })];
});
afterAll(async () => {
  await db.dispose();
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("requestDeletion", () => {
  it("erases every identifier everywhere, keeps the totals, queues one delete signal per integration, and scrubs them once acknowledged", async () => {
    const c = await insertRichCustomer(db, { memberships: 3, events: 12 });
    await insertSignal(db, {
      integrationId: integrations[0]!,
      customerId: c.id,
      payload: { customer_id: c.externalId },
      status: "pending",
    });
    await insertSignal(db, {
      integrationId: integrations[1]!,
      customerId: c.id,
      payload: { customer_id: c.externalId },
      status: "delivered",
    });
    expect((await scanFor(db.driver, c.needles)).length).toBeGreaterThan(5);
    const totals = async () => ({
      points: await pointsAndRewardsPerDay(db.driver),
      events: await eventsPerTypePerDay(db.driver),
      audiences: await audienceSizesPerDay(db.driver, day(-12), day(-1)),
    });
    const before = await totals();

    // A person may type the customer's identifiers into the reason: it is kept as the request's record, without them.
    const reason = `Asked by ${c.email.toUpperCase()} from ${c.phone}; external id ${c.externalId}`;
    const { request, created } = await requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer, reason });
    expect(created).toBe(true);
    expect(request.status).toBe("erased");

    expect(await totals()).toEqual(before);
    // Only the delete signals still carry the external id: what each integration needs to find the person.
    const hits = await scanFor(db.driver, c.needles);
    expect(hits).toEqual([{ table: "integration_signals", column: "payload", needle: c.externalId, rows: 2 }]);
    const signals = await db.driver.query<{ id: string; kind: string; status: string }>(
      `SELECT id, kind, status FROM integration_signals WHERE customer_id = $1 ORDER BY kind`,
      [c.id],
    );
    expect(signals.map((s) => s.kind)).toEqual(["consent_change", "delete", "delete"]);

    await db.driver.query(
      `UPDATE integration_signals SET status = 'delivered', attempts = 1, delivered_at = now() WHERE deletion_request_id = $1`,
      [request.id],
    );
    expect(await scanFor(db.driver, c.needles)).toEqual([]);
    const [row] = await db.driver.query<{ status: string; completed_at: Date | null; identifier_hash: string }>(
      `SELECT status, completed_at, identifier_hash FROM deletion_requests WHERE id = $1`,
      [request.id],
    );
    expect(row).toMatchObject({ status: "completed", identifier_hash: identifierHash("external_id", c.externalId) });
    const [kept] = await db.driver.query<{ reason: string }>(`SELECT reason FROM deletion_requests WHERE id = $1`, [request.id]);
    expect(kept!.reason).toBe("Asked by [erased] from [erased]; external id [erased]");
    expect(row!.completed_at).not.toBeNull();

    // The request and the erasure are audited, by internal ids only, and the log still verifies.
    const audit = await db.driver.query<{ action: string; target_type: string; target_id: string; summary: unknown }>(
      `SELECT action, target_type, target_id, summary FROM audit_entries WHERE target_id IN ($1, $2) ORDER BY action DESC`,
      [request.id, c.id],
    );
    expect(audit.map((a) => [a.action, a.target_type])).toEqual([
      ["deletion.request", "deletion_request"],
      ["customer.delete", "customer"],
    ]);
    expect(audit[1]!.summary).toMatchObject({
      request_id: request.id,
      audiences: 3,
      journeys: 1,
      events: 12,
      signals_dropped: 1,
      integrations: 2,
    });
    expect(await verifyAuditChain(db.prisma)).toMatchObject({ ok: true });
  });

  it("answers the same request when asked again, by id or by the erased external id, and queues nothing more", async () => {
    const c = await insertRichCustomer(db);
    const first = await requestDeletion({ customer: { externalId: c.externalId }, source: "api", actor: officer });
    const count = async () =>
      Number(
        (
          await db.driver.query<{ n: string }>(`SELECT count(*) AS n FROM integration_signals WHERE deletion_request_id = $1`, [
            first.request.id,
          ])
        )[0]!.n,
      );
    expect(await count()).toBe(2);
    const byId = await requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer });
    const byExternalId = await requestDeletion({ customer: { externalId: c.externalId }, source: "api", actor: officer });
    expect(byId).toEqual({ request: first.request, created: false });
    expect(byExternalId).toEqual({ request: first.request, created: false });
    expect(await count()).toBe(2);
  });

  it("refuses an unknown customer", async () => {
    await expect(requestDeletion({ customer: { externalId: "nobody-here" }, source: "api", actor: officer })).rejects.toThrow(
      CustomerNotFoundError,
    );
  });

  it("writes nothing when a statement fails half-way", async () => {
    const c = await insertRichCustomer(db);
    const snapshot = async () => ({
      hits: await scanFor(db.driver, c.needles),
      requests: await db.driver.query(`SELECT count(*) AS n FROM deletion_requests`),
      past: await db.driver.query(`SELECT count(*) AS n FROM audience_past_memberships`),
      audit: await db.driver.query(`SELECT count(*) AS n FROM audit_entries`),
    });
    const before = await snapshot();
    await db.driver.exec(`
      CREATE FUNCTION fail_tombstone() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
      CREATE TRIGGER fail_tombstone BEFORE INSERT ON customer_tombstones FOR EACH ROW EXECUTE FUNCTION fail_tombstone();`);
    try {
      await expect(requestDeletion({ customer: { id: c.id }, source: "dashboard", actor: officer })).rejects.toThrow(/injected failure/);
    } finally {
      await db.driver.exec(`DROP TRIGGER fail_tombstone ON customer_tombstones; DROP FUNCTION fail_tombstone();`);
    }
    expect(await snapshot()).toEqual(before);
  });
});
