import type { ConsentState } from "./model.ts";
import type { PlanBase } from "./plan.ts";
import type { ConsentRecord } from "./record.ts";

/** A consent record as the dashboard's client components hold it (plain JSON). */
export interface PanelConsent {
  customerId: string;
  externalId: string | null;
  /** 0: not recorded. */
  version: number;
  state: ConsentState;
  updatedAt: string | null;
}

export function toPanelConsent(record: ConsentRecord): PanelConsent {
  return {
    customerId: record.customerId,
    externalId: record.externalId,
    version: record.version,
    state: record.state,
    updatedAt: record.updatedAt?.toISOString() ?? null,
  };
}

/**
 * The base a panel draft is planned from. The dashboard never changes the
 * consent timestamp or TC string, so the plan's view of them does not
 * matter to the preview; the save reads the stored ones.
 */
export function panelPlanBase(consent: PanelConsent): PlanBase {
  return { ...consent, consentTimestamp: null, consentString: null, tcf: null };
}

/** What a saved change did, for the toast. */
export interface SavedConsent {
  consent: PanelConsent;
  /** false when the save changed nothing. */
  changed: boolean;
  emailCleared: number;
  emailRestored: number;
  pushCleared: number;
  pushRestored: number;
  /** The names of the integrations told. */
  notified: string[];
}

/** The panel's state from what the profile page loaded (lib/customers/profile.ts). */
export function panelConsentFromProfile(profile: {
  id: string;
  externalId: string | null;
  consent: ConsentState;
  consentMeta: { version: number; updatedAt: Date } | null;
}): PanelConsent {
  return {
    customerId: profile.id,
    externalId: profile.externalId,
    version: profile.consentMeta?.version ?? 0,
    state: profile.consent,
    updatedAt: profile.consentMeta?.updatedAt.toISOString() ?? null,
  };
}
