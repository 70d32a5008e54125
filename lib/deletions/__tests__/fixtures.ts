import { randomUUID } from "node:crypto";
import type { Actor } from "../../auth/actor.ts";
import type { TestDatabase } from "../../testing/test-database.ts";

// A customer with something identifying in every place the product stores
// it: profile, audience memberships, journey enrolments, events' attributes,
// consent history (reason, TC string) and queued signals. Each test makes its own.

export const officer: Actor = {
  kind: "user",
  id: "00000000-0000-4000-8000-0000000000e1",
  label: "officer@example.com",
  role: "privacy_officer",
  ip: "203.0.113.9",
  userAgent: "vitest",
};

export const TC_STRING = "CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA";

export interface RichCustomer {
  id: string;
  externalId: string;
  email: string;
  phone: string;
  name: string;
  pushToken: string;
  /** Every stored form of the identifiers: what a scan must not find after the erasure. */
  needles: string[];
}

export async function insertRichCustomer(
  db: TestDatabase,
  options: { memberships?: number; events?: number; enrolments?: number } = {},
): Promise<RichCustomer> {
  const tag = randomUUID().replaceAll("-", "").slice(0, 12);
  const id = randomUUID();
  const c = {
    id,
    externalId: `ext-${tag}`,
    email: `Zoe.${tag}@Example.COM`,
    phone: `+44 20 7946 ${tag.replace(/\D/g, "").padEnd(4, "7").slice(0, 4)}`,
    name: `Zoë Quartermaine-${tag}`,
    pushToken: `push-${tag}-token`,
  };
  const normalisedPhone = "+" + c.phone.replace(/\D/g, "");
  await db.driver.query(
    `INSERT INTO customers (id, external_id, name, name_search, email, phone, push_token, attributes)
     VALUES ($1, $2, $3, lower($3), lower($4), $5, $6, $7)`,
    [id, c.externalId, c.name, c.email, normalisedPhone, c.pushToken, JSON.stringify({ nickname: c.name, contact: c.email, tier: "gold" })],
  );
  const memberships = options.memberships ?? 2;
  for (let i = 0; i < memberships; i++) {
    const audience = randomUUID();
    await db.driver.query(`INSERT INTO audiences (id, name) VALUES ($1, $2)`, [audience, `Audience ${tag}-${i}`]);
    await db.driver.query(
      `INSERT INTO audience_memberships (audience_id, customer_id, email, push_token, joined_at) VALUES ($1, $2, lower($3), $4, now() - interval '10 days')`,
      [audience, id, c.email, c.pushToken],
    );
  }
  for (let i = 0; i < (options.enrolments ?? 1); i++) {
    const journey = randomUUID();
    await db.driver.query(`INSERT INTO journeys (id, name) VALUES ($1, $2)`, [journey, `Journey ${tag}-${i}`]);
    await db.driver.query(`INSERT INTO journey_enrolments (journey_id, customer_id, step) VALUES ($1, $2, 'welcome')`, [journey, id]);
  }
  await db.driver.query(
    `INSERT INTO loyalty_events (customer_id, type, event_id, amount, occurred_at, outcome, points_awarded, rewards, attributes)
     SELECT $1, CASE WHEN g % 3 = 0 THEN 'purchase' ELSE 'visit' END, 'order-' || $2 || '-' || g, 10, now() - (g || ' hours')::interval,
       'processed', 5, '[{"kind":"coupon","campaign":"Welcome","reward":"10% off"}]', jsonb_build_object('note', 'for ' || $3, 'g', g)
     FROM generate_series(1, $4::int) g`,
    [id, tag, c.email, options.events ?? 3],
  );
  await db.driver.query(
    `INSERT INTO customer_consents (customer_id, version, email_marketing, vendors, consent_string, tcf)
     VALUES ($1, 2, false, '{}', $2, '{"version": 2}')`,
    [id, TC_STRING],
  );
  await db.driver.query(`SELECT set_config('consent_desk.erasure', 'off', false)`);
  await db.driver.query(
    `INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_label, after, changed, reason, consent_string)
     VALUES ($1, 1, 'dashboard', 'user', 'officer@example.com', '{}', '{email_marketing}', $2, $3),
            ($1, 2, 'api', 'api_key', 'Storefront', '{}', '{consent_string}', NULL, $3)`,
    [id, `Asked by phone (${c.phone}) from ${c.email}`, TC_STRING],
  );
  return {
    ...c,
    needles: [
      c.externalId,
      c.email,
      c.email.toLowerCase(),
      c.phone,
      normalisedPhone,
      normalisedPhone.slice(1),
      c.name,
      c.pushToken,
      TC_STRING,
    ],
  };
}
