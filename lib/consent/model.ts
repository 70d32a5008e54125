import type { CustomerConsent } from "../generated/prisma/client.ts";
import { isPurpose, PURPOSE_INFO, PURPOSES, VENDOR_SLUG, type Purpose } from "./purposes.ts";

// The consent model in one place: how a record is represented in code, how a
// customer_consents row (SQL or Prisma) becomes one, and how a purpose or
// vendor is named as a key. Every mapping is typed Record<Purpose, ...>, so a
// new purpose in PURPOSES fails to compile until each place handles it.

/** A stored value per purpose: true, false, or null (never named, which blocks like false). */
export type PurposeValues = Record<Purpose, boolean | null>;
export type VendorValues = Record<string, boolean>;

/** A customer's recorded consent: every purpose's stored value and the vendors it names. */
export interface RecordedConsent {
  purposes: PurposeValues;
  vendors: VendorValues;
}

/**
 * A customer's consent as the rules see it. `null` is the one representation
 * of "not recorded" (rule 1: everything allowed); nothing else stands for it.
 */
export type ConsentState = RecordedConsent | null;

/** customer_consents' column per purpose (SQL) and its Prisma field. */
export const PURPOSE_FIELDS = {
  behavioral_campaigns: "behavioralCampaigns",
  email_marketing: "emailMarketing",
  push_notifications: "pushNotifications",
  coupon_campaigns: "couponCampaigns",
  punchcard_campaigns: "punchcardCampaigns",
  link_tracking: "linkTracking",
} as const satisfies Record<Purpose, keyof CustomerConsent>;

/** The purpose columns as a SQL select list, optionally qualified: `cc.behavioral_campaigns, cc.email_marketing, ...`. */
export function purposeColumnList(alias?: string): string {
  return PURPOSES.map((p) => (alias ? `${alias}.${p}` : p)).join(", ");
}

/** Every purpose set to `value`. */
export function everyPurpose(value: boolean | null): PurposeValues {
  return Object.fromEntries(PURPOSES.map((p) => [p, value])) as PurposeValues;
}

export function sortedVendors(vendors: VendorValues): VendorValues {
  return Object.fromEntries(Object.entries(vendors).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A recorded consent from the purposes and vendors it names; the others are not named. */
export function recordedConsent(purposes: Partial<Record<Purpose, boolean | null>> = {}, vendors: VendorValues = {}): RecordedConsent {
  const values = everyPurpose(null);
  for (const p of PURPOSES) values[p] = purposes[p] ?? null;
  return { purposes: values, vendors: sortedVendors(vendors) };
}

/** The purpose columns and vendors of a customer_consents row, as SQL returns them. */
export type ConsentColumns = PurposeValues & { vendors: VendorValues | string | null };

const parseJson = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

/** A customer_consents row read over SQL, or no row (`null`): the state the rules see. */
export function consentFromColumns(row: ConsentColumns | null): ConsentState {
  if (row === null) return null;
  const purposes = everyPurpose(null);
  // `?? null`: a statement that left a purpose's column out reads it as never named, not as undefined.
  for (const p of PURPOSES) purposes[p] = row[p] ?? null;
  return { purposes, vendors: sortedVendors(parseJson(row.vendors ?? {})) };
}

/** A row of a LEFT JOIN onto customer_consents; `consent_recorded` says whether the consent row exists. */
export type JoinedConsentColumns = ConsentColumns & { consent_recorded: boolean };

export function consentFromJoinedRow(row: JoinedConsentColumns): ConsentState {
  return consentFromColumns(row.consent_recorded ? row : null);
}

/** The same from a Prisma customerConsent (or its absence). */
export function consentFromPrisma(row: Pick<CustomerConsent, (typeof PURPOSE_FIELDS)[Purpose] | "vendors"> | null): ConsentState {
  if (row === null) return null;
  const purposes = everyPurpose(null);
  for (const p of PURPOSES) purposes[p] = row[PURPOSE_FIELDS[p]];
  return { purposes, vendors: sortedVendors((row.vendors ?? {}) as VendorValues) };
}

/** A stored before/after snapshot (consent_changes) as a record; anything malformed inside reads as not named. */
export function consentFromSnapshot(value: unknown): RecordedConsent | null {
  if (value === null || value === undefined || typeof value !== "object") return null;
  const raw = value as { purposes?: unknown; vendors?: unknown };
  const stored = (raw.purposes && typeof raw.purposes === "object" ? raw.purposes : {}) as Record<string, unknown>;
  const purposes = everyPurpose(null);
  for (const p of PURPOSES) purposes[p] = typeof stored[p] === "boolean" ? stored[p] : null;
  const vendors: VendorValues = {};
  const storedVendors = (raw.vendors && typeof raw.vendors === "object" ? raw.vendors : {}) as Record<string, unknown>;
  for (const [slug, v] of Object.entries(storedVendors)) if (typeof v === "boolean") vendors[slug] = v;
  return { purposes, vendors: sortedVendors(vendors) };
}

// ---- Keys: one name for "a purpose or a vendor", as history, drafts and diffs use it.

export type ConsentKey = Purpose | `vendors.${string}`;
export type ParsedConsentKey = { kind: "purpose"; purpose: Purpose } | { kind: "vendor"; vendor: string };

const VENDOR_PREFIX = "vendors.";

export function vendorKey(vendor: string): ConsentKey {
  return `${VENDOR_PREFIX}${vendor}`;
}

/** A purpose name or `vendors.<slug>`, or null for anything else. */
export function parseConsentKey(key: string): ParsedConsentKey | null {
  if (isPurpose(key)) return { kind: "purpose", purpose: key };
  if (!key.startsWith(VENDOR_PREFIX)) return null;
  const vendor = key.slice(VENDOR_PREFIX.length);
  return VENDOR_SLUG.test(vendor) ? { kind: "vendor", vendor } : null;
}

export function formatConsentKey(key: ParsedConsentKey): ConsentKey {
  return key.kind === "purpose" ? key.purpose : vendorKey(key.vendor);
}

export function isConsentKey(value: string): value is ConsentKey {
  return parseConsentKey(value) !== null;
}

/**
 * The stored value of a key: undefined when nothing is recorded, null when
 * the record does not name it, else the flag.
 */
export function storedValue(consent: ConsentState, key: ParsedConsentKey): boolean | null | undefined {
  if (consent === null) return undefined;
  if (key.kind === "purpose") return consent.purposes[key.purpose];
  return Object.hasOwn(consent.vendors, key.vendor) ? consent.vendors[key.vendor]! : null;
}

/** Vendor slug to the name a person reads (the integration's name). */
export type VendorNames = Readonly<Record<string, string>>;

export function vendorNames(integrations: ReadonlyArray<{ vendor: string; name: string }>): VendorNames {
  return Object.fromEntries(integrations.map((i) => [i.vendor, i.name]));
}

export function vendorLabel(vendor: string, names: VendorNames): string {
  return names[vendor] ?? `Vendor: ${vendor}`;
}

/** What a person reads for a key: "Email marketing", "Meta Custom Audiences". */
export function consentKeyLabel(key: string, names: VendorNames = {}): string {
  const parsed = parseConsentKey(key);
  if (parsed === null) return key;
  return parsed.kind === "purpose" ? PURPOSE_INFO[parsed.purpose].label : vendorLabel(parsed.vendor, names);
}
