import { PURPOSE_INFO, PURPOSES, type Purpose } from "../consent/purposes.ts";
import type { ConsentState } from "../consent/model.ts";
import { evaluatePurpose, evaluateVendor } from "../consent/rules.ts";

/** An integration as the directory names it: the vendor key its consent sits under, and what a person reads. */
export interface IntegrationVendor {
  vendor: string;
  name: string;
}

export type BlockedItem = { kind: "purpose"; purpose: Purpose; label: string } | { kind: "vendor"; vendor: string; label: string };

/** What the directory's consent cell says: nothing recorded (all allowed), or what the record blocks. */
export type ConsentSummary = { recorded: false } | { recorded: true; blocked: BlockedItem[] };

/**
 * Everything a customer's consent blocks, purposes (catalogue order) then
 * vendors (in `integrations` order), each with its label, by the consent rules.
 *
 * Vendors counted are those of the known integrations, enabled or not: a
 * vendor the record does not name blocks it (rule 2), so an integration's
 * vendor absent from the record is listed as blocked. A vendor key the record
 * holds that no integration has is left out either way: nothing syncs to it,
 * so "allowed" or "blocked" would claim something that cannot be evaluated,
 * and it has no name a person could read.
 */
export function summarizeConsent(consent: ConsentState, integrations: readonly IntegrationVendor[]): ConsentSummary {
  if (consent === null) return { recorded: false };
  const purposes = PURPOSES.filter((p) => !evaluatePurpose(consent, p).allowed).map((purpose): BlockedItem => ({
    kind: "purpose",
    purpose,
    label: PURPOSE_INFO[purpose].label,
  }));
  const vendors = integrations
    .filter((i) => !evaluateVendor(consent, i.vendor).allowed)
    .map((i): BlockedItem => ({ kind: "vendor", vendor: i.vendor, label: i.name }));
  return { recorded: true, blocked: [...purposes, ...vendors] };
}
