import { PURPOSES, type Purpose } from "./purposes.ts";
import type { ConsentState, RecordedConsent } from "./rules.ts";

/** Where a consent change came from (the `consent_source` enum). */
export const CONSENT_SOURCES = ["dashboard", "api", "import"] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** The fields of an IAB TCF v2 TC string worth keeping beside it (lib/consent/tcf.ts). */
export interface TcfSummary {
  /** The TCF version as the client sent it ("2.0", "2.2"), or "2.0". */
  version: string;
  tcfPolicyVersion: number;
  cmpId: number;
  cmpVersion: number;
  vendorListVersion: number;
  created: string | null;
  lastUpdated: string | null;
  consentLanguage: string;
  publisherCountryCode: string;
  purposeConsents: number[];
  vendorConsents: number[];
}

/**
 * A customer's consent as stored, with what the API and the panel need
 * around it. `recorded: false` is rule 1 (no record: everything allowed);
 * its version is 0 so "If-Match: 0" means "still not recorded".
 */
export interface ConsentRecord {
  customerId: string;
  externalId: string | null;
  recorded: boolean;
  version: number;
  /** null: never named (blocked once a record exists). */
  purposes: Record<Purpose, boolean | null>;
  vendors: Record<string, boolean>;
  consentTimestamp: Date | null;
  consentString: string | null;
  tcf: TcfSummary | null;
  recordedAt: Date | null;
  updatedAt: Date | null;
  /** Every integration's vendor slug: the vendors a record can name. */
  knownVendors: string[];
}

/** What a change asks for: the purposes and vendors it names, and the TCF fields. */
export interface ConsentPatch {
  purposes?: Partial<Record<Purpose, boolean>>;
  vendors?: Record<string, boolean>;
  /** undefined: keep; null: clear. */
  consentTimestamp?: Date | null;
  consentString?: string | null;
  tcf?: TcfSummary | null;
}

/**
 * How a first change (nothing recorded yet) treats what it does not name.
 * `block_unnamed` is rule 4 as the API applies it; `keep_allowed` records
 * every other purpose and vendor as it is in effect now (allowed).
 */
export type FirstChangeMode = "block_unnamed" | "keep_allowed";

export function emptyPurposes(): Record<Purpose, boolean | null> {
  return Object.fromEntries(PURPOSES.map((p) => [p, null])) as Record<Purpose, boolean | null>;
}

export function consentState(record: Pick<ConsentRecord, "recorded" | "purposes" | "vendors">): ConsentState {
  return record.recorded ? { purposes: { ...record.purposes }, vendors: { ...record.vendors } } : null;
}

/** The stored JSON of a state in consent_changes.before/after. */
export function stateJson(state: RecordedConsent): { purposes: Record<Purpose, boolean | null>; vendors: Record<string, boolean> } {
  const purposes = emptyPurposes();
  for (const p of PURPOSES) purposes[p] = state.purposes[p] ?? null;
  return { purposes, vendors: sortedVendors(state.vendors) };
}

export function sortedVendors(vendors: Record<string, boolean>): Record<string, boolean> {
  return Object.fromEntries(Object.entries(vendors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
