import "server-only";
import type { Actor } from "../auth/actor.ts";
import { auditEntriesParam } from "../audit/append.ts";
import type { SqlDriver } from "../db/driver.ts";
import { getDatabase, type Database } from "../db/index.ts";
import { bindNamed, type NamedStatement } from "../db/named.ts";
import {
  GET_CONSENT,
  LOCK_CUSTOMER,
  purposeParams,
  READ_CONSENT,
  READ_UNLOCKED,
  WRITE_CHANGE,
  type ConsentRowRead,
  type CustomerRow,
  type IntegrationRow,
  type WriteParams,
  type WriteRow,
} from "./change-sql.ts";
import type { ConsentDiff } from "./effects.ts";
import { CustomerErasedError } from "../deletions/errors.ts";
import { erasedExternalIds } from "../deletions/lookup.ts";
import { ConsentConflictError, ConsentNotFoundError } from "./errors.ts";
import { consentFromColumns } from "./model.ts";
import { planConsentChange } from "./plan.ts";
import type { ConsentPatch, ConsentRecord, ConsentSource, FirstChangeMode } from "./record.ts";

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

const json = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);
const date = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

function run<P extends object, T>(db: Tx, statement: NamedStatement<P>, params: P, name?: string): Promise<T[]> {
  return db.query<T>(statement.text, bindNamed(statement, params), name ? { name } : undefined);
}

export function toConsentRecord(
  customer: Pick<CustomerRow, "id" | "external_id">,
  row: ConsentRowRead | null,
  knownVendors: string[],
): ConsentRecord {
  const recorded = row !== null && row.version !== null;
  return {
    customerId: customer.id,
    externalId: customer.external_id,
    version: recorded ? Number(row.version) : 0,
    state: recorded ? consentFromColumns(row) : null,
    consentTimestamp: recorded ? date(row.consent_timestamp) : null,
    consentString: recorded ? row.consent_string : null,
    tcf: recorded && row.tcf !== null ? json(row.tcf) : null,
    recordedAt: recorded ? date(row.recorded_at) : null,
    updatedAt: recorded ? date(row.updated_at) : null,
    knownVendors,
  };
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
  const by = "id" in input.customer ? "id" : "externalId";
  const key = "id" in input.customer ? input.customer.id : input.customer.externalId;
  const optimistic = await attempt(db.driver, input, async () => {
    const [row] = await run<{ key: string }, CustomerRow & ConsentRowRead & { integrations: IntegrationRow[] | string }>(
      db.driver,
      READ_UNLOCKED[by],
      { key },
      `consent.read.${by}`,
    );
    return row ? { customer: row, row } : null;
  });
  if (optimistic !== STALE) return optimistic;
  return db.driver.transaction(async (tx) => {
    const locked = await attempt(tx, input, async () => {
      const [customer] = await run<{ key: string }, CustomerRow>(tx, LOCK_CUSTOMER[by], { key });
      if (!customer) return null;
      const [row] = await run<{ customer_id: string }, ConsentRowRead & { integrations: IntegrationRow[] | string }>(tx, READ_CONSENT, {
        customer_id: customer.id,
      });
      return { customer, row: row! };
    });
    // Under the customer lock nobody can move the version between read and write.
    if (locked === STALE) throw new Error("consent change: the record moved while its customer row was locked");
    return locked;
  });
}

const STALE = Symbol("stale");

/**
 * Reads (through `read`), plans and writes one change. STALE when the write
 * found the record at another version than the one read.
 */
async function attempt(
  db: Tx,
  input: ChangeConsentInput,
  read: () => Promise<{ customer: CustomerRow; row: ConsentRowRead & { integrations: IntegrationRow[] | string } } | null>,
): Promise<ChangeConsentResult | typeof STALE> {
  const found = await read();
  if (!found) throw await notFound(db, input.customer);
  const { customer, row } = found;
  if (customer.erased_at !== null) throw new CustomerErasedError();
  const integrations = json(row.integrations);
  const current = toConsentRecord(customer, row, integrations.map((i) => i.vendor).sort());
  if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
    throw new ConsentConflictError(current);
  }

  const plan = planConsentChange(current, input, integrations);
  if (plan === null) return { consent: current, change: null, effects: NO_EFFECTS };

  const { actor } = input;
  const [written] = await run<WriteParams, WriteRow>(
    db,
    WRITE_CHANGE,
    {
      customer_id: customer.id,
      version: plan.version,
      ...purposeParams(plan.after.purposes),
      vendors: JSON.stringify(plan.after.vendors),
      consent_timestamp: plan.consentTimestamp,
      consent_string: plan.consentString,
      tcf: plan.tcf === null ? null : JSON.stringify(plan.tcf),
      source: input.source,
      actor_type: actor.kind,
      actor_id: actor.id,
      actor_label: actor.label,
      before: plan.before === null ? null : JSON.stringify(plan.before),
      after: JSON.stringify(plan.after),
      changed: plan.changed,
      reason: input.reason ?? null,
      email_effect: plan.effects.email,
      push_effect: plan.effects.push,
      signals: JSON.stringify(plan.signals),
      audit: auditEntriesParam([{ actor, action: "consent.change", target: { type: "customer", id: customer.id }, summary: plan.audit }]),
    },
    "consent.write",
  );
  const w = written!;
  if (!w.applied) return STALE;

  const byId = new Map(plan.effects.integrations.map((i) => [i.id, i]));
  const { email, push } = plan.effects;
  return {
    consent: {
      ...current,
      version: plan.version,
      state: plan.after,
      consentTimestamp: date(w.consent_timestamp),
      consentString: plan.consentString,
      tcf: plan.tcf,
      recordedAt: date(w.recorded_at),
      updatedAt: date(w.updated_at),
    },
    change: { id: String(w.change_id), version: plan.version, changedAt: new Date(w.changed_at), diff: plan.diff, changed: plan.changed },
    effects: {
      emailCleared: email === "clear" ? w.email_changed : 0,
      emailRestored: email === "restore" ? w.email_changed : 0,
      pushCleared: push === "clear" ? w.push_changed : 0,
      pushRestored: push === "restore" ? w.push_changed : 0,
      signals: json(w.signals).map((s) => {
        const i = byId.get(s.integration_id)!;
        return { id: s.id, integrationId: s.integration_id, name: i.name, vendor: i.vendor, allowed: i.allowed };
      }),
    },
  };
}

/** The consent as stored (or the defaults), or null for an unknown customer. */
export async function getConsent(customer: CustomerRef, database?: Database): Promise<ConsentRecord | null> {
  const db = database ?? (await getDatabase());
  const by = "id" in customer ? "id" : "externalId";
  const [row] = await run<{ key: string }, CustomerRow & ConsentRowRead & { known_vendors: string[] }>(
    db.driver,
    GET_CONSENT[by],
    { key: "id" in customer ? customer.id : customer.externalId },
    `consent.get.${by}`,
  );
  if (!row) {
    const error = await notFound(db.driver, customer);
    if (error instanceof CustomerErasedError) throw error;
    return null;
  }
  if (row.erased_at !== null) throw new CustomerErasedError();
  return toConsentRecord(row, row, row.known_vendors);
}

/** No such customer: CustomerErasedError when the external id was erased (the tombstone knows it), else ConsentNotFoundError. */
async function notFound(db: Tx, customer: CustomerRef): Promise<Error> {
  if ("externalId" in customer && (await erasedExternalIds(db, [customer.externalId])).size > 0) return new CustomerErasedError();
  return new ConsentNotFoundError();
}
