import type { ConsentState, ParsedConsentKey } from "./model.ts";
import { PURPOSES, type Purpose } from "./purposes.ts";

export type Decision = { allowed: true; reason: "not_recorded" | "granted" } | { allowed: false; reason: "denied" | "not_named" };

function decide(value: boolean | null | undefined): Decision {
  if (value === true) return { allowed: true, reason: "granted" };
  if (value === false) return { allowed: false, reason: "denied" };
  return { allowed: false, reason: "not_named" };
}

const NOT_RECORDED: Decision = { allowed: true, reason: "not_recorded" };

/** Rules 1 and 2: no record allows everything; a record allows only explicit true. */
export function evaluatePurpose(consent: ConsentState, purpose: Purpose): Decision {
  return consent === null ? NOT_RECORDED : decide(consent.purposes[purpose]);
}

export function evaluateVendor(consent: ConsentState, vendor: string): Decision {
  if (consent === null) return NOT_RECORDED;
  return decide(Object.hasOwn(consent.vendors, vendor) ? consent.vendors[vendor] : undefined);
}

/** Rules 1 and 2 for a purpose or a vendor, named as a key. */
export function evaluateKey(consent: ConsentState, key: ParsedConsentKey): Decision {
  return key.kind === "purpose" ? evaluatePurpose(consent, key.purpose) : evaluateVendor(consent, key.vendor);
}

export interface IntegrationGate {
  vendor: string;
  purposes: readonly Purpose[];
}

export type IntegrationDecision =
  { allowed: true } | { allowed: false; blockedBy: Array<{ kind: "vendor"; vendor: string } | { kind: "purpose"; purpose: Purpose }> };

/** Rule 3: syncing to an integration needs its vendor and every purpose it uses. */
export function evaluateIntegration(consent: ConsentState, integration: IntegrationGate): IntegrationDecision {
  const blockedBy: Extract<IntegrationDecision, { allowed: false }>["blockedBy"] = [];
  if (!evaluateVendor(consent, integration.vendor).allowed) blockedBy.push({ kind: "vendor", vendor: integration.vendor });
  for (const purpose of integration.purposes) {
    if (!evaluatePurpose(consent, purpose).allowed) blockedBy.push({ kind: "purpose", purpose });
  }
  return blockedBy.length === 0 ? { allowed: true } : { allowed: false, blockedBy };
}

/** Every purpose's decision, in catalogue order. */
export function evaluateAllPurposes(consent: ConsentState): Array<{ purpose: Purpose; decision: Decision }> {
  return PURPOSES.map((purpose) => ({ purpose, decision: evaluatePurpose(consent, purpose) }));
}
