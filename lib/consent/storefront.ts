import type { StorefrontConsentBody } from "../validations/consent.ts";
import { PURPOSES, type Purpose } from "./purposes.ts";
import type { ConsentPatch, ConsentRecord } from "./record.ts";
import { evaluatePurpose, evaluateVendor } from "./rules.ts";

/**
 * The consent object the storefront API answers: every purpose and every
 * known vendor as a plain true/false in effect (a record's unnamed purpose
 * is false; with nothing recorded everything is true, the defaults).
 */
export function toStorefrontConsent(record: ConsentRecord) {
  const { state } = record;
  const vendors = new Set([...record.knownVendors, ...Object.keys(state?.vendors ?? {})]);
  return {
    version: record.tcf?.version ?? "2.0",
    consent_timestamp: record.consentTimestamp?.toISOString() ?? null,
    customer_id: record.externalId ?? record.customerId,
    purposes: Object.fromEntries(PURPOSES.map((p) => [p, evaluatePurpose(state, p).allowed])) as Record<Purpose, boolean>,
    vendors: Object.fromEntries([...vendors].sort().map((v) => [v, evaluateVendor(state, v).allowed])),
    consent_string: record.consentString,
  };
}

/** A validated PATCH body (its TC string already decoded) as the domain's patch. */
export function storefrontPatch(body: StorefrontConsentBody): ConsentPatch {
  const { consent } = body;
  const patch: ConsentPatch = { purposes: consent.purposes, vendors: consent.vendors };
  // A recorded consent always has a timestamp: null asks for none, so the recorded one is kept.
  if (typeof consent.consent_timestamp === "string") patch.consentTimestamp = new Date(consent.consent_timestamp);
  if (consent.consent_string !== undefined) {
    patch.consentString = consent.consent_string;
    patch.tcf = consent.tcf;
  }
  return patch;
}
