import "server-only";
import type { Actor } from "../auth/actor.ts";
import { auditEntriesParam, auditInsertSql } from "../audit/append.ts";
import type { PurposeColumns } from "../customers/types.ts";
import { getDatabase, type Database } from "../db/index.ts";
import type { SqlDriver } from "../db/driver.ts";
import { applyConsentPatch, consentEffects, diffConsent, type ConsentDiff, type IntegrationRef } from "./effects.ts";
import { ConsentConflictError, ConsentInputError, ConsentNotFoundError } from "./errors.ts";
import { PURPOSES, isPurpose, type Purpose } from "./purposes.ts";
import {
  consentState,
  emptyPurposes,
  sortedVendors,
  stateJson,
  type ConsentPatch,
  type ConsentRecord,
  type ConsentSource,
  type FirstChangeMode,
  type TcfSummary,
} from "./record.ts";

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
type ConsentRow = PurposeColumns & {
  version: number | null;
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

const CONSENT_COLUMNS = `cc.version, cc.behavioral_campaigns, cc.email_marketing, cc.push_notifications, cc.coupon_campaigns,
         cc.punchcard_campaigns, cc.link_tracking, cc.vendors, cc.consent_timestamp, cc.consent_string, cc.tcf,
         cc.recorded_at, cc.updated_at`;
const INTEGRATIONS = `(SELECT coalesce(json_agg(json_build_object('id', i.id, 'name', i.name, 'vendor', i.vendor, 'purposes', i.purposes, 'enabled', i.enabled)
                  ORDER BY i.name), '[]') FROM integrations i) AS integrations`;

// Read in its own statement after the lock: under READ COMMITTED a statement
// that waited for the lock would otherwise see the consent row as it was
// before the other writer committed.
const READ_CONSENT = `
  SELECT ${CONSENT_COLUMNS},
         ${INTEGRATIONS}
  FROM (VALUES (1)) AS one LEFT JOIN customer_consents cc ON cc.customer_id = $1`;

// The optimistic path's read: customer, consent and integrations in one
// statement, no lock (the write checks the version it saw).
const READ_UNLOCKED = {
  id: `SELECT c.id, c.external_id, c.email, c.push_token, ${CONSENT_COLUMNS}, ${INTEGRATIONS}
       FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id WHERE c.id = $1`,
  externalId: `SELECT c.id, c.external_id, c.email, c.push_token, ${CONSENT_COLUMNS}, ${INTEGRATIONS}
       FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id WHERE c.external_id = $1`,
};

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
// audience-membership contact copies, one signal per affected integration and
// the audit entry. It locks the customer row first and writes only when the
// record is still at the version the change was computed from (the upsert's
// WHERE sees the latest committed row, whatever the statement's snapshot);
// every other part hangs on `up`, so a stale change writes nothing at all and
// answers applied = false. The membership update reads the old values in
// `old` (same snapshot) so it can count what it really changed and skip rows
// already right; a restore copies the contact from the customer row as locked.
// The audit insert ($24) comes last: its chain lock is held until commit,
// which for the optimistic path is the end of this very statement.
const WRITE_CHANGE = `
  WITH cust AS (
    SELECT id, email, push_token FROM customers WHERE id = $1 FOR NO KEY UPDATE
  ), up AS (
    INSERT INTO customer_consents AS cc (customer_id, version, behavioral_campaigns, email_marketing, push_notifications,
      coupon_campaigns, punchcard_campaigns, link_tracking, vendors, consent_timestamp, consent_string, tcf)
    SELECT cust.id, $2::int, $3::boolean, $4::boolean, $5::boolean, $6::boolean, $7::boolean, $8::boolean, $9::jsonb,
      $10::timestamptz, $11::text, $12::jsonb FROM cust
    ON CONFLICT (customer_id) DO UPDATE SET version = EXCLUDED.version,
      behavioral_campaigns = EXCLUDED.behavioral_campaigns, email_marketing = EXCLUDED.email_marketing,
      push_notifications = EXCLUDED.push_notifications, coupon_campaigns = EXCLUDED.coupon_campaigns,
      punchcard_campaigns = EXCLUDED.punchcard_campaigns, link_tracking = EXCLUDED.link_tracking,
      vendors = EXCLUDED.vendors, consent_timestamp = EXCLUDED.consent_timestamp,
      consent_string = EXCLUDED.consent_string, tcf = EXCLUDED.tcf, updated_at = now()
    WHERE cc.version = $2::int - 1
    RETURNING recorded_at, updated_at
  ), hist AS (
    INSERT INTO consent_changes (customer_id, version, source, actor_type, actor_id, actor_label, before, after, changed,
      reason, consent_timestamp, consent_string, changed_at)
    SELECT $1::uuid, $2::int, $13::consent_source, $14::text, $15::text, $16::text, $17::jsonb, $18::jsonb, $19::text[], $20::text,
      $10::timestamptz, $11::text, clock_timestamp() FROM up
    RETURNING id, changed_at
  ), old AS (
    SELECT audience_id, email, push_token FROM audience_memberships
    WHERE customer_id = $1 AND ($21::text IS NOT NULL OR $22::text IS NOT NULL) AND EXISTS (SELECT 1 FROM up)
  ), mem AS (
    UPDATE audience_memberships m SET email = n.email, push_token = n.push_token
    FROM old o, cust, LATERAL (SELECT
        CASE $21::text WHEN 'clear' THEN NULL WHEN 'restore' THEN cust.email ELSE o.email END AS email,
        CASE $22::text WHEN 'clear' THEN NULL WHEN 'restore' THEN cust.push_token ELSE o.push_token END AS push_token) n
    WHERE m.customer_id = $1 AND m.audience_id = o.audience_id
      AND (o.email IS DISTINCT FROM n.email OR o.push_token IS DISTINCT FROM n.push_token)
    RETURNING o.email IS DISTINCT FROM n.email AS email_changed, o.push_token IS DISTINCT FROM n.push_token AS push_changed
  ), sig AS (
    INSERT INTO integration_signals (integration_id, customer_id, kind, consent_change_id, payload)
    SELECT s.integration_id, $1, 'consent_change', hist.id,
           s.payload || jsonb_build_object('consent_change_id', hist.id::text, 'changed_at', hist.changed_at)
    FROM hist, jsonb_to_recordset($23::jsonb) AS s(integration_id uuid, payload jsonb)
    RETURNING id, integration_id
  ), audit AS (${auditInsertSql({ param: 24, when: "EXISTS (SELECT 1 FROM up)" })}
    RETURNING id
  )
  SELECT EXISTS (SELECT 1 FROM up) AS applied,
         (SELECT recorded_at FROM up) AS recorded_at, (SELECT updated_at FROM up) AS updated_at,
         (SELECT id FROM hist) AS change_id, (SELECT changed_at FROM hist) AS changed_at,
         (SELECT count(*) FILTER (WHERE email_changed) FROM mem)::int AS email_changed,
         (SELECT count(*) FILTER (WHERE push_changed) FROM mem)::int AS push_changed,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'integration_id', integration_id)), '[]') FROM sig) AS signals,
         (SELECT count(*) FROM audit)::int AS audited`;

type WriteRow = {
  applied: boolean;
  audited: number;
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
 * Applies a consent change and every effect PRODUCT.md names, atomically.
 * Two changes to one customer never interleave and the second sees the
 * first (with `expectedVersion`, it gets a ConsentConflictError carrying the
 * fresh state). Runs on the raw driver: this is the hottest write the product
 * has, so it costs two round trips when nobody else is changing the same
 * customer:
 *
 * 1. one unlocked read of customer, consent and integrations;
 * 2. one statement, its own transaction, that locks the customer row and
 *    writes everything (record, history, memberships, signals, audit entry)
 *    only if the record is still at the version read in 1.
 *
 * If another change got in between, 2 writes nothing and the change is made
 * again the locking way: in one transaction, customer row locked, consent
 * read after the lock, then the same write. That path cannot be overtaken, so
 * a change is never retried more than once.
 */
export async function changeConsent(input: ChangeConsentInput, database?: Database): Promise<ChangeConsentResult> {
  const db = database ?? (await getDatabase());
  const optimistic = await attempt(db.driver, input, async () => {
    const [row] =
      "id" in input.customer
        ? await db.driver.query<CustomerRow & ConsentRow>(READ_UNLOCKED.id, [input.customer.id], { name: "consent.read.id" })
        : await db.driver.query<CustomerRow & ConsentRow>(READ_UNLOCKED.externalId, [input.customer.externalId], {
            name: "consent.read.external",
          });
    return row ? { customer: row, row } : null;
  });
  if (optimistic !== STALE) return optimistic;
  return db.driver.transaction(async (tx) => {
    const locked = await attempt(tx, input, async () => {
      const [customer] =
        "id" in input.customer
          ? await tx.query<CustomerRow>(CUSTOMER_BY.id, [input.customer.id])
          : await tx.query<CustomerRow>(CUSTOMER_BY.externalId, [input.customer.externalId]);
      if (!customer) return null;
      const [row] = await tx.query<ConsentRow>(READ_CONSENT, [customer.id]);
      return { customer, row: row! };
    });
    // Under the customer lock nobody can move the version between read and write.
    if (locked === STALE) throw new Error("consent change: the record moved while its customer row was locked");
    return locked;
  });
}

const STALE = Symbol("stale");

/**
 * Reads (through `read`), decides and writes one change. STALE when the
 * write found the record at another version than the one read.
 */
async function attempt(
  db: Tx,
  input: ChangeConsentInput,
  read: () => Promise<{ customer: CustomerRow; row: ConsentRow } | null>,
): Promise<ChangeConsentResult | typeof STALE> {
  const found = await read();
  if (!found) throw new ConsentNotFoundError();
  const { customer, row } = found;
  const integrations = json(row.integrations);
  const current = toConsentRecord(customer, row, integrations.map((i) => i.vendor).sort());

  const unknown = Object.keys(input.patch.vendors ?? {}).filter((v) => !integrations.some((i) => i.vendor === v));
  if (unknown.length > 0) {
    throw new ConsentInputError(Object.fromEntries(unknown.map((v) => [`vendors.${v}`, `Unknown vendor "${v}": no integration has it.`])));
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConsentConflictError(current);
  }

  const before = consentState(current);
  const after = applyConsentPatch(
    before,
    input.patch,
    input.firstChange ?? "block_unnamed",
    integrations.map((i) => i.vendor),
  );
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

  const effects = consentEffects(
    before,
    after,
    integrations.filter((i) => i.enabled).map((i) => ({ ...i, purposes: i.purposes.filter(isPurpose) })),
  );
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
  // One signal row per affected integration is inserted (hist always has its one row), so the count is known here.
  const audit = auditEntriesParam([
    {
      actor,
      action: "consent.change",
      target: { type: "customer", id: customer.id },
      summary: { source: input.source, version, changed, signals: signalRows.length },
    },
  ]);
  const [written] = await db.query<WriteRow>(
    WRITE_CHANGE,
    [
      customer.id,
      version,
      ...PURPOSES.map((p) => stored.purposes[p]),
      JSON.stringify(stored.vendors),
      next.consentTimestamp,
      next.consentString,
      next.tcf === null ? null : JSON.stringify(next.tcf),
      input.source,
      actor.kind,
      actor.id,
      actor.label,
      before === null ? null : JSON.stringify(stateJson(before)),
      JSON.stringify(stored),
      changed,
      input.reason ?? null,
      effects.email,
      effects.push,
      JSON.stringify(signalRows),
      audit,
    ],
    { name: "consent.write" },
  );
  const w = written!;
  if (!w.applied) return STALE;
  const signals = json(w.signals);

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
  const byId = "id" in customer;
  const [row] = await db.driver.query<CustomerRow & Omit<ConsentRow, "integrations"> & { known_vendors: string[] }>(
    byId ? GET_CONSENT.id : GET_CONSENT.externalId,
    [byId ? customer.id : customer.externalId],
    { name: byId ? "consent.get.id" : "consent.get.external" },
  );
  return row ? toConsentRecord(row, row, row.known_vendors) : null;
}

const getConsentSql = (where: string) => `
  SELECT c.id, c.external_id, (SELECT coalesce(array_agg(vendor ORDER BY vendor), '{}') FROM integrations) AS known_vendors, ${CONSENT_COLUMNS}
  FROM customers c LEFT JOIN customer_consents cc ON cc.customer_id = c.id
  WHERE ${where} = $1`;
const GET_CONSENT = { id: getConsentSql("c.id"), externalId: getConsentSql("c.external_id") };
