import { PURPOSES } from "../consent/purposes.ts";
import { SEED_HISTORY_ACTORS } from "./reference.ts";

/**
 * Set-based SQL that generates customer `i` (1..N) and everything hanging off
 * them from `i` alone, so a chunk [$1, $2] can be inserted in a few statements
 * and re-running inserts nothing twice. h(i, salt) is a stable pseudo-random
 * number from PostgreSQL's own integer hash.
 */
const h = (salt: number, expr = "i") => `abs(hashint8(${expr}::bigint * 1000003 + ${salt}))`;
const pick = (salt: number, values: readonly string[], expr = "i") =>
  `(ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}])[1 + ${h(salt, expr)} % ${values.length}]`;

const FIRST = [
  "Ana",
  "Bruno",
  "Camila",
  "Diego",
  "Elena",
  "Felipe",
  "Gabriela",
  "Hugo",
  "Isabel",
  "Javier",
  "Karla",
  "Luis",
  "María",
  "Nicolás",
  "Olivia",
  "Pablo",
  "Renata",
  "Santiago",
  "Sofía",
  "Tomás",
  "Valentina",
  "William",
  "Ximena",
  "Yara",
  "Zoe",
  "Aiko",
  "Chen",
  "Dana",
  "Emeka",
  "Fatima",
  "Grace",
  "Ivan",
];
const LAST = [
  "García",
  "Rodríguez",
  "López",
  "Martínez",
  "Hernández",
  "González",
  "Pérez",
  "Sánchez",
  "Ramírez",
  "Torres",
  "Flores",
  "Rivera",
  "Gómez",
  "Díaz",
  "Silva",
  "Okafor",
  "Nakamura",
  "Smith",
  "Johnson",
  "Brown",
  "Müller",
  "Rossi",
  "Kowalski",
  "Novak",
  "Haddad",
  "Kim",
  "Nguyen",
  "Singh",
  "Cohen",
  "Dubois",
];
const DOMAINS = ["example.com", "mail.example.org", "inbox.example.net", "correo.example.mx", "post.example.de"];
const CITIES = ["Mexico City", "Bogotá", "Madrid", "Austin", "Lima", "Santiago", "São Paulo", "Toronto"];
const TIERS = ["bronze", "silver", "gold", "platinum"];
const EVENT_TYPES = ["purchase", "purchase", "purchase", "visit", "coupon_redeemed", "punch", "referral"];

export const customerId = (expr = "i") => `md5('cd-seed-customer-' || ${expr})::uuid`;

const FIRST_NAME = pick(1, FIRST);
const LAST_NAME = pick(2, LAST);
const EMAIL = `lower(translate(${FIRST_NAME} || '.' || ${LAST_NAME}, 'áéíóúñüÁÉÍÓÚÑÜ', 'aeiounuAEIOUNU')) || i || '@' || ${pick(3, DOMAINS)}`;
const PUSH_TOKEN = `CASE WHEN ${h(5)} % 10 < 6 THEN 'fcm:' || substr(md5('push-' || i), 1, 22) END`;
const CREATED_AT = `(timestamptz '2024-01-01 00:00:00+00' + (i * interval '1 minute') + (${h(9)} % 60) * interval '1 second')`;

export const INSERT_CUSTOMERS = `
INSERT INTO customers (id, external_id, name, name_search, email, phone, push_token, attributes, created_at, updated_at)
SELECT ${customerId()}, 'cus_' || lpad(i::text, 8, '0'), name, lower(name), ${EMAIL},
  '+1' || (2000000000 + ${h(4)} % 7999999999)::text, ${PUSH_TOKEN},
  jsonb_build_object('city', ${pick(6, CITIES)}, 'tier', ${pick(7, TIERS)}, 'notes', 'Prefers ' || ${pick(8, ["email", "SMS", "push", "in-store"])}),
  ${CREATED_AT}, ${CREATED_AT}
FROM generate_series($1::bigint, $2::bigint) AS i CROSS JOIN LATERAL (SELECT ${FIRST_NAME} || ' ' || ${LAST_NAME} AS name) n
ON CONFLICT DO NOTHING`;

// 30% never recorded; of the rest most purposes on, some off or never named.
const flag = (salt: number, offPercent: number, unnamedPercent = 0) =>
  `CASE WHEN ${h(salt)} % 100 < ${unnamedPercent} THEN NULL WHEN ${h(salt)} % 100 < ${unnamedPercent + offPercent} THEN false ELSE true END`;

// A record at version N was changed N - 1 times after its import; the change
// that made version w came CHANGE_STEP after the one before (see CONSENT_HISTORY).
const CHANGE_STEP = (seed: string) => `(interval '9 days' + (${h(33, seed)} % 86400) * interval '1 second')`;

export const INSERT_CONSENTS = `
INSERT INTO customer_consents (customer_id, version, behavioral_campaigns, email_marketing, push_notifications,
  coupon_campaigns, punchcard_campaigns, link_tracking, vendors, consent_timestamp, recorded_at, updated_at)
SELECT ${customerId()}, s.version, ${flag(11, 8)}, ${flag(12, 15)}, ${flag(13, 20, 5)}, ${flag(14, 10)}, ${flag(15, 10, 5)}, ${flag(16, 25, 5)},
  jsonb_build_object('meta', ${h(17)} % 100 >= 35, 'braze', ${h(18)} % 100 >= 10)
    || CASE WHEN ${h(19)} % 2 = 0 THEN jsonb_build_object('warehouse', true) ELSE '{}'::jsonb END,
  timestamptz '2024-01-01 00:00:00+00' + (i * interval '1 minute') + interval '5 minutes',
  s.recorded_at, s.recorded_at + (s.version - 1) * ${CHANGE_STEP("i")}
FROM generate_series($1::bigint, $2::bigint) AS i
CROSS JOIN LATERAL (SELECT 1 + ${h(10)} % 3 AS version,
  timestamptz '2024-01-01 00:00:00+00' + (i * interval '1 minute') + interval '6 minutes' AS recorded_at) s
WHERE ${h(20)} % 100 >= 30
ON CONFLICT DO NOTHING`;

/**
 * The keys a seeded change after the import flips, in the order the changes
 * take them (from a start picked per customer). All five are named in every
 * bulk record, so each flip really changes a value; five distinct keys in a
 * row means a key flips at most once in up to six versions (the seed makes
 * at most three), so a version's state is the record with the later flips undone.
 */
const FLIPPABLE = [
  { key: "email_marketing", purpose: "email_marketing" },
  { key: "vendors.meta", vendor: "meta" },
  { key: "behavioral_campaigns", purpose: "behavioral_campaigns" },
  { key: "vendors.braze", vendor: "braze" },
  { key: "coupon_campaigns", purpose: "coupon_campaigns" },
] as const;

/**
 * Rule 5: the history holds every version. Version 1 is the import (before
 * null, every key named as changed); version w > 1 is a change by one of
 * SEED_HISTORY_ACTORS that flipped FLIPPABLE[(start + w) % 5], its before the
 * previous version's after; the last after is the stored record. `seed` is
 * the number the per-customer choices hash (i for the bulk customers).
 */
const CONSENT_HISTORY = (from: string, where: string, seed: string) => {
  const n = FLIPPABLE.length;
  // Whether key k's flip happens after version `v` (so `v` still has the value before it):
  // its change is the first w >= 2 with (start + w) % n = k.
  const flippedLater = (k: number, v: string) =>
    `(${v} < 2 + (${k} - p.start + ${2 * n - 2}) % ${n} AND 2 + (${k} - p.start + ${2 * n - 2}) % ${n} <= cc.version)`;
  const state = (v: string) => {
    const purposes = PURPOSES.map((col) => {
      const k = FLIPPABLE.findIndex((f) => "purpose" in f && f.purpose === col);
      return `'${col}', ${k < 0 ? `cc.${col}` : `cc.${col} <> ${flippedLater(k, v)}`}`;
    });
    const vendors = FLIPPABLE.flatMap((f, k) =>
      "vendor" in f
        ? [
            `CASE WHEN ${flippedLater(k, v)} AND cc.vendors ? '${f.vendor}' THEN jsonb_build_object('${f.vendor}', NOT (cc.vendors->>'${f.vendor}')::boolean) ELSE '{}'::jsonb END`,
          ]
        : [],
    );
    return `jsonb_build_object('purposes', jsonb_build_object(${purposes.join(", ")}), 'vendors', cc.vendors || ${vendors.join(" || ")})`;
  };
  const actor = (field: "source" | "type" | "id" | "label" | "reason") =>
    `(ARRAY[${SEED_HISTORY_ACTORS.map((a) => (a[field] === null ? "NULL" : `'${a[field]!.replace(/'/g, "''")}'`)).join(",")}]::text[])[1 + p.actor]`;
  return `
INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_id, actor_label, changed_at, before, after, changed,
  reason, consent_timestamp, consent_string)
SELECT cc.customer_id, v,
  CASE WHEN v = 1 THEN 'import' ELSE ${actor("source")} END::consent_source,
  CASE WHEN v = 1 THEN 'system' ELSE ${actor("type")} END,
  CASE WHEN v = 1 THEN NULL ELSE ${actor("id")} END,
  CASE WHEN v = 1 THEN 'Seed import' ELSE ${actor("label")} END,
  cc.recorded_at + (v - 1) * ${CHANGE_STEP(seed)},
  CASE WHEN v = 1 THEN NULL ELSE ${state("v - 1")} END,
  ${state("v")},
  CASE WHEN v = 1
    THEN ARRAY[${PURPOSES.map((c) => `'${c}'`).join(", ")}] || ARRAY(SELECT 'vendors.' || k FROM jsonb_object_keys(cc.vendors) AS k ORDER BY k)
    ELSE ARRAY[(ARRAY[${FLIPPABLE.map((f) => `'${f.key}'`).join(",")}])[1 + (p.start + v) % ${n}]] END,
  CASE WHEN v = 1 THEN 'Imported from the source platform' ELSE ${actor("reason")} END,
  cc.consent_timestamp, cc.consent_string
FROM ${from}
CROSS JOIN LATERAL (SELECT ${h(31, seed)} % ${n} AS start) p0
CROSS JOIN LATERAL generate_series(1, cc.version) AS v
CROSS JOIN LATERAL (SELECT p0.start, ${h(32, `((${seed}) * 8 + v)`)} % ${SEED_HISTORY_ACTORS.length} AS actor) p
WHERE ${where}
ON CONFLICT DO NOTHING`;
};

export const INSERT_CONSENT_HISTORY = CONSENT_HISTORY(
  `generate_series($1::bigint, $2::bigint) AS i JOIN customer_consents cc ON cc.customer_id = ${customerId()}`,
  "true",
  "i",
);
/** One customer's history, by id (the demo customers); the choices hash the id. */
export const INSERT_CONSENT_HISTORY_FOR = CONSENT_HISTORY("customer_consents cc", "cc.customer_id = $1", "hashtext(cc.customer_id::text)");

// Consent-derived values computed from i alone, with the same hashes as
// INSERT_CONSENTS, so dependent rows need no join back to it.
const RECORDED = `${h(20)} % 100 >= 30`;
const allows = (salt: number, offPercent: number, unnamedPercent = 0) =>
  `(NOT (${RECORDED}) OR ${h(salt)} % 100 >= ${unnamedPercent + offPercent})`;
const ALLOWS = {
  behavioral: allows(11, 8),
  email: allows(12, 15),
  push: allows(13, 20, 5),
  coupon: allows(14, 10),
  punchcard: allows(15, 10, 5),
};

/** Audience ids in DEMO_AUDIENCES order, as seedReference creates them. */
export const audienceIdsSql = (names: readonly string[]) =>
  `ARRAY[${names.map((n) => `md5('cd-seed-audience-' || '${n.replace(/'/g, "''")}')::uuid`).join(",")}]`;
export const journeyIdsSql = (names: readonly string[]) =>
  `ARRAY[${names.map((n) => `md5('cd-seed-journey-' || '${n.replace(/'/g, "''")}')::uuid`).join(",")}]`;

// Three distinct audiences per customer (offsets 0, 4, 8 of 12 never collide);
// the contact copy is blank where consent blocks the channel.
export const insertMemberships = (audiences: readonly string[]) => `
INSERT INTO audience_memberships (audience_id, customer_id, email, push_token, joined_at)
SELECT (${audienceIdsSql(audiences)})[1 + (${h(21)} + k * 4) % ${audiences.length}], ${customerId()},
  CASE WHEN ${ALLOWS.email} THEN ${EMAIL} END,
  CASE WHEN ${ALLOWS.push} THEN ${PUSH_TOKEN} END,
  ${CREATED_AT} + interval '1 day'
FROM generate_series($1::bigint, $2::bigint) AS i CROSS JOIN generate_series(0, 2) AS k
ON CONFLICT DO NOTHING`;

export const insertEnrolments = (journeys: readonly string[]) => `
INSERT INTO journey_enrolments (journey_id, customer_id, status, step, enrolled_at)
SELECT (${journeyIdsSql(journeys)})[1 + ${h(22)} % ${journeys.length}], ${customerId()},
  (ARRAY['active','completed','exited'])[1 + ${h(23)} % 3]::enrolment_status,
  'step-' || (1 + ${h(24)} % 4), ${CREATED_AT} + interval '2 days'
FROM generate_series($1::bigint, $2::bigint) AS i
WHERE ${h(25)} % 2 = 0
ON CONFLICT DO NOTHING`;

// Event ids are derived from (i, k) so a re-run inserts nothing twice. Outcomes
// follow the customer's consent as the ingestion rules would have decided.
export const INSERT_EVENTS = `
WITH ev AS (
  SELECT i, k, (i - 1) * $3::bigint + k AS id, ${pick(26, EVENT_TYPES, "i * 97 + k")} AS type,
    ${ALLOWS.behavioral} AS behavioral, ${ALLOWS.coupon} AS coupon, ${ALLOWS.punchcard} AS punchcard
  FROM generate_series($1::bigint, $2::bigint) AS i CROSS JOIN generate_series(1, $3::bigint) AS k
), decided AS (
  SELECT ev.*, CASE
    WHEN NOT behavioral THEN 'consent:behavioral_campaigns'
    WHEN type = 'coupon_redeemed' AND NOT coupon THEN 'consent:coupon_campaigns'
    WHEN type = 'punch' AND NOT punchcard THEN 'consent:punchcard_campaigns' END AS reason
  FROM ev
)
INSERT INTO loyalty_events (id, customer_id, type, amount, occurred_at, received_at, outcome, withheld_reason, points_awarded, attributes)
SELECT id, ${customerId()}, type,
  CASE WHEN type = 'purchase' THEN round((5 + ${h(27, "id")} % 20000 / 100.0)::numeric, 2) END,
  ${CREATED_AT} + (k * interval '3 days') + (${h(28, "id")} % 86400) * interval '1 second',
  ${CREATED_AT} + (k * interval '3 days') + (${h(28, "id")} % 86400 + 2) * interval '1 second',
  (CASE WHEN NOT behavioral THEN 'withheld' WHEN reason IS NOT NULL THEN 'partially_withheld' ELSE 'processed' END)::event_outcome,
  reason,
  CASE WHEN NOT behavioral THEN 0 ELSE 10 + ${h(29, "id")} % 90 END,
  jsonb_build_object('channel', ${pick(30, ["app", "pos", "web"], "id")})
FROM decided
ON CONFLICT DO NOTHING`;
