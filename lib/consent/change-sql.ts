import { auditInsertSql } from "../audit/append.ts";
import { namedSql } from "../db/named.ts";
import { purposeColumnList, type ConsentColumns } from "./model.ts";
import { PURPOSES, type Purpose } from "./purposes.ts";
import type { TcfSummary } from "./record.ts";

// The statements of a consent change (change.ts). Purpose columns come from
// PURPOSES, parameters are bound by name: adding a purpose or reordering
// the list changes every statement alike.

export type CustomerRow = {
  id: string;
  external_id: string | null;
  email: string | null;
  push_token: string | null;
  /** Set once the customer was erased: no change applies any more. */
  erased_at: Date | string | null;
};

/** As read from integrations: `purposes` is whatever the row holds (plan.ts keeps the known ones). */
export type IntegrationRow = { id: string; name: string; vendor: string; purposes: string[]; enabled: boolean };

/** customer_consents as the change reads it; `version` null: no row (not recorded). */
export type ConsentRowRead = ConsentColumns & {
  version: number | null;
  consent_timestamp: Date | string | null;
  consent_string: string | null;
  tcf: TcfSummary | string | null;
  recorded_at: Date | string | null;
  updated_at: Date | string | null;
};

const CONSENT_COLUMNS = `cc.version, ${purposeColumnList("cc")}, cc.vendors, cc.consent_timestamp, cc.consent_string, cc.tcf,
  cc.recorded_at, cc.updated_at`;
const INTEGRATIONS = `(SELECT coalesce(json_agg(json_build_object('id', i.id, 'name', i.name, 'vendor', i.vendor,
    'purposes', i.purposes, 'enabled', i.enabled) ORDER BY i.name), '[]') FROM integrations i) AS integrations`;

type ByCustomer = { key: string };
const customerWhere = { id: "c.id = :key", externalId: "c.external_id = :key" } as const;
export type CustomerKey = keyof typeof customerWhere;

/** The optimistic path's read: customer, consent and integrations in one statement, no lock (the write checks the version it saw). */
export const READ_UNLOCKED = {
  id: namedSql<ByCustomer>(readUnlocked("id")),
  externalId: namedSql<ByCustomer>(readUnlocked("externalId")),
};
function readUnlocked(by: CustomerKey) {
  return `SELECT c.id, c.external_id, c.email, c.push_token, c.erased_at, ${CONSENT_COLUMNS}, ${INTEGRATIONS}
    FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id WHERE ${customerWhere[by]}`;
}

/** The locking path: the customer row first, then (in its own statement) the consent. */
export const LOCK_CUSTOMER = {
  id: namedSql<ByCustomer>(
    `SELECT c.id, c.external_id, c.email, c.push_token, c.erased_at FROM customers c WHERE ${customerWhere.id} FOR NO KEY UPDATE`,
  ),
  externalId: namedSql<ByCustomer>(
    `SELECT c.id, c.external_id, c.email, c.push_token, c.erased_at FROM customers c WHERE ${customerWhere.externalId} FOR NO KEY UPDATE`,
  ),
};

// Read in its own statement after the lock: under READ COMMITTED a statement
// that waited for the lock would otherwise see the consent row as it was
// before the other writer committed.
export const READ_CONSENT = namedSql<{ customer_id: string }>(`
  SELECT ${CONSENT_COLUMNS}, ${INTEGRATIONS}
  FROM (VALUES (1)) AS one LEFT JOIN customer_consents cc ON cc.customer_id = :customer_id`);

/** The consent as stored (or no row), with every integration's vendor. */
export const GET_CONSENT = {
  id: namedSql<ByCustomer>(getConsent("id")),
  externalId: namedSql<ByCustomer>(getConsent("externalId")),
};
function getConsent(by: CustomerKey) {
  return `SELECT c.id, c.external_id, c.erased_at, (SELECT coalesce(array_agg(vendor ORDER BY vendor), '{}') FROM integrations) AS known_vendors,
    ${CONSENT_COLUMNS}
    FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id WHERE ${customerWhere[by]}`;
}

type PurposeParams = { [P in Purpose as `purpose_${P}`]: boolean | null };

export type WriteParams = PurposeParams & {
  customer_id: string;
  version: number;
  vendors: string;
  /** null: the time it is recorded. */
  consent_timestamp: Date | null;
  consent_string: string | null;
  tcf: string | null;
  source: string;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  before: string | null;
  after: string;
  changed: string[];
  reason: string | null;
  email_effect: "clear" | "restore" | null;
  push_effect: "clear" | "restore" | null;
  signals: string;
  audit: string;
};

/** The purpose values of a record as the write's named parameters. */
export function purposeParams(purposes: Record<Purpose, boolean | null>): PurposeParams {
  return Object.fromEntries(PURPOSES.map((p) => [`purpose_${p}`, purposes[p]])) as PurposeParams;
}

const purposeValues = PURPOSES.map((p) => `:purpose_${p}::boolean`).join(", ");
const purposeUpdates = PURPOSES.map((p) => `${p} = EXCLUDED.${p}`).join(", ");

// Every effect in one statement: the record, its history entry, the
// audience-membership contact copies, one signal per affected integration and
// the audit entry. It locks the customer row first and writes only when the
// record is still at the version the change was computed from (the upsert's
// WHERE sees the latest committed row, whatever the statement's snapshot);
// every other part hangs on `up`, so a stale change (or one that waited for an
// erasure's lock: `cust` then finds no row) writes nothing at all and
// answers applied = false. The membership update reads the old values in
// `old` (same snapshot) so it can count what it really changed and skip rows
// already right; a restore copies the contact from the customer row as locked.
// The audit insert comes last: its chain lock is held until commit, which for
// the optimistic path is the end of this very statement.
export const WRITE_CHANGE = namedSql<WriteParams>(`
  WITH cust AS (
    SELECT id, email, push_token FROM customers WHERE id = :customer_id AND erased_at IS NULL FOR NO KEY UPDATE
  ), up AS (
    INSERT INTO customer_consents AS cc (customer_id, version, ${purposeColumnList()}, vendors, consent_timestamp, consent_string, tcf)
    SELECT cust.id, :version::int, ${purposeValues}, :vendors::jsonb,
      coalesce(:consent_timestamp::timestamptz, now()), :consent_string::text, :tcf::jsonb FROM cust
    ON CONFLICT (customer_id) DO UPDATE SET version = EXCLUDED.version, ${purposeUpdates},
      vendors = EXCLUDED.vendors, consent_timestamp = EXCLUDED.consent_timestamp,
      consent_string = EXCLUDED.consent_string, tcf = EXCLUDED.tcf, updated_at = now()
    WHERE cc.version = :version::int - 1
    RETURNING recorded_at, updated_at, consent_timestamp
  ), hist AS (
    INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_id, actor_label, before, after, changed,
      reason, consent_timestamp, consent_string, changed_at)
    SELECT :customer_id::uuid, :version::int, :source::consent_source, :actor_type::text, :actor_id::text, :actor_label::text,
      :before::jsonb, :after::jsonb, :changed::text[], :reason::text, up.consent_timestamp, :consent_string::text, clock_timestamp()
    FROM up
    RETURNING id, changed_at
  ), old AS (
    SELECT audience_id, email, push_token FROM audience_memberships
    WHERE customer_id = :customer_id AND (:email_effect::text IS NOT NULL OR :push_effect::text IS NOT NULL) AND EXISTS (SELECT 1 FROM up)
  ), mem AS (
    UPDATE audience_memberships m SET email = n.email, push_token = n.push_token
    FROM old o, cust, LATERAL (SELECT
        CASE :email_effect::text WHEN 'clear' THEN NULL WHEN 'restore' THEN cust.email ELSE o.email END AS email,
        CASE :push_effect::text WHEN 'clear' THEN NULL WHEN 'restore' THEN cust.push_token ELSE o.push_token END AS push_token) n
    WHERE m.customer_id = :customer_id AND m.audience_id = o.audience_id
      AND (o.email IS DISTINCT FROM n.email OR o.push_token IS DISTINCT FROM n.push_token)
    RETURNING o.email IS DISTINCT FROM n.email AS email_changed, o.push_token IS DISTINCT FROM n.push_token AS push_changed
  ), sig AS (
    INSERT INTO integration_signals (integration_id, customer_id, kind, consent_change_id, payload)
    SELECT s.integration_id, :customer_id, 'consent_change', hist.id,
           s.payload || jsonb_build_object('consent_change_id', hist.id::text, 'changed_at', hist.changed_at)
    FROM hist, jsonb_to_recordset(:signals::jsonb) AS s(integration_id uuid, payload jsonb)
    RETURNING id, integration_id
  ), audit AS (${auditInsertSql({ param: ":audit", when: "EXISTS (SELECT 1 FROM up)" })}
    RETURNING id
  )
  SELECT EXISTS (SELECT 1 FROM up) AS applied,
         (SELECT recorded_at FROM up) AS recorded_at, (SELECT updated_at FROM up) AS updated_at,
         (SELECT consent_timestamp FROM up) AS consent_timestamp,
         (SELECT id FROM hist) AS change_id, (SELECT changed_at FROM hist) AS changed_at,
         (SELECT count(*) FILTER (WHERE email_changed) FROM mem)::int AS email_changed,
         (SELECT count(*) FILTER (WHERE push_changed) FROM mem)::int AS push_changed,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'integration_id', integration_id)), '[]') FROM sig) AS signals,
         (SELECT count(*) FROM audit)::int AS audited`);

export type WriteRow = {
  applied: boolean;
  audited: number;
  recorded_at: Date | string;
  updated_at: Date | string;
  consent_timestamp: Date | string;
  change_id: string;
  changed_at: Date | string;
  email_changed: number;
  push_changed: number;
  signals: Array<{ id: string; integration_id: string }> | string;
};
