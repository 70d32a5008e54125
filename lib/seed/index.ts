import type { SqlDriver } from "../db/driver.ts";
import {
  INSERT_CONSENT_HISTORY,
  INSERT_CONSENT_HISTORY_FOR,
  INSERT_CONSENTS,
  INSERT_CUSTOMERS,
  INSERT_EVENTS,
  insertEnrolments,
  insertMemberships,
} from "./bulk-sql.ts";
import { seedDemoDeliveries } from "./deliveries.ts";
import { DEMO_AUDIENCES, DEMO_CAMPAIGNS, DEMO_CUSTOMERS, DEMO_INTEGRATIONS, DEMO_JOURNEYS } from "./reference.ts";

export interface SeedOptions {
  customers: number;
  eventsPerCustomer: number;
  /** Customers per transaction; bigger is faster, smaller shows progress sooner. */
  chunkSize?: number;
  /** Chunks in flight at once on PostgreSQL (default 2, one per core here). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** What "now" is for the demo delivery history (lib/seed/deliveries.ts); the clock by default. */
  now?: Date;
}

export interface SeedSummary {
  customers: number;
  consents: number;
  memberships: number;
  enrolments: number;
  events: number;
}

export class SeedSizeMismatchError extends Error {}

export async function seedDatabase(driver: SqlDriver, options: SeedOptions): Promise<SeedSummary> {
  const { customers, eventsPerCustomer } = options;
  const chunkSize = options.chunkSize ?? 25_000;
  await assertCompatibleSize(driver, customers);
  const now = options.now ?? new Date();
  await seedReference(driver);
  await seedDemoCustomers(driver, now);
  await seedDemoDeliveries(driver, now);

  const memberships = insertMemberships(DEMO_AUDIENCES);
  const enrolments = insertEnrolments(DEMO_JOURNEYS.map((j) => j.name));
  const chunks: Array<[number, number]> = [];
  for (let from = 1; from <= customers; from += chunkSize) chunks.push([from, Math.min(customers, from + chunkSize - 1)]);

  // Rows are generated consistent with their parents, so a superuser may skip the
  // per-row foreign-key triggers for the bulk load (as pg_restore does).
  const [role] = await driver.query<{ rolsuper: boolean }>(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`);
  let done = 0;
  const insertChunk = ([from, to]: [number, number]) =>
    driver.transaction(async (tx) => {
      if (role?.rolsuper) await tx.exec("SET LOCAL session_replication_role = replica");
      await tx.query(INSERT_CUSTOMERS, [from, to]);
      await tx.query(INSERT_CONSENTS, [from, to]);
      await tx.query(INSERT_CONSENT_HISTORY, [from, to]);
      await tx.query(memberships, [from, to]);
      await tx.query(enrolments, [from, to]);
      if (eventsPerCustomer > 0) await tx.query(INSERT_EVENTS, [from, to, eventsPerCustomer]);
      done += to - from + 1;
      options.onProgress?.(done, customers);
    });
  // A PostgreSQL server can fill chunks on every core at once; PGlite is one connection.
  const workers = driver.kind === "postgres" ? (options.concurrency ?? 2) : 1;
  const queue = [...chunks];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let chunk = queue.shift(); chunk; chunk = queue.shift()) await insertChunk(chunk);
    }),
  );
  // Seeded event ids are explicit; move the sequence past them for new events.
  await driver.query(`SELECT setval(pg_get_serial_sequence('loyalty_events', 'id'), GREATEST((SELECT max(id) FROM loyalty_events), 1))`);
  // Vacuum too: a fresh bulk load has no visibility map, so index-only scans
  // would still read the table until autovacuum (if any) comes round.
  await driver.exec("VACUUM (ANALYZE)");
  return summarize(driver);
}

async function assertCompatibleSize(driver: SqlDriver, customers: number) {
  const [row] = await driver.query<{ max: string | null }>(
    `SELECT max(external_id) AS max FROM customers WHERE external_id LIKE 'cus\\_%'`,
  );
  const existing = row?.max ? Number(row.max.slice(4)) : 0;
  if (existing > customers) {
    throw new SeedSizeMismatchError(
      `The database already holds ${existing} seeded customers, more than the ${customers} asked for. Run with --reset to start over.`,
    );
  }
}

async function seedReference(driver: SqlDriver) {
  for (const i of DEMO_INTEGRATIONS) {
    await driver.query(
      // Connected before any seeded consent history (which starts on 2024-01-01, lib/seed/bulk-sql.ts).
      `INSERT INTO integrations (id, name, vendor, endpoint, purposes, signing_secret, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, timestamptz '2023-12-01 00:00:00+00') ON CONFLICT DO NOTHING`,
      [i.id, i.name, i.vendor, i.endpoint, [...i.purposes], i.signingSecret],
    );
  }
  for (const name of DEMO_AUDIENCES) {
    await driver.query(`INSERT INTO audiences (id, name) VALUES (md5('cd-seed-audience-' || $1)::uuid, $1) ON CONFLICT DO NOTHING`, [name]);
  }
  for (const j of DEMO_JOURNEYS) {
    await driver.query(
      `INSERT INTO journeys (id, name, status) VALUES (md5('cd-seed-journey-' || $1)::uuid, $1, $2::journey_status) ON CONFLICT DO NOTHING`,
      [j.name, j.status],
    );
  }
  await seedCampaigns(driver);
}

/** The demo loyalty campaigns; a campaign an admin has since changed is left as it is. */
export async function seedCampaigns(driver: Pick<SqlDriver, "query">) {
  for (const c of DEMO_CAMPAIGNS) {
    await driver.query(
      `INSERT INTO loyalty_campaigns (id, name, kind, event_type, points, points_per_amount, min_amount, reward)
       VALUES (md5('cd-seed-campaign-' || $1)::uuid, $1, $2::campaign_kind, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [c.name, c.kind, c.eventType, c.points, c.pointsPerAmount, c.minAmount, c.reward],
    );
  }
}

async function seedDemoCustomers(driver: SqlDriver, now: Date) {
  for (const [index, c] of DEMO_CUSTOMERS.entries()) {
    const createdAt = new Date(Date.UTC(2026, 5, 1 + index));
    // Most demo consents were recorded when the customer was made; a few recently, for the delivery history.
    const recordedAt = "recordedHoursAgo" in c ? new Date(now.getTime() - c.recordedHoursAgo * 3_600_000) : createdAt;
    await driver.query(
      `INSERT INTO customers (id, external_id, name, name_search, email, phone, push_token, attributes, created_at, updated_at)
       VALUES ($1, $2, $3, lower($3), $4, $5, $6, $7, $8, $8) ON CONFLICT DO NOTHING`,
      [c.id, c.externalId, c.name, c.email, c.phone, c.pushToken, { tier: "gold", city: "Mexico City" }, createdAt],
    );
    if (c.consent) {
      const { vendors, ...purposes } = c.consent as Record<string, unknown> & { vendors: Record<string, boolean> };
      await driver.query(
        `INSERT INTO customer_consents (customer_id, behavioral_campaigns, email_marketing, push_notifications, coupon_campaigns,
           punchcard_campaigns, link_tracking, vendors, consent_timestamp, recorded_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) ON CONFLICT DO NOTHING`,
        [
          c.id,
          purposes.behavioral_campaigns ?? null,
          purposes.email_marketing ?? null,
          purposes.push_notifications ?? null,
          purposes.coupon_campaigns ?? null,
          purposes.punchcard_campaigns ?? null,
          purposes.link_tracking ?? null,
          vendors,
          recordedAt,
        ],
      );
      await driver.query(INSERT_CONSENT_HISTORY_FOR, [c.id]);
    }
    // Three audiences each (which three: reference.ts, by who may change the customer) and one journey.
    await driver.query(
      `INSERT INTO audience_memberships (audience_id, customer_id, email, push_token, joined_at)
       SELECT a.id, c.id,
         CASE WHEN cc.customer_id IS NULL OR cc.email_marketing IS TRUE THEN c.email END,
         CASE WHEN cc.customer_id IS NULL OR cc.push_notifications IS TRUE THEN c.push_token END,
         c.created_at + interval '1 day'
       FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
       JOIN audiences a ON a.name = ANY($2::text[])
       WHERE c.id = $1 ON CONFLICT DO NOTHING`,
      [c.id, [...c.audiences]],
    );
    await driver.query(
      `INSERT INTO journey_enrolments (journey_id, customer_id, step, enrolled_at)
       SELECT id, $1, 'step-2', $2::timestamptz + interval '2 days' FROM journeys WHERE name = 'Welcome series'
       ON CONFLICT DO NOTHING`,
      [c.id, createdAt],
    );
    // Negative ids never meet the sequence or the bulk range.
    await driver.query(
      `INSERT INTO loyalty_events (id, customer_id, type, amount, occurred_at, outcome, withheld_reason, points_awarded)
       SELECT -($2::bigint * 100 + k), c.id, t.type, t.amount, $3::timestamptz + k * interval '1 day', o.outcome::event_outcome, o.reason,
         CASE WHEN o.outcome = 'withheld' THEN 0 ELSE 25 END
       FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
       CROSS JOIN generate_series(1, 8) AS k
       CROSS JOIN LATERAL (SELECT (ARRAY['purchase','visit','coupon_redeemed','punch'])[1 + k % 4] AS type,
         CASE WHEN k % 4 = 0 THEN 42.50 + k END AS amount) t
       CROSS JOIN LATERAL (SELECT
         CASE WHEN cc.customer_id IS NOT NULL AND cc.behavioral_campaigns IS NOT TRUE THEN 'withheld'
              WHEN t.type = 'coupon_redeemed' AND cc.customer_id IS NOT NULL AND cc.coupon_campaigns IS NOT TRUE THEN 'partially_withheld'
              WHEN t.type = 'punch' AND cc.customer_id IS NOT NULL AND cc.punchcard_campaigns IS NOT TRUE THEN 'partially_withheld'
              ELSE 'processed' END AS outcome,
         CASE WHEN cc.customer_id IS NOT NULL AND cc.behavioral_campaigns IS NOT TRUE THEN 'consent:behavioral_campaigns'
              WHEN t.type = 'coupon_redeemed' AND cc.customer_id IS NOT NULL AND cc.coupon_campaigns IS NOT TRUE THEN 'consent:coupon_campaigns'
              WHEN t.type = 'punch' AND cc.customer_id IS NOT NULL AND cc.punchcard_campaigns IS NOT TRUE THEN 'consent:punchcard_campaigns'
         END AS reason) o
       WHERE c.id = $1 ON CONFLICT DO NOTHING`,
      [c.id, index + 1, createdAt],
    );
  }
}

export async function summarize(driver: SqlDriver): Promise<SeedSummary> {
  const [row] = await driver.query<Record<keyof SeedSummary, string>>(`SELECT
    (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM customer_consents) AS consents,
    (SELECT count(*) FROM audience_memberships) AS memberships, (SELECT count(*) FROM journey_enrolments) AS enrolments,
    (SELECT count(*) FROM loyalty_events) AS events`);
  return {
    customers: Number(row?.customers),
    consents: Number(row?.consents),
    memberships: Number(row?.memberships),
    enrolments: Number(row?.enrolments),
    events: Number(row?.events),
  };
}

/** Empties every domain table (not the migrations record). */
export async function resetDatabase(driver: SqlDriver) {
  await driver.exec(
    `TRUNCATE customers, customer_consents, audiences, audience_memberships, journeys, journey_enrolments, loyalty_events, loyalty_campaigns, integrations RESTART IDENTITY CASCADE`,
  );
}
