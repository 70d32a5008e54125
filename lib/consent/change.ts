import "server-only";
import type { Actor } from "../auth/actor.ts";
import { appendAuditEntriesSql } from "../audit/append.ts";
import { getDatabase, type Database } from "../db/index.ts";
import type { SqlDriver } from "../db/driver.ts";
import { applyConsentPatch, consentEffects, diffConsent, type ConsentDiff, type IntegrationRef } from "./effects.ts";
import { ConsentConflictError, ConsentInputError, ConsentNotFoundError } from "./errors.ts";
import { PURPOSES, isPurpose, type Purpose } from "./purposes.ts";
import { consentState, emptyPurposes, sortedVendors, stateJson, type ConsentPatch, type ConsentRecord, type ConsentSource, type FirstChangeMode, type TcfSummary } from "./record.ts";

export type CustomerRef = { id: string } | { externalId: string };

export interface ChangeConsentInput {
  customer: CustomerRef;
  patch: ConsentPatch;
  /** The version the caller saw (0: not recorded); a different current version is a conflict. */
  expectedVersion?: number;
  /** Only for a first change; the API always blocks what it does not name. */
  firstChange?: FirstChangeMode;
  source: ConsentSource;
  actor: Actor;
  reason?: string | null;
}

export interface QueuedSignal {
  id: string;
  integrationId: string;
  name: string;
  vendor: string;
  allowed: boolean;
}

export interface AppliedEffects {
  emailCleared: number;
  emailRestored: number;
  pushCleared: number;
  pushRestored: number;
  signals: QueuedSignal[];
}

export interface ChangeConsentResult {
  consent: ConsentRecord;
  /** null when the patch changed nothing: no new version, no history entry, no effects. */
  change: { id: string; version: number; changedAt: Date; diff: ConsentDiff[]; changed: string[] } | null;
  effects: AppliedEffects;
}

const NO_EFFECTS: AppliedEffects = { emailCleared: 0, emailRestored: 0, pushCleared: 0, pushRestored: 0, signals: [] };

type Tx = Pick<SqlDriver, "query">;

type CustomerRow = { id: string; external_id: string | null; email: string | null; push_token: string | null };
type ConsentRow = {
  version: number | null;
  behavioral_campaigns: boolean | null;
  email_marketing: boolean | null;
  push_notifications: boolean | null;
  coupon_campaigns: boolean | null;
  punchcard_campaigns: boolean | null;
  link_tracking: boolean | null;
  vendors: Record<string, boolean> | string | null;
  consent_timestamp: Date | string | null;
  consent_string: string | null;
  tcf: TcfSummary | string | null;
  recorded_at: Date | string | null;
  updated_at: Date | string | null;
  integrations: Array<IntegrationRef & { enabled: boolean }> | string;
};

const json = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

const CUSTOMER_BY = {
  id: `SELECT id, external_id, email, push_token FROM customers WHERE id = $1 FOR NO KEY UPDATE`,
  externalId: `SELECT id, external_id, email, push_token FROM customers WHERE external_id = $1 FOR NO KEY UPDATE`,
};

// Read in its own statement after the lock: under READ COMMITTED a statement
// that waited for the lock would otherwise see the consent row as it was
// before the other writer committed.
const READ_CONSENT = `
  SELECT cc.version, cc.behavioral_campaigns, cc.email_marketing, cc.push_notifications, cc.coupon_campaigns,
         cc.punchcard_campaigns, cc.link_tracking, cc.vendors, cc.consent_timestamp, cc.consent_string, cc.tcf,
         cc.recorded_at, cc.updated_at,
         (SELECT coalesce(json_agg(json_build_object('id', i.id, 'name', i.name, 'vendor', i.vendor, 'purposes', i.purposes, 'enabled', i.enabled)
                  ORDER BY i.name), '[]') FROM integrations i) AS integrations
  FROM (VALUES (1)) AS one LEFT JOIN customer_consents cc ON cc.customer_id = $1`;

export function toConsentRecord(
  customer: Pick<CustomerRow, "id" | "external_id">,
  row: Omit<ConsentRow, "integrations"> | null,
  knownVendors: string[],
): ConsentRecord {
  const recorded = row !== null && row.version !== null;
  const purposes = emptyPurposes();
  if (recorded) for (const p of PURPOSES) purposes[p] = row[p];
  return {
    customerId: customer.id,
    externalId: customer.external_id,
    recorded,
    version: recorded ? Number(row.version) : 0,
    purposes: recorded ? purposes : (Object.fromEntries(PURPOSES.map((p) => [p, true])) as Record<Purpose, boolean>),
    vendors: recorded ? sortedVendors(json(row.vendors ?? {})) : {},
    consentTimestamp: recorded ? date(row.consent_timestamp) : null,
    consentString: recorded ? row.consent_string : null,
    tcf: recorded && row.tcf !== null ? json(row.tcf) : null,
    recordedAt: recorded ? date(row.recorded_at) : null,
    updatedAt: recorded ? date(row.updated_at) : null,
    knownVendors,
  };
}

// Every effect in one statement: the record, its history entry, the
// audience-membership contact copies and one signal per affected integration.
// The membership update reads the old values in `old` (same snapshot) so it
// can count what it really changed and skip rows already right.
const WRITE_CHANGE = `
  WITH up AS (
    INSERT INTO customer_consents AS cc (customer_id, version, behavioral_campaigns, email_marketing, push_notifications,
      coupon_campaigns, punchcard_campaigns, link_tracking, vendors, consent_timestamp, consent_string, tcf)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12::jsonb)
    ON CONFLICT (customer_id) DO UPDATE SET version = EXCLUDED.version,
      behavioral_campaigns = EXCLUDED.behavioral_campaigns, email_marketing = EXCLUDED.email_marketing,
      push_notifications = EXCLUDED.push_notifications, coupon_campaigns = EXCLUDED.coupon_campaigns,
      punchcard_campaigns = EXCLUDED.punchcard_campaigns, link_tracking = EXCLUDED.link_tracking,
      vendors = EXCLUDED.vendors, consent_timestamp = EXCLUDED.consent_timestamp,
      consent_string = EXCLUDED.consent_string, tcf = EXCLUDED.tcf, updated_at = now()
    RETURNING recorded_at, updated_at
  ), hist AS (
    INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_id, actor_label, before, after, changed,
      reason, consent_timestamp, consent_string, changed_at)
    VALUES ($1, $2, $13::consent_source, $14, $15, $16, $17::jsonb, $18::jsonb, $19::text[], $20, $10, $11, clock_timestamp())
    RETURNING id, changed_at
  ), old AS (
    SELECT audience_id, email, push_token FROM audience_memberships
    WHERE customer_id = $1 AND ($21::text IS NOT NULL OR $22::text IS NOT NULL)
  ), mem AS (
    UPDATE audience_memberships m SET email = n.email, push_token = n.push_token
    FROM old o, LATERAL (SELECT
        CASE $21::text WHEN 'clear' THEN NULL WHEN 'restore' THEN $23::text ELSE o.email END AS email,
        CASE $22::text WHEN 'clear' THEN NULL WHEN 'restore' THEN $24::text ELSE o.push_token END AS push_token) n
    WHERE m.customer_id = $1 AND m.audience_id = o.audience_id
      AND (o.email IS DISTINCT FROM n.email OR o.push_token IS DISTINCT FROM n.push_token)
    RETURNING o.email IS DISTINCT FROM n.email AS email_changed, o.push_token IS DISTINCT FROM n.push_token AS push_changed
  ), sig AS (
    INSERT INTO integration_signals (integration_id, customer_id, kind, consent_change_id, payload)
    SELECT s.integration_id, $1, 'consent_change', hist.id,
           s.payload || jsonb_build_object('consent_change_id', hist.id::text, 'changed_at', hist.changed_at)
    FROM hist, jsonb_to_recordset($25::jsonb) AS s(integration_id uuid, payload jsonb)
    RETURNING id, integration_id
  )
  SELECT (SELECT recorded_at FROM up) AS recorded_at, (SELECT updated_at FROM up) AS updated_at,
         (SELECT id FROM hist) AS change_id, (SELECT changed_at FROM hist) AS changed_at,
         (SELECT count(*) FILTER (WHERE email_changed) FROM mem)::int AS email_changed,
         (SELECT count(*) FILTER (WHERE push_changed) FROM mem)::int AS push_changed,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'integration_id', integration_id)), '[]') FROM sig) AS signals`;

type WriteRow = {
  recorded_at: Date | string;
  updated_at: Date | string;
  change_id: string;
  changed_at: Date | string;
  email_changed: number;
  push_changed: number;
  signals: Array<{ id: string; integration_id: string }> | string;
};

function sameDate(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/**
 * Applies a consent change and every effect PRODUCT.md names, in one
 * transaction: the customer row is locked first, so two changes to one
 * customer run one after the other and the second sees the first (with
 * `expectedVersion`, it gets a ConsentConflictError carrying the fresh state).
 * Runs on the raw driver: this is the hottest write the product has.
 */
export async function changeConsent(input: ChangeConsentInput, database?: Database): Promise<ChangeConsentResult> {
  const db = database ?? (await getDatabase());
  return db.driver.transaction((tx) => changeConsentIn(tx, input));
}

async function changeConsentIn(tx: Tx, input: ChangeConsentInput): Promise<ChangeConsentResult> {
  const [customer] =
    "id" in input.customer
      ? await tx.query<CustomerRow>(CUSTOMER_BY.id, [input.customer.id])
      : await tx.query<CustomerRow>(CUSTOMER_BY.externalId, [input.customer.externalId]);
  if (!customer) throw new ConsentNotFoundError();

  const [row] = await tx.query<ConsentRow>(READ_CONSENT, [customer.id]);
  const integrations = json(row!.integrations);
  const current = toConsentRecord(customer, row!, integrations.map((i) => i.vendor).sort());

  const unknown = Object.keys(input.patch.vendors ?? {}).filter((v) => !integrations.some((i) => i.vendor === v));
  if (unknown.length > 0) {
    throw new ConsentInputError(Object.fromEntries(unknown.map((v) => [`vendors.${v}`, `Unknown vendor "${v}": no integration has it.`])));
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConsentConflictError(current);
  }

  const before = consentState(current);
  const after = applyConsentPatch(before, input.patch, input.firstChange ?? "block_unnamed", integrations.map((i) => i.vendor));
  const diff = diffConsent(before, after);
  const next = {
    consentTimestamp: input.patch.consentTimestamp !== undefined ? input.patch.consentTimestamp : current.consentTimestamp,
    consentString: input.patch.consentString !== undefined ? input.patch.consentString : current.consentString,
    tcf: input.patch.consentString !== undefined ? (input.patch.tcf ?? null) : current.tcf,
  };
  const changed: string[] = diff.map((d) => d.key);
  if (!sameDate(next.consentTimestamp, current.consentTimestamp)) changed.push("consent_timestamp");
  if (next.consentString !== current.consentString) changed.push("consent_string");
  if (changed.length === 0) return { consent: current, change: null, effects: NO_EFFECTS };

  const effects = consentEffects(before, after, integrations.filter((i) => i.enabled).map((i) => ({ ...i, purposes: i.purposes.filter(isPurpose) })));
  const version = current.version + 1;
  const stored = stateJson(after);
  const signalRows = effects.integrations.map((i) => ({
    integration_id: i.id,
    payload: {
      type: "consent.changed",
      customer_id: customer.external_id,
      customer_ref: customer.id,
      vendor: i.vendor,
      allowed: i.allowed,
      blocked_by: i.blockedBy,
      version,
    },
  }));
  const { actor } = input;
  const [written] = await tx.query<WriteRow>(WRITE_CHANGE, [
    customer.id, version,
    ...PURPOSES.map((p) => stored.purposes[p]),
    JSON.stringify(stored.vendors), next.consentTimestamp, next.consentString, next.tcf === null ? null : JSON.stringify(next.tcf),
    input.source, actor.kind, actor.id, actor.label,
    before === null ? null : JSON.stringify(stateJson(before)), JSON.stringify(stored), changed, input.reason ?? null,
    effects.email, effects.push, customer.email, customer.push_token,
    JSON.stringify(signalRows),
  ]);
  const w = written!;
  const signals = json(w.signals);

  // Last statement: the audit entry takes its chain's lock until commit.
  await appendAuditEntriesSql(tx, [{
    actor,
    action: "consent.change",
    target: { type: "customer", id: customer.id },
    summary: { source: input.source, version, changed, signals: signals.length },
  }]);

  const byId = new Map(effects.integrations.map((i) => [i.id, i]));
  return {
    consent: {
      ...current,
      recorded: true,
      version,
      purposes: stored.purposes,
      vendors: stored.vendors,
      ...next,
      recordedAt: date(w.recorded_at),
      updatedAt: date(w.updated_at),
    },
    change: { id: String(w.change_id), version, changedAt: new Date(w.changed_at), diff, changed },
    effects: {
      emailCleared: effects.email === "clear" ? w.email_changed : 0,
      emailRestored: effects.email === "restore" ? w.email_changed : 0,
      pushCleared: effects.push === "clear" ? w.push_changed : 0,
      pushRestored: effects.push === "restore" ? w.push_changed : 0,
      signals: signals.map((s) => {
        const i = byId.get(s.integration_id)!;
        return { id: s.id, integrationId: s.integration_id, name: i.name, vendor: i.vendor, allowed: i.allowed };
      }),
    },
  };
}

/** The consent as stored (or the defaults), or null for an unknown customer. */
export async function getConsent(customer: CustomerRef, database?: Database): Promise<ConsentRecord | null> {
  const db = database ?? (await getDatabase());
  const [row] = await db.driver.query<CustomerRow & Omit<ConsentRow, "integrations"> & { known_vendors: string[] }>(
    `SELECT c.id, c.external_id, (SELECT coalesce(array_agg(vendor ORDER BY vendor), '{}') FROM integrations) AS known_vendors, cc.version, cc.behavioral_campaigns, cc.email_marketing, cc.push_notifications,
            cc.coupon_campaigns, cc.punchcard_campaigns, cc.link_tracking, cc.vendors, cc.consent_timestamp,
            cc.consent_string, cc.tcf, cc.recorded_at, cc.updated_at
     FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
     WHERE ${"id" in customer ? "c.id" : "c.external_id"} = $1`,
    ["id" in customer ? customer.id : customer.externalId],
  );
  return row ? toConsentRecord(row, row, row.known_vendors) : null;
}
