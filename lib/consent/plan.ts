import type { AuditSummary } from "../audit/redact.ts";
import { applyConsentPatch, consentEffects, diffConsent, type ConsentDiff, type ConsentEffects, type IntegrationRef } from "./effects.ts";
import { ConsentInputError } from "./errors.ts";
import { vendorKey, type ConsentState, type RecordedConsent } from "./model.ts";
import { isPurpose } from "./purposes.ts";
import type { ConsentPatch, ConsentRecord, ConsentSource, FirstChangeMode, TcfSummary } from "./record.ts";

// One pure plan of a consent change. The save (change.ts) writes exactly
// what it says, and the dashboard's preview and optimistic state are drawn
// from the same call, so what a person is shown cannot differ from what is
// stored.

/** An integration as the plan needs it: what it gates on (as stored: unknown purposes are left out), and whether it is connected. */
export type PlanIntegration = Omit<IntegrationRef, "purposes"> & { purposes: readonly string[]; enabled: boolean };

/** The record a change starts from. */
export type PlanBase = Pick<
  ConsentRecord,
  "customerId" | "externalId" | "version" | "state" | "consentTimestamp" | "consentString" | "tcf"
>;

export interface PlanRequest {
  patch: ConsentPatch;
  /** Only read for a first change; the API always blocks what it does not name. */
  firstChange?: FirstChangeMode;
  source: ConsentSource;
}

/**
 * One integration_signals row to queue: the integration and the `data` of the
 * `customer.consent_changed` webhook it is sent (lib/delivery/envelope.ts;
 * the write adds consent_change_id and changed_at). Never email, phone or name.
 */
export interface SignalRow {
  integration_id: string;
  payload: {
    /** The customer's id in the client's system (the external id), by which the integration knows them. */
    customer_id: string | null;
    version: number;
    /** What changed: the history's keys (purposes, `vendors.<slug>`, consent_timestamp, consent_string). */
    changed: string[];
    /** The integration's resulting decision: its vendor, allowed or not, and what blocks it. */
    vendor: string;
    allowed: boolean;
    blocked_by: string[];
  };
}

export interface ConsentPlan {
  before: ConsentState;
  after: RecordedConsent;
  version: number;
  /** Per purpose and vendor whose stored value changes. */
  diff: ConsentDiff[];
  /** The history's `changed`: the diff's keys, then consent_timestamp / consent_string when they change. */
  changed: string[];
  /** The record's other fields after the change. consentTimestamp null: the time it is recorded (stamped by the write). */
  consentTimestamp: Date | null;
  consentString: string | null;
  tcf: TcfSummary | null;
  /** What the change does beside the record (PRODUCT.md, "What a consent change does"). */
  effects: ConsentEffects;
  signals: SignalRow[];
  audit: AuditSummary;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * The plan of a change, or null when it changes nothing (no new version, no
 * history entry, no effects). Throws ConsentInputError for a vendor no
 * integration has.
 */
export function planConsentChange(base: PlanBase, request: PlanRequest, integrations: readonly PlanIntegration[]): ConsentPlan | null {
  const { patch, source } = request;
  const unknown = Object.keys(patch.vendors ?? {}).filter((v) => !integrations.some((i) => i.vendor === v));
  if (unknown.length > 0) {
    throw new ConsentInputError(Object.fromEntries(unknown.map((v) => [vendorKey(v), `Unknown vendor "${v}": no integration has it.`])));
  }

  // A first change that keeps "the others as allowed" records every
  // integration's vendor, paused ones too: each is allowed now (nothing is
  // recorded), and the choice is to change nothing in effect but what was switched.
  const vendors = integrations.map((i) => i.vendor);
  const before = base.state;
  const after = applyConsentPatch(before, patch, request.firstChange ?? "block_unnamed", vendors);
  const diff = diffConsent(before, after, vendors);
  // A recorded consent always has a consent timestamp: the client's when it
  // sends one; else, for a version that changes a purpose or vendor, the time
  // it is recorded (null here; the write stamps it); else the one kept.
  const consentTimestamp = patch.consentTimestamp ?? (diff.length > 0 ? null : base.consentTimestamp);
  const consentString = patch.consentString !== undefined ? patch.consentString : base.consentString;
  const tcf = patch.consentString !== undefined ? (patch.tcf ?? null) : base.tcf;

  const changed: string[] = diff.map((d) => d.key);
  // Listed when the client gives one; a recording time goes with every version and is no change of its own.
  if (patch.consentTimestamp !== undefined && !sameTime(patch.consentTimestamp, base.consentTimestamp)) changed.push("consent_timestamp");
  if (consentString !== base.consentString) changed.push("consent_string");
  if (changed.length === 0) return null;

  const version = base.version + 1;
  // Paused integrations are signalled too: the worker claims only enabled integrations' signals, so theirs wait in
  // the queue and go out, in order, when it is resumed; an opt-out made while it was paused still reaches it.
  const refs = integrations.map((i) => ({ ...i, purposes: i.purposes.filter(isPurpose) }));
  const effects = consentEffects(before, after, refs);
  const signals: SignalRow[] = effects.integrations.map((i) => ({
    integration_id: i.id,
    payload: { customer_id: base.externalId, version, changed, vendor: i.vendor, allowed: i.allowed, blocked_by: i.blockedBy },
  }));
  return {
    before,
    after,
    version,
    diff,
    changed,
    consentTimestamp,
    consentString,
    tcf,
    effects,
    signals,
    audit: { source, version, changed, signals: signals.length },
  };
}
