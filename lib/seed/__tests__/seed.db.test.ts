import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { DEMO_CUSTOMERS } from "../reference.ts";
import { resetDatabase, seedDatabase, SeedSizeMismatchError, summarize } from "../index.ts";

let db: TestDatabase;
const CUSTOMERS = 600;
const EVENTS = 4;

const one = async <T>(sql: string, params: unknown[] = []) => (await db.driver.query<T>(sql, params))[0]!;
const count = async (sql: string, params: unknown[] = []) => Number((await one<{ n: string }>(sql, params)).n);

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDatabase(db.driver, { customers: CUSTOMERS, eventsPerCustomer: EVENTS, chunkSize: 250 });
});

afterAll(async () => db?.dispose());

describe("seedDatabase", () => {
  it("fills customers, three memberships each, events, and the demo customers", async () => {
    const summary = await summarize(db.driver);
    const demo = DEMO_CUSTOMERS.length;
    expect(summary.customers).toBe(CUSTOMERS + demo);
    expect(summary.memberships).toBe(3 * (CUSTOMERS + demo));
    expect(summary.events).toBe(CUSTOMERS * EVENTS + demo * 8);
    expect(summary.enrolments).toBeGreaterThan(CUSTOMERS * 0.35);
    expect(await count(`SELECT count(*) AS n FROM integrations`)).toBe(3);
  });

  it("is idempotent: a second run adds nothing", async () => {
    const before = await summarize(db.driver);
    await seedDatabase(db.driver, { customers: CUSTOMERS, eventsPerCustomer: EVENTS, chunkSize: 400 });
    expect(await summarize(db.driver)).toEqual(before);
  });

  it("mixes consent states: not recorded, purposes off, vendors off", async () => {
    const notRecorded = await count(
      `SELECT count(*) AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_consents WHERE customer_id = c.id)`,
    );
    expect(notRecorded / CUSTOMERS).toBeGreaterThan(0.2);
    expect(notRecorded / CUSTOMERS).toBeLessThan(0.4);
    expect(await count(`SELECT count(*) AS n FROM customer_consents WHERE email_marketing = false`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM customer_consents WHERE push_notifications IS NULL`)).toBeGreaterThan(0);
    expect(await count(`SELECT count(*) AS n FROM customer_consents WHERE vendors @> '{"meta": false}'`)).toBeGreaterThan(0);
  });

  it("starts every recorded consent's history with its import, matching the record (rule 5)", async () => {
    expect(await count(`SELECT count(*) AS n FROM consent_changes`)).toBe(await count(`SELECT count(*) AS n FROM customer_consents`));
    const mismatched = await count(`
      SELECT count(*) AS n FROM customer_consents cc JOIN consent_changes h ON h.customer_id = cc.customer_id
      WHERE h.version <> cc.version OR h.source <> 'import' OR h.before IS NOT NULL OR h.after->'vendors' <> cc.vendors
         OR (h.after->'purposes'->>'email_marketing')::boolean IS DISTINCT FROM cc.email_marketing
         OR (h.after->'purposes'->>'push_notifications')::boolean IS DISTINCT FROM cc.push_notifications`);
    expect(mismatched).toBe(0);
  });

  it("leaves membership contact fields exactly where consent allows the channel", async () => {
    const wrong = await count(`
      SELECT count(*) AS n FROM audience_memberships m
      JOIN customers c ON c.id = m.customer_id LEFT JOIN customer_consents cc ON cc.customer_id = c.id
      WHERE m.email IS DISTINCT FROM (CASE WHEN cc.customer_id IS NULL OR cc.email_marketing THEN c.email END)
         OR m.push_token IS DISTINCT FROM (CASE WHEN cc.customer_id IS NULL OR cc.push_notifications THEN c.push_token END)`);
    expect(wrong).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audience_memberships WHERE email IS NULL`)).toBeGreaterThan(0);
  });

  it("decides event outcomes as the consent rules would", async () => {
    const wrong = await count(`
      SELECT count(*) AS n FROM loyalty_events e LEFT JOIN customer_consents cc ON cc.customer_id = e.customer_id
      WHERE (cc.customer_id IS NOT NULL AND cc.behavioral_campaigns IS NOT TRUE)
            <> (e.outcome = 'withheld' AND e.withheld_reason = 'consent:behavioral_campaigns' AND e.points_awarded = 0)`);
    expect(wrong).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM loyalty_events WHERE outcome = 'partially_withheld'`)).toBeGreaterThan(0);
  });

  it("moves the event id sequence past the seeded ids", async () => {
    const { id } = await one<{ id: string }>(
      `INSERT INTO loyalty_events (customer_id, type, occurred_at, outcome) VALUES ($1, 'visit', now(), 'processed') RETURNING id`,
      [DEMO_CUSTOMERS[0].id],
    );
    expect(Number(id)).toBeGreaterThan(CUSTOMERS * EVENTS);
  });

  it("refuses to shrink an existing seed, and starts over after a reset", async () => {
    await expect(seedDatabase(db.driver, { customers: 10, eventsPerCustomer: 1 })).rejects.toBeInstanceOf(SeedSizeMismatchError);
    await resetDatabase(db.driver);
    expect((await summarize(db.driver)).customers).toBe(0);
    await seedDatabase(db.driver, { customers: 10, eventsPerCustomer: 1 });
    expect((await summarize(db.driver)).customers).toBe(10 + DEMO_CUSTOMERS.length);
  });
});
