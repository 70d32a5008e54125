import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testing/test-database.ts";
import { PURPOSES } from "../../consent/purposes.ts";
import { consentFromSnapshot } from "../../consent/model.ts";
import { evaluateIntegration } from "../../consent/rules.ts";
import { isPurpose } from "../../consent/purposes.ts";
import { DEMO, DEMO_CUSTOMERS, DEMO_INTEGRATIONS, SEED_HISTORY_ACTORS } from "../reference.ts";
import { resetDatabase, seedDatabase, SeedSizeMismatchError, summarize } from "../index.ts";

let db: TestDatabase;
const CUSTOMERS = 600;
const EVENTS = 4;

const one = async <T>(sql: string, params: unknown[] = []) => (await db.driver.query<T>(sql, params))[0]!;
const count = async (sql: string, params: unknown[] = []) => Number((await one<{ n: string }>(sql, params)).n);

let seededBy: Date;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDatabase(db.driver, { customers: CUSTOMERS, eventsPerCustomer: EVENTS, chunkSize: 250 });
  seededBy = new Date();
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

  it("starts every recorded consent's history with its import, matching the record at version 1 (rule 5)", async () => {
    expect(await count(`SELECT count(*) AS n FROM customer_consents`)).toBeGreaterThan(CUSTOMERS / 2);
    const wrong = await count(`
      SELECT count(*) AS n FROM customer_consents cc LEFT JOIN consent_changes h ON h.customer_id = cc.customer_id AND h.version = 1
      WHERE h.id IS NULL OR h.source <> 'import' OR h.actor_type <> 'system' OR h.before IS NOT NULL
         OR (cc.version = 1 AND (h.after->'vendors' <> cc.vendors
           OR (h.after->'purposes'->>'email_marketing')::boolean IS DISTINCT FROM cc.email_marketing
           OR (h.after->'purposes'->>'push_notifications')::boolean IS DISTINCT FROM cc.push_notifications))`);
    expect(wrong).toBe(0);
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
    // nextval is what a new event's id would be, without adding a row other tests count.
    const { next, max } = await one<{ next: string; max: string }>(
      `SELECT nextval(pg_get_serial_sequence('loyalty_events', 'id')) AS next, (SELECT max(id) FROM loyalty_events) AS max`,
    );
    expect(Number(max)).toBeGreaterThanOrEqual(CUSTOMERS * EVENTS);
    expect(Number(next)).toBeGreaterThan(Number(max));
  });

  it("refuses to shrink an existing seed, and starts over after a reset", async () => {
    // Its own database: resetting the shared one would empty it under the other tests.
    const own = await createTestDatabase();
    try {
      await seedDatabase(own.driver, { customers: 20, eventsPerCustomer: 1 });
      await expect(seedDatabase(own.driver, { customers: 10, eventsPerCustomer: 1 })).rejects.toBeInstanceOf(SeedSizeMismatchError);
      await resetDatabase(own.driver);
      expect(await summarize(own.driver)).toEqual({ customers: 0, consents: 0, memberships: 0, enrolments: 0, events: 0 });
      expect(Number((await own.driver.query<{ n: string }>(`SELECT count(*) AS n FROM consent_changes`))[0]!.n)).toBe(0);
      await seedDatabase(own.driver, { customers: 10, eventsPerCustomer: 1 });
      expect((await summarize(own.driver)).customers).toBe(10 + DEMO_CUSTOMERS.length);
    } finally {
      await own.dispose();
    }
  });
});

describe("the seeded consent history (rule 5: complete evidence)", () => {
  it("seeds customers at several versions, so the checks below cover real chains", async () => {
    const versions = await db.driver.query<{ version: number; n: string }>(
      `SELECT version, count(*) AS n FROM customer_consents GROUP BY version ORDER BY version`,
    );
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    for (const v of versions) expect(Number(v.n)).toBeGreaterThan(CUSTOMERS / 20);
    expect(await count(`SELECT count(*) AS n FROM consent_changes WHERE source <> 'import'`)).toBeGreaterThan(CUSTOMERS / 5);
  });

  it("holds exactly versions 1…N for every customer with consent, and nothing for those without", async () => {
    const wrong = await db.driver.query(`
      SELECT cc.customer_id, cc.version, count(h.id) AS entries, min(h.version) AS first, max(h.version) AS last
      FROM customer_consents cc LEFT JOIN consent_changes h ON h.customer_id = cc.customer_id
      GROUP BY cc.customer_id, cc.version
      HAVING count(h.id) <> cc.version OR min(h.version) <> 1 OR max(h.version) <> cc.version
      LIMIT 5`);
    expect(wrong).toEqual([]);
    const orphans = await count(
      `SELECT count(*) AS n FROM consent_changes h WHERE NOT EXISTS (SELECT 1 FROM customer_consents WHERE customer_id = h.customer_id)`,
    );
    expect(orphans).toBe(0);
  });

  it("chains every entry: before is the previous after, changed lists exactly the keys that differ, time moves forward, the last after is the record", async () => {
    const problems = await db.driver.query<{ customer_id: string; version: number; problem: string }>(`
      WITH h AS (
        SELECT h.*, lag(h.after) OVER w AS previous_after, lag(h.changed_at) OVER w AS previous_at,
          max(h.version) OVER (PARTITION BY h.customer_id) AS last_version
        FROM consent_changes h WINDOW w AS (PARTITION BY h.customer_id ORDER BY h.version)
      ), d AS (
        SELECT h.*, ARRAY(SELECT k FROM unnest(h.changed) AS k ORDER BY k) AS listed,
          ARRAY(
            SELECT k FROM (
              SELECT p AS k FROM unnest(ARRAY[${PURPOSES.map((p) => `'${p}'`).join(", ")}]) AS p
              WHERE h.before IS NULL OR h.before->'purposes'->p IS DISTINCT FROM h.after->'purposes'->p
              UNION
              SELECT 'vendors.' || v FROM (SELECT jsonb_object_keys(coalesce(h.before->'vendors', '{}')) UNION SELECT jsonb_object_keys(h.after->'vendors')) AS ks(v)
              WHERE h.before IS NULL OR h.before->'vendors'->v IS DISTINCT FROM h.after->'vendors'->v
            ) keys ORDER BY k) AS differing
        FROM h
      )
      SELECT d.customer_id, d.version, p.problem FROM d
      JOIN customer_consents cc ON cc.customer_id = d.customer_id
      CROSS JOIN LATERAL (VALUES
        (CASE WHEN d.version = 1 AND (d.before IS NOT NULL OR d.source <> 'import') THEN 'version 1 is not the import' END),
        (CASE WHEN d.version > 1 AND d.source = 'import' THEN 'a later version says import' END),
        (CASE WHEN d.version > 1 AND d.before IS DISTINCT FROM d.previous_after THEN 'before is not the previous after' END),
        (CASE WHEN d.listed <> d.differing THEN 'changed ' || d.listed::text || ' but differing ' || d.differing::text END),
        (CASE WHEN d.version > 1 AND cardinality(d.differing) = 0 THEN 'a change that changed nothing' END),
        (CASE WHEN d.changed_at <= d.previous_at THEN 'changed_at does not increase' END),
        (CASE WHEN d.version = d.last_version AND d.after <> jsonb_build_object(
            'purposes', jsonb_build_object(${PURPOSES.map((p) => `'${p}', cc.${p}`).join(", ")}), 'vendors', cc.vendors)
          THEN 'the last after is not the stored record' END),
        (CASE WHEN d.version = d.last_version AND d.changed_at <> cc.updated_at THEN 'the last change is not when the record was updated' END),
        (CASE WHEN d.consent_timestamp IS DISTINCT FROM cc.consent_timestamp THEN 'consent_timestamp differs from the record' END)
      ) AS p(problem)
      WHERE p.problem IS NOT NULL
      ORDER BY d.customer_id, d.version LIMIT 10`);
    expect(problems).toEqual([]);
    // The checks above ran over every entry, import and later changes alike.
    expect(await count(`SELECT count(*) AS n FROM consent_changes`)).toBeGreaterThan(
      await count(`SELECT count(*) AS n FROM customer_consents`),
    );
  });

  it("names a demo actor for every change after the import", async () => {
    const actors = await db.driver.query<{ source: string; actor_type: string; actor_id: string | null; actor_label: string }>(
      `SELECT DISTINCT source::text, actor_type, actor_id, actor_label FROM consent_changes WHERE version > 1 ORDER BY 1, 2, 4`,
    );
    expect(actors).toEqual(
      [...SEED_HISTORY_ACTORS]
        .map((a) => ({ source: a.source, actor_type: a.type, actor_id: a.id, actor_label: a.label }))
        .sort(
          (a, b) =>
            a.source.localeCompare(b.source) || a.actor_type.localeCompare(b.actor_type) || a.actor_label.localeCompare(b.actor_label),
        ),
    );
  });
});

describe("the seeded delivery history (the integrations pages are not empty in the demo)", () => {
  type Signal = {
    id: string;
    customer_id: string;
    vendor: string;
    status: string;
    attempts: number;
    created_at: Date;
    changed_at: Date;
    delivered_at: Date | null;
    next_attempt_at: Date;
    payload: { allowed: boolean; version: number; customer_id: string };
    version: number;
    after: unknown;
    logged: number;
    last_logged: Date | null;
  };
  const signals = () =>
    db.driver.query<Signal>(`
      SELECT s.id::text, s.customer_id::text, i.vendor, s.status::text, s.attempts, s.created_at, h.changed_at, s.delivered_at,
             s.next_attempt_at, s.payload, h.version, h.after,
             (SELECT count(*)::int FROM delivery_attempts a WHERE a.signal_id = s.id) AS logged,
             (SELECT max(started_at) FROM delivery_attempts a WHERE a.signal_id = s.id) AS last_logged
      FROM integration_signals s JOIN integrations i ON i.id = s.integration_id JOIN consent_changes h ON h.id = s.consent_change_id
      ORDER BY s.created_at`);

  it("gives only demo customers signals, queued with their consent change, one per integration whose decision it changed", async () => {
    const rows = await signals();
    const demo = new Map<string, (typeof DEMO_CUSTOMERS)[number]>(DEMO_CUSTOMERS.map((c) => [c.id, c]));
    expect(rows.length).toBeGreaterThan(15);
    for (const r of rows) {
      const customer = demo.get(r.customer_id)!;
      expect(customer, "a demo customer").toBeDefined();
      expect(["read-only", "e2e/integrations.spec.ts"]).toContain(customer.owner);
      expect(r.created_at).toEqual(r.changed_at);
      const integration = DEMO_INTEGRATIONS.find((i) => i.vendor === r.vendor)!;
      const decision = evaluateIntegration(consentFromSnapshot(r.after), {
        vendor: integration.vendor,
        purposes: integration.purposes.filter(isPurpose),
      });
      expect(r.payload).toMatchObject({ allowed: decision.allowed, version: r.version, customer_id: customer.externalId });
    }
    expect(await count(`SELECT count(*) AS n FROM integration_signals WHERE customer_id IS NULL OR kind <> 'consent_change'`)).toBe(0);
  });

  it("mixes fates over the last 7 days: delivered with references, some after failures, retrying, two failed", async () => {
    const rows = await signals();
    const by = (status: string) => rows.filter((r) => r.status === status);
    expect(
      by("failed")
        .map((r) => [r.customer_id, r.vendor, r.attempts])
        .sort(),
    ).toEqual(
      [
        [DEMO.iris.id, "braze", 10],
        [DEMO.nour.id, "braze", 10],
      ].sort(),
    );
    expect(by("retrying").length).toBeGreaterThanOrEqual(2);
    expect(by("delivered").filter((r) => r.attempts > 1).length).toBeGreaterThanOrEqual(2);
    const weekAgo = seededBy.getTime() - 7 * 86_400_000;
    expect(rows.filter((r) => r.created_at.getTime() > weekAgo && r.status === "delivered").length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.created_at.getTime() > seededBy.getTime() - 86_400_000).length).toBeGreaterThan(2);
    for (const r of rows) {
      // Every attempt is logged, none after the seed ran; a retrying signal's next attempt is still ahead.
      expect(r.logged).toBe(r.attempts);
      expect(r.last_logged!.getTime()).toBeLessThanOrEqual(seededBy.getTime());
      if (r.status === "retrying") expect(r.next_attempt_at.getTime()).toBeGreaterThan(seededBy.getTime());
      if (r.status === "delivered") expect(r.delivered_at!.getTime()).toBeLessThanOrEqual(seededBy.getTime());
    }
    expect(await count(`SELECT count(*) AS n FROM integration_signals WHERE status = 'delivered' AND receiver_ref IS NULL`)).toBe(0);
  });

  it("adds nothing when seeded again, later", async () => {
    const before = [
      await count(`SELECT count(*) AS n FROM integration_signals`),
      await count(`SELECT count(*) AS n FROM delivery_attempts`),
    ];
    await seedDatabase(db.driver, { customers: CUSTOMERS, eventsPerCustomer: EVENTS, now: new Date(Date.now() + 86_400_000) });
    expect([
      await count(`SELECT count(*) AS n FROM integration_signals`),
      await count(`SELECT count(*) AS n FROM delivery_attempts`),
    ]).toEqual(before);
  });
});
