import { PURPOSES, type Purpose } from "./purposes.ts";
import type { ConsentRecord } from "./record.ts";

/** A consent record as the dashboard's client components hold it (plain JSON). */
export interface PanelConsent {
  customerId: string;
  recorded: boolean;
  version: number;
  purposes: Record<Purpose, boolean | null>;
  vendors: Record<string, boolean>;
  updatedAt: string | null;
}

export function toPanelConsent(record: ConsentRecord): PanelConsent {
  return {
    customerId: record.customerId,
    recorded: record.recorded,
    version: record.version,
    purposes: record.purposes,
    vendors: record.vendors,
    updatedAt: record.updatedAt?.toISOString() ?? null,
  };
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
  notified: string[];
}

/** The panel's state from what the profile page loaded (lib/customers/profile.ts). */
export function panelConsentFromProfile(profile: {
  id: string;
  consent: { purposes: Partial<Record<Purpose, boolean | null>>; vendors: Record<string, boolean> } | null;
  consentMeta: { version: number; updatedAt: Date } | null;
}): PanelConsent {
  const purposes = Object.fromEntries(
    PURPOSES.map((p) => [p, profile.consent ? (profile.consent.purposes[p] ?? null) : true]),
  ) as PanelConsent["purposes"];
  return {
    customerId: profile.id,
    recorded: profile.consent !== null,
    version: profile.consentMeta?.version ?? 0,
    purposes,
    vendors: profile.consent?.vendors ?? {},
    updatedAt: profile.consentMeta?.updatedAt.toISOString() ?? null,
  };
}
