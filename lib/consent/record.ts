import type { ConsentState } from "./model.ts";
import type { Purpose } from "./purposes.ts";

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
 * around it. `state: null` is rule 1 (no record: everything allowed); its
 * version is 0 so "If-Match: 0" means "still not recorded".
 */
export interface ConsentRecord {
  customerId: string;
  externalId: string | null;
  version: number;
  state: ConsentState;
  /** When the customer gave the consent; never null once recorded. */
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
  /** When the customer gave it. Unset: keep the recorded one, or for a first recording the time it is recorded. */
  consentTimestamp?: Date;
  consentString?: string | null;
  tcf?: TcfSummary | null;
}

/**
 * How a first change (nothing recorded yet) treats what it does not name.
 * `block_unnamed` is rule 4 as the API applies it; `keep_allowed` records
 * every other purpose and vendor as it is in effect now (allowed).
 */
export type FirstChangeMode = "block_unnamed" | "keep_allowed";
