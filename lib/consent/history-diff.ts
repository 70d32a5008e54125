import { csvRow } from "../audit/csv.ts";
import {
  consentKeyLabel,
  isConsentKey,
  parseConsentKey,
  type ConsentKey,
  type ConsentState,
  type RecordedConsent,
  vendorLabel,
  type VendorNames,
} from "./model.ts";
import { PURPOSE_INFO, PURPOSES, type Purpose } from "./purposes.ts";
import type { ConsentSource } from "./record.ts";
import { evaluateKey, evaluatePurpose, evaluateVendor, type Decision } from "./rules.ts";

// Pure pieces of the consent history (no database): parsing the stored
// snapshots, the per-key diff, labels, the as-of evaluation and the CSV.

/** Where a change came from: the `consent_source` values. */
export type HistorySource = ConsentSource;
export type HistoryActorType = "user" | "api_key" | "system";

/** A key the history can be filtered by: a purpose or `vendors.<slug>`. */
export type HistoryFilterKey = ConsentKey;

/**
 * A decision key's value, as the history shows it: what was stored and so
 * whether it was in effect. "not recorded" (no record at all) allows;
 * "not named" (a record that leaves the key out) blocks.
 */
export type DecisionState = "allowed" | "blocked" | "not named" | "not recorded";

export type DiffRow =
  | { kind: "decision"; key: string; label: string; before: DecisionState; after: DecisionState }
  | { kind: "value"; key: string; label: string; before: string | null; after: string | null };

/** One stored change, with its snapshots parsed and its diff computed. */
export interface ConsentHistoryEntry {
  id: string;
  version: number;
  source: HistorySource;
  actorType: HistoryActorType;
  actorId: string | null;
  actorLabel: string;
  changedAt: Date;
  /** null: nothing was recorded before this change (everything allowed). */
  before: RecordedConsent | null;
  after: RecordedConsent;
  changed: string[];
  reason: string | null;
  consentTimestamp: Date | null;
  consentString: string | null;
  /** Changed after the "as of" instant being viewed: not yet in effect then. */
  afterAsOf: boolean;
  diff: DiffRow[];
}

export const isHistoryFilterKey: (value: string) => value is HistoryFilterKey = isConsentKey;

const STATE_OF: Record<Decision["reason"], DecisionState> = {
  not_recorded: "not recorded",
  granted: "allowed",
  denied: "blocked",
  not_named: "not named",
};

export function decisionState(decision: Decision): DecisionState {
  return STATE_OF[decision.reason];
}

/** Whether a state lets the purpose or vendor through (rules.ts decides; this reads it back). */
export function stateAllows(state: DecisionState): boolean {
  return state === "allowed" || state === "not recorded";
}

/** A purpose or vendor key's state under a record, by the consent rules. */
export function keyState(consent: ConsentState, key: HistoryFilterKey): DecisionState {
  return decisionState(evaluateKey(consent, parseConsentKey(key)!));
}

/** What a person reads for a history key: a purpose's or integration's name, or the record field's. */
export function historyKeyLabel(key: string, names: VendorNames = {}): string {
  if (key === "consent_string") return "TC string";
  if (key === "consent_timestamp") return "Consent given at";
  return consentKeyLabel(key, names);
}

// Purposes in catalogue order, then vendors by slug, then the record's other fields.
function keyRank(key: string): [number, string] {
  const parsed = parseConsentKey(key);
  if (parsed?.kind === "purpose") return [PURPOSES.indexOf(parsed.purpose), ""];
  if (parsed?.kind === "vendor") return [100, key];
  if (key === "consent_timestamp") return [200, ""];
  if (key === "consent_string") return [201, ""];
  return [300, key];
}

export function sortHistoryKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort((a, b) => {
    const [ra, sa] = keyRank(a);
    const [rb, sb] = keyRank(b);
    return ra - rb || (sa < sb ? -1 : sa > sb ? 1 : 0);
  });
}

export interface DiffInput {
  before: RecordedConsent | null;
  after: RecordedConsent;
  changed: readonly string[];
  consentTimestamp: Date | null;
  consentString: string | null;
  /** The previous version's values: a change row keeps only the values after it. */
  previousConsentTimestamp: Date | null;
  previousConsentString: string | null;
}

/** The per-key rows of one change, for its changed keys (or only `only`, when filtering). */
export function computeDiff(input: DiffInput, only?: string, names: VendorNames = {}): DiffRow[] {
  const keys = sortHistoryKeys(input.changed).filter((k) => only === undefined || k === only);
  return keys.map((key): DiffRow => {
    const label = historyKeyLabel(key, names);
    if (isHistoryFilterKey(key))
      return { kind: "decision", key, label, before: keyState(input.before, key), after: keyState(input.after, key) };
    if (key === "consent_timestamp") {
      return {
        kind: "value",
        key,
        label,
        before: input.previousConsentTimestamp?.toISOString() ?? null,
        after: input.consentTimestamp?.toISOString() ?? null,
      };
    }
    if (key === "consent_string") return { kind: "value", key, label, before: input.previousConsentString, after: input.consentString };
    // A key this version of the dashboard does not know: listed, without values to show.
    return { kind: "value", key, label, before: null, after: null };
  });
}

export interface EvaluatedConsent {
  purposes: Array<{ purpose: Purpose; label: string; state: DecisionState; allowed: boolean }>;
  vendors: Array<{ vendor: string; label: string; state: DecisionState; allowed: boolean }>;
}

/**
 * Every purpose, and every vendor the record names or `knownVendors` lists
 * (the integrations), with its decision under `consent`.
 */
export function evaluateConsent(consent: ConsentState, knownVendors: readonly string[] = [], names: VendorNames = {}): EvaluatedConsent {
  const vendorSlugs = [...new Set([...Object.keys(consent?.vendors ?? {}), ...knownVendors])].sort();
  return {
    purposes: PURPOSES.map((purpose) => {
      const decision = evaluatePurpose(consent, purpose);
      return { purpose, label: PURPOSE_INFO[purpose].label, state: decisionState(decision), allowed: decision.allowed };
    }),
    vendors: vendorSlugs.map((vendor) => {
      const decision = evaluateVendor(consent, vendor);
      return { vendor, label: vendorLabel(vendor, names), state: decisionState(decision), allowed: decision.allowed };
    }),
  };
}

export const HISTORY_CSV_COLUMNS = [
  "changed_at",
  "version",
  "source",
  "actor_type",
  "actor_label",
  "key",
  "before",
  "after",
  "reason",
  "consent_timestamp",
  "consent_string",
] as const;

/** One row per changed key per entry (an entry that changed no key still gets one row); formula-safe cells. */
export function historyCsv(entries: readonly ConsentHistoryEntry[]): string {
  let out = csvRow(HISTORY_CSV_COLUMNS);
  for (const e of entries) {
    const rows: Array<Pick<DiffRow, "key" | "before" | "after"> | null> = e.diff.length > 0 ? e.diff : [null];
    for (const row of rows) {
      out += csvRow([
        e.changedAt.toISOString(),
        e.version,
        e.source,
        e.actorType,
        e.actorLabel,
        row?.key,
        row?.before,
        row?.after,
        e.reason,
        e.consentTimestamp?.toISOString(),
        e.consentString,
      ]);
    }
  }
  return out;
}

/** An entry as the JSON export writes it: the CSV's snake_case names, full before/after objects. */
export function historyJsonEntry(e: ConsentHistoryEntry) {
  return {
    id: e.id,
    version: e.version,
    changed_at: e.changedAt.toISOString(),
    source: e.source,
    actor_type: e.actorType,
    actor_id: e.actorId,
    actor_label: e.actorLabel,
    before: e.before,
    after: e.after,
    changed: e.changed,
    diff: e.diff.map(({ key, label, before, after }) => ({ key, label, before, after })),
    reason: e.reason,
    consent_timestamp: e.consentTimestamp?.toISOString() ?? null,
    consent_string: e.consentString,
  };
}

const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "3 days ago", "in 2 hours", "just now": beside the absolute time, never instead of it. */
export function relativeTime(at: Date, now: Date): string {
  const diff = at.getTime() - now.getTime();
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return RELATIVE.format(Math.trunc(diff / ms), unit);
  }
  return "just now";
}

/** The start and end of a long token, for display; the full value stays in a title and the copy button. */
export function truncateMiddle(text: string, max = 32): string {
  if (text.length <= max) return text;
  const side = Math.floor((max - 1) / 2);
  return `${text.slice(0, side)}…${text.slice(text.length - side)}`;
}
